using System;
using System.Net;
using System.Security;

namespace EglWater.Api
{
    /// <summary>
    /// What a login needs. The password and the AuthKey stay in SecureStrings and are revealed only
    /// while a request body is built; <see cref="ToString"/> shows the login name alone.
    /// </summary>
    public sealed class EglCredential
    {
        private readonly SecureString _password;
        private readonly SecureString? _authKey;

        public EglCredential(string userName, SecureString password, SecureString? authKey)
        {
            if (string.IsNullOrEmpty(userName)) throw new ArgumentException("The login name is empty.", nameof(userName));
            UserName = userName;
            _password = password ?? throw new ArgumentNullException(nameof(password));
            _password.MakeReadOnly();
            _authKey = authKey;
            _authKey?.MakeReadOnly();
        }

        public string UserName { get; }

        public bool HasAuthKey => _authKey is { Length: > 0 };

        internal string RevealPassword() => new NetworkCredential(string.Empty, _password).Password;

        internal string RevealAuthKey() => _authKey is null ? string.Empty : new NetworkCredential(string.Empty, _authKey).Password;

        public override string ToString() => UserName;
    }
}
