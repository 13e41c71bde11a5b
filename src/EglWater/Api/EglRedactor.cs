using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace EglWater.Api
{
    /// <summary>
    /// Removes secrets from text that came from a server (an error page, an API message) before it
    /// reaches an exception: the known secrets of the request (password, AuthKey, token) wherever
    /// they appear, and the value of any field whose name says it is one (token=…, "pass":"…").
    /// </summary>
    public static class EglRedactor
    {
        public const string Mask = "***";

        private static readonly Regex SecretFields = new Regex(
            @"(?<key>[""']?\b(?:token|jeton|pass|passwd|password|mot_de_passe|authkey|auth_key)\b[""']?\s*(?:=|:|&#61;|%3D)\s*[""']?)(?<value>[^""'&\s<>,;}\]]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static string Redact(string? text, IEnumerable<string?>? secrets = null)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string result = text!;
            if (secrets is not null)
            {
                foreach (var secret in secrets)
                {
                    // Very short values would mask ordinary words; the field rule below still covers them.
                    if (secret is null || secret.Length < 4) continue;
                    result = ReplaceOrdinalIgnoreCase(result, secret);
                    string encoded = Uri.EscapeDataString(secret);
                    if (!string.Equals(encoded, secret, StringComparison.Ordinal)) result = ReplaceOrdinalIgnoreCase(result, encoded);
                }
            }

            return SecretFields.Replace(result, m => m.Groups["key"].Value + Mask);
        }

        private static string ReplaceOrdinalIgnoreCase(string text, string secret)
        {
            int i = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
            if (i < 0) return text;
            var sb = new System.Text.StringBuilder(text.Length);
            int last = 0;
            while (i >= 0)
            {
                sb.Append(text, last, i - last).Append(Mask);
                last = i + secret.Length;
                i = text.IndexOf(secret, last, StringComparison.OrdinalIgnoreCase);
            }

            sb.Append(text, last, text.Length - last);
            return sb.ToString();
        }
    }
}
