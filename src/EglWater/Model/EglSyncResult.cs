using System;
using System.Globalization;

namespace EglWater
{
    /// <summary>What one Sync-EglHistory run did to one subscription's history in a store.</summary>
    public sealed class EglSyncResult
    {
        public EglSyncResult(long subscriptionNumber, EglApiKind api, string path, DateTime? firstDay, DateTime? lastDay, int daysAdded, int daysChanged, int requests, bool historyComplete, int failedRequests)
        {
            SubscriptionNumber = subscriptionNumber;
            Api = api;
            Path = path ?? string.Empty;
            FirstDay = firstDay;
            LastDay = lastDay;
            DaysAdded = daysAdded;
            DaysChanged = daysChanged;
            Requests = requests;
            HistoryComplete = historyComplete;
            FailedRequests = failedRequests;
        }

        public long SubscriptionNumber { get; }

        /// <summary>The API the subscription's days come from.</summary>
        public EglApiKind Api { get; }

        /// <summary>The store (a file path, or a PostgreSQL database without its password).</summary>
        public string Path { get; }

        /// <summary>The first day stored (after this run), or empty when the store holds no day of it.</summary>
        public DateTime? FirstDay { get; }

        /// <summary>The last day stored (after this run).</summary>
        public DateTime? LastDay { get; }

        /// <summary>Days this run stored for the first time.</summary>
        public int DaysAdded { get; }

        /// <summary>Days whose stored records this run replaced (a pending day become final, a correction); the old ones are kept as revisions.</summary>
        public int DaysChanged { get; }

        /// <summary>Data requests sent (logins not counted).</summary>
        public int Requests { get; }

        /// <summary>Whether the store holds the history back to the first day the API serves (or to the -StartDate given).</summary>
        public bool HistoryComplete { get; }

        /// <summary>Data requests that failed (each one also written as an error); their days are read again by the next sync.</summary>
        public int FailedRequests { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {1} added, {2} changed, {3:yyyy-MM-dd}..{4:yyyy-MM-dd}",
            SubscriptionNumber,
            DaysAdded,
            DaysChanged,
            FirstDay,
            LastDay);
    }
}
