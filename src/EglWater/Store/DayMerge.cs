using System;
using System.Collections.Generic;
using System.Linq;

namespace EglWater.Store
{
    /// <summary>What a sync does with one day the API gave again.</summary>
    internal enum DayMergeOutcome
    {
        /// <summary>The day was not stored: its records are added.</summary>
        Added,

        /// <summary>The API says the same as stored: nothing is written.</summary>
        Unchanged,

        /// <summary>The API says something else: the stored records are replaced (and kept as a revision).</summary>
        Replaced,

        /// <summary>The API now gives only pending records where final ones are stored: the final ones stay.</summary>
        KeptFinal,
    }

    /// <summary>The store's rule for a day given again, the same for every store. Pure.</summary>
    internal static class DayMerge
    {
        /// <summary>
        /// Compares the records stored for a day with those the API gives now (as sets: the order within a day does
        /// not make a change). Final records are never replaced by pending ones only.
        /// </summary>
        public static DayMergeOutcome Decide(IReadOnlyList<EglDayRecord>? stored, IReadOnlyList<EglDayRecord> incoming)
        {
            if (stored is null || stored.Count == 0) return DayMergeOutcome.Added;
            if (Key(stored).SequenceEqual(Key(incoming))) return DayMergeOutcome.Unchanged;
            bool storedFinal = stored.Any(r => r.Type != EglReadingType.Pending);
            bool incomingFinal = incoming.Any(r => r.Type != EglReadingType.Pending);
            return storedFinal && !incomingFinal ? DayMergeOutcome.KeptFinal : DayMergeOutcome.Replaced;
        }

        private static IEnumerable<string> Key(IEnumerable<EglDayRecord> records) => records
            .Select(r => string.Join("|", Text(r.Index), r.Type.ToString(), r.RawType, Text(r.Liters), Text(r.MinimumFlowLitersPerHour), Text(r.EstimatedLeakLiters)))
            .OrderBy(k => k, StringComparer.Ordinal);

        private static string Text(double? value) => value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
    }
}
