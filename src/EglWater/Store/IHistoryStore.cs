using System;
using System.Collections.Generic;

namespace EglWater.Store
{
    /// <summary>What the store knows of one subscription.</summary>
    internal sealed class HistorySubscriptionState
    {
        public HistorySubscriptionState(long subscriptionNumber, EglApiKind api, DateTime? historyStart, bool historyComplete, DateTime? firstDay, DateTime? lastDay, DateTime? firstPendingDay, DateTime? lastFinalDay)
        {
            SubscriptionNumber = subscriptionNumber;
            Api = api;
            HistoryStart = historyStart;
            HistoryComplete = historyComplete;
            FirstDay = firstDay;
            LastDay = lastDay;
            FirstPendingDay = firstPendingDay;
            LastFinalDay = lastFinalDay;
        }

        public long SubscriptionNumber { get; }

        /// <summary>The API the subscription was synced from.</summary>
        public EglApiKind Api { get; }

        /// <summary>How far back the history has been read (the first day of the oldest request written), or null.</summary>
        public DateTime? HistoryStart { get; }

        /// <summary>Whether the backward read reached the start of what the API serves (or the start the user chose).</summary>
        public bool HistoryComplete { get; }

        public DateTime? FirstDay { get; }

        public DateTime? LastDay { get; }

        /// <summary>The first day whose records are all pending (T), or null.</summary>
        public DateTime? FirstPendingDay { get; }

        /// <summary>The last day with a final record, or null.</summary>
        public DateTime? LastFinalDay { get; }
    }

    /// <summary>What a chunk's write changed.</summary>
    internal readonly struct HistoryWrite
    {
        public HistoryWrite(int added, int changed)
        {
            Added = added;
            Changed = changed;
        }

        /// <summary>Days that were not stored before.</summary>
        public int Added { get; }

        /// <summary>Days whose records were replaced (a pending day become final, a correction).</summary>
        public int Changed { get; }
    }

    /// <summary>
    /// The history store: what the APIs said of each day, kept. Writes go one chunk per transaction (a process killed
    /// in the middle leaves whole chunks only); reads give records in date order. Implemented in the backends
    /// (SQLite, PostgreSQL). Safe for concurrent callers (syncs of several subscriptions at once).
    /// </summary>
    internal interface IHistoryStore : IDisposable
    {
        /// <summary>Where the store is, for messages and results (a path, or a connection string without its password).</summary>
        string Location { get; }

        /// <summary>The subscriptions stored, ascending.</summary>
        IReadOnlyList<long> Subscriptions();

        /// <summary>The subscriptions stored and the API each was synced from, in one query (a read of a fleet needs nothing more of them).</summary>
        IReadOnlyDictionary<long, EglApiKind> Apis();

        /// <summary>What the store knows of a subscription, or null when it has nothing of it.</summary>
        HistorySubscriptionState? State(long subscriptionNumber);

        /// <summary>
        /// Writes one chunk in one transaction: the records of the days of [from, to] as the API gave them now (days
        /// it gave; a stored day it did not give is kept), and the subscription's progress. A day whose records
        /// differ from the stored ones replaces them, the old ones kept as a revision; final records are never
        /// replaced by pending ones only.
        /// </summary>
        HistoryWrite Write(long subscriptionNumber, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? historyStart, bool historyComplete, DateTimeOffset now);

        /// <summary>
        /// Takes a subscription for one sync, so that two workers do not sync it at the same time: null when another
        /// worker holds it (the caller skips it); disposing the handle releases it (so does the end of the process).
        /// </summary>
        IDisposable? TryLock(long subscriptionNumber);

        /// <summary>The records of [from, to], in date order (and in the order the API gave them within a day).</summary>
        IReadOnlyList<EglDayRecord> Read(long subscriptionNumber, DateTime from, DateTime to);
    }
}
