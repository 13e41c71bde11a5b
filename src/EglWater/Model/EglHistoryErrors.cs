using System;

namespace EglWater
{
    /// <summary>The file (or database) is not an EglWater history store: it was left untouched.</summary>
    public sealed class EglHistoryInvalidException : EglException
    {
        public EglHistoryInvalidException(string store, string reason, Exception? inner = null)
            : base($"'{store}' is not an EglWater history store ({reason}); it was left untouched.", inner)
        {
            Store = store;
            Reason = reason;
        }

        public string Store { get; }

        public string Reason { get; }

        public override string ErrorId => "EglHistoryInvalid";
    }

    /// <summary>The store's schema is of another version than this module's.</summary>
    public sealed class EglHistoryVersionException : EglException
    {
        public EglHistoryVersionException(string store, int version, int supported)
            : base(version > supported
                ? $"The history store '{store}' has schema version {version}, newer than this module's ({supported}); it was left untouched."
                : $"The history store '{store}' has schema version {version}, older than this module's ({supported}); reading needs it upgraded first, which a sync does.")
        {
            Store = store;
            Version = version;
            Supported = supported;
        }

        public string Store { get; }

        public int Version { get; }

        public int Supported { get; }

        public override string ErrorId => "EglHistoryVersion";
    }

    /// <summary>The store cannot be created, opened or written (permissions, a read-only place, a folder, no such file).</summary>
    public sealed class EglHistoryAccessException : EglException
    {
        public EglHistoryAccessException(string store, string reason, Exception? inner = null)
            : base($"The history store '{store}' cannot be used: {reason}.", inner)
        {
            Store = store;
            Reason = reason;
        }

        public string Store { get; }

        public string Reason { get; }

        public override string ErrorId => "EglHistoryAccess";
    }

    /// <summary>Another process held the store's write lock for longer than the busy time-out.</summary>
    public sealed class EglHistoryLockedException : EglException
    {
        public EglHistoryLockedException(string store, TimeSpan waited, Exception? inner = null)
            : base(waited > TimeSpan.Zero
                ? $"The history store '{store}' stayed locked by another writer for {waited.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s; nothing of this chunk was written."
                : $"The history store '{store}' refused this chunk because another writer held what it needed (a lock conflict or a deadlock); nothing of this chunk was written.", inner)
        {
            Store = store;
        }

        public string Store { get; }

        public override string ErrorId => "EglHistoryLocked";
    }

    /// <summary>A subscription stored from one API cannot be synced from the other (their days do not say the same things).</summary>
    public sealed class EglHistoryApiMismatchException : EglException
    {
        public EglHistoryApiMismatchException(string store, long subscriptionNumber, string storedApi, string sessionApi)
            : base($"The history store '{store}' holds subscription {subscriptionNumber} from the {storedApi} API; it cannot be synced from the {sessionApi} API.")
        {
            Store = store;
            SubscriptionNumber = subscriptionNumber;
        }

        public string Store { get; }

        public long SubscriptionNumber { get; }

        public override string ErrorId => "EglHistoryApiMismatch";
    }

    /// <summary>The history database cannot be reached, lost the connection in the middle of a command, or cannot serve it now (disk full, too many connections, a statement timed out).</summary>
    public sealed class EglHistoryUnavailableException : EglException
    {
        public EglHistoryUnavailableException(string store, string reason, Exception? inner = null)
            : base($"The history database {store} is unavailable: {reason}. Each request's days are written in one transaction, so a chunk is stored whole or not at all, and what was written before stays.", inner)
        {
            Store = store;
            Reason = reason;
        }

        public string Store { get; }

        public string Reason { get; }

        public override string ErrorId => "EglHistoryUnavailable";
    }
}
