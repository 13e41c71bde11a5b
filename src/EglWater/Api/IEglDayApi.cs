using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EglWater.Api
{
    /// <summary>Whether a backend's days carry the meter's index.</summary>
    internal enum EglIndexAvailability
    {
        /// <summary>Never (the portal's older answers: volumes only).</summary>
        Never,

        /// <summary>When the answer has it (the portal's 2026 answers): known only once read.</summary>
        Sometimes,

        /// <summary>Always (the partner API: index readings).</summary>
        Always,
    }

    /// <summary>
    /// What a logged-in backend offers to read: the days of one subscription over a range, one request at a
    /// time, and how it wants a range cut into requests. The cmdlets ask this, never the backend's type.
    /// </summary>
    internal interface IEglDayApi
    {
        /// <summary>Whether the days carry the meter's index.</summary>
        EglIndexAvailability Indexes { get; }

        /// <summary>The requests [from, to] is read in: consecutive, covering it exactly, in date order.</summary>
        IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to);

        /// <summary>The days of one subscription between two calendar days (inclusive), one request (plus one re-login when the token expired).</summary>
        Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken);
    }
}
