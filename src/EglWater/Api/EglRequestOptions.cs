using System;

namespace EglWater.Api
{
    /// <summary>Per-call settings: retries, time-out and where to log (PowerShell's own vocabulary).</summary>
    internal sealed class EglRequestOptions
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

        /// <summary>Retries after the first attempt for transient failures (network, 5xx, 408, 429).</summary>
        public int MaximumRetryCount { get; set; } = 3;

        /// <summary>Time allowed for one attempt.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>The first back-off delay; later ones double, with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>The longest Retry-After the client accepts to wait for.</summary>
        public TimeSpan MaximumRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        public IEglLog Log { get; set; } = NullEglLog.Instance;
    }
}
