using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EglWater.Api
{
    /// <summary>
    /// What every logged-in connection offers, whichever EGL API it talks to. Implemented in the backends
    /// assembly (EglWater.Backends: the partner API's and the portal's sessions), which the cmdlets reach only
    /// through this contract and <see cref="IEglBackendFactory"/>: only root and platform types cross.
    /// </summary>
    internal interface IEglBackend : IEglDayApi
    {
        /// <summary>Which EGL API the session talks to.</summary>
        EglApiKind Api { get; }

        Uri BaseUri { get; }

        string UserName { get; }

        /// <summary>The main subscription: the default of the data cmdlets.</summary>
        long SubscriptionNumber { get; }

        IReadOnlyList<long> Subscriptions { get; }

        /// <summary>The subscriptions with what the API says of them (the partner API: the numbers only).</summary>
        IReadOnlyList<EglSubscription> SubscriptionDetails { get; }

        bool IsConnected { get; }

        /// <summary>How many logins the session has made (the first one and any renewal).</summary>
        int LoginCount { get; }

        Task LoginAsync(EglRequestOptions options, CancellationToken cancellationToken);

        /// <summary>Forgets the token for good: every later request fails with EglNotConnected, and no login is sent.</summary>
        void Close();

        /// <summary>Closes the session, and tells the server so where it can (the portal revokes its token); best effort.</summary>
        Task CloseAsync(EglRequestOptions options, CancellationToken cancellationToken);
    }
}
