using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace EglWater.Api.Http
{
    /// <summary>
    /// A session's current token and the one login at a time that renews it: when several callers find
    /// the same token refused, the first logs in again and the others reuse the new token. A renewal that
    /// fails is remembered for the token it replaced: the callers queued behind it get the same error
    /// without another login (a changed password or a firewall block must not be hammered). Once closed,
    /// the gate never logs in again.
    /// </summary>
    internal sealed class EglTokenGate
    {
        private readonly SemaphoreSlim _lock = new SemaphoreSlim(1, 1);
        private readonly Func<Exception> _closedError;
        private string? _token;
        private int _loginCount;
        private volatile bool _closed;
        private ExceptionDispatchInfo? _failure;
        private string? _failedFor;

        /// <param name="closedError">The error every caller gets after <see cref="Close"/>.</param>
        public EglTokenGate(Func<Exception> closedError)
        {
            _closedError = closedError ?? throw new ArgumentNullException(nameof(closedError));
        }

        /// <summary>The current token, or null before the first login and after <see cref="Close"/>.</summary>
        public string? Token => _closed ? null : Volatile.Read(ref _token);

        public int LoginCount => Volatile.Read(ref _loginCount);

        public bool IsClosed => _closed;

        /// <summary>The current token, or the closed-session error.</summary>
        public string RequireToken() => Token ?? throw _closedError();

        /// <summary>Logs in (one login at a time); <paramref name="login"/> returns the new token.</summary>
        public async Task LoginAsync(Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_closed) throw _closedError();
                await LoginCoreAsync(login, cancellationToken).ConfigureAwait(false);
                _failure = null;
                _failedFor = null;
            }
            finally
            {
                _lock.Release();
            }
        }

        /// <summary>
        /// Logs in again unless another caller already replaced <paramref name="stale"/>, and returns the
        /// token to use. At most one login per stale token: when it fails, every later call for the same
        /// stale token rethrows that failure at once.
        /// </summary>
        public async Task<string> RenewAsync(string? stale, Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            if (_closed) throw _closedError();
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_closed) throw _closedError();
                string? current = Volatile.Read(ref _token);
                if (!string.Equals(current, stale, StringComparison.Ordinal) && current is not null) return current;
                if (_failure is not null && string.Equals(_failedFor, stale, StringComparison.Ordinal)) _failure.Throw();
                try
                {
                    await LoginCoreAsync(login, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    _failure = ExceptionDispatchInfo.Capture(ex);
                    _failedFor = stale;
                    throw;
                }

                return Volatile.Read(ref _token) ?? throw _closedError();
            }
            finally
            {
                _lock.Release();
            }
        }

        /// <summary>Forgets the token for good: no caller gets a token or logs in again.</summary>
        public void Close()
        {
            _closed = true;
            Volatile.Write(ref _token, null);
        }

        private async Task LoginCoreAsync(Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loginCount);
            string token = await login(cancellationToken).ConfigureAwait(false);
            // The session closed during the login: the new token is dropped, the caller gets the closed error.
            if (_closed) throw _closedError();
            Volatile.Write(ref _token, token);
        }
    }
}
