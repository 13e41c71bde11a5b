using System;
using System.Threading;
using System.Threading.Tasks;

namespace EglWater.Api
{
    /// <summary>
    /// A session's current token and the one login at a time that renews it: when several callers find
    /// the same token refused, the first logs in again and the others reuse the new token.
    /// </summary>
    internal sealed class EglTokenGate
    {
        private readonly SemaphoreSlim _lock = new SemaphoreSlim(1, 1);
        private string? _token;
        private int _loginCount;

        /// <summary>The current token, or null before the first login and after <see cref="Clear"/>.</summary>
        public string? Token => Volatile.Read(ref _token);

        public int LoginCount => Volatile.Read(ref _loginCount);

        /// <summary>Logs in (one login at a time); <paramref name="login"/> returns the new token.</summary>
        public async Task LoginAsync(Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await LoginCoreAsync(login, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _lock.Release();
            }
        }

        /// <summary>Logs in again unless another caller already replaced <paramref name="stale"/>; returns the token to use.</summary>
        public async Task<string?> RenewAsync(string? stale, Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (string.Equals(Token, stale, StringComparison.Ordinal)) await LoginCoreAsync(login, cancellationToken).ConfigureAwait(false);
                return Token;
            }
            finally
            {
                _lock.Release();
            }
        }

        /// <summary>Forgets the token.</summary>
        public void Clear() => Volatile.Write(ref _token, null);

        private async Task LoginCoreAsync(Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            string token = await login(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            Interlocked.Increment(ref _loginCount);
        }
    }
}
