using System;
using System.Net;
using System.Security;

namespace EglWater.Api
{
    /// <summary>
    /// What a login needs. The password and the AuthKey stay in SecureStrings and are revealed only
    /// while a request body is built; <see cref="ToString"/> shows the login name alone.
    /// </summary>
    internal sealed class EglCredential
    {
        private readonly SecureString _password;
        private readonly SecureString? _authKey;

        public EglCredential(string userName, SecureString password, SecureString? authKey)
        {
            if (string.IsNullOrEmpty(userName)) throw new ArgumentException("The login name is empty.", nameof(userName));
            if (password is null) throw new ArgumentNullException(nameof(password));
            UserName = userName;
            // Copies: the caller may dispose or clear its own SecureStrings later (a renewal still needs them),
            // and making the caller's object read-only would be a surprise.
            _password = password.Copy();
            _password.MakeReadOnly();
            _authKey = authKey?.Copy();
            _authKey?.MakeReadOnly();
        }

        public string UserName { get; }

        internal string RevealPassword() => new NetworkCredential(string.Empty, _password).Password;

        internal string RevealAuthKey() => _authKey is null ? string.Empty : new NetworkCredential(string.Empty, _authKey).Password;

        public override string ToString() => UserName;
    }
}
