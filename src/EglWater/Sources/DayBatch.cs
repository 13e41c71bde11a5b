using System;
using System.Collections.Generic;

namespace EglWater.Sources
{
    /// <summary>What a batch of a read is for.</summary>
    internal enum DayBatchRole
    {
        /// <summary>One of the requests that cover the range.</summary>
        Chunk,

        /// <summary>The reading that bounds a gap at the start of the range (the latest day before it).</summary>
        EarlierBound,

        /// <summary>The reading that bounds a gap at the end of the range (the earliest day after it).</summary>
        LaterBound,
    }

    /// <summary>
    /// One request's days, in date order: the records, or the failure that lost them (a hole: the days
    /// From..To are unknown). Batches of a read come in date order.
    /// </summary>
    internal sealed class DayBatch
    {
        public DayBatch(DayBatchRole role, int number, int count, DateTime from, DateTime to, IReadOnlyList<EglDayRecord>? records, Exception? error, int droppedOutside = 0)
        {
            Role = role;
            Number = number;
            Count = count;
            From = from;
            To = to;
            Records = records;
            Error = error;
            DroppedOutside = droppedOutside;
        }

        public DayBatchRole Role { get; }

        /// <summary>The chunk's number (1-based) among <see cref="Count"/>; 0 for a bound.</summary>
        public int Number { get; }

        public int Count { get; }

        public DateTime From { get; }

        public DateTime To { get; }

        /// <summary>The records (sorted by day, inside From..To), or null when the request failed.</summary>
        public IReadOnlyList<EglDayRecord>? Records { get; }

        /// <summary>Why the request failed (an EglException for the failures the module knows).</summary>
        public Exception? Error { get; }

        /// <summary>Records the server sent outside the days asked, left out.</summary>
        public int DroppedOutside { get; }
    }
}
