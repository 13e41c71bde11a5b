using System;
using System.Security.Cryptography;
using System.Text;

namespace EglWater.Api.Portal
{
    /// <summary>PKCE (RFC 7636) with the S256 method: a fresh random verifier per login, and its challenge.</summary>
    internal static class EglPkce
    {
        /// <summary>A new code verifier: 32 random bytes in base64url (43 characters).</summary>
        public static string CreateVerifier()
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Base64Url(bytes);
        }

        /// <summary>BASE64URL(SHA256(ASCII(verifier))), without padding.</summary>
        public static string Challenge(string verifier)
        {
            if (verifier is null) throw new ArgumentNullException(nameof(verifier));
            using var sha = SHA256.Create();
            return Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier)));
        }

        internal static string Base64Url(byte[] bytes) =>
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
