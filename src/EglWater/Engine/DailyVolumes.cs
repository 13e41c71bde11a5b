using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EglWater.Engine
{
    /// <summary>
    /// Daily consumption from daily volumes (the customer portal gives litres per day, not indexes).
    /// Pure functions. A day the source did not give is absent: never estimated, never zero.
    /// </summary>
    public static class DailyVolumes
    {
        /// <summary>
        /// One Measured row per day that has a volume, inside [from, to], in date order. A day given
        /// twice keeps its last value (a later chunk corrects an earlier one).
        /// </summary>
        public static IReadOnlyList<EglConsumption> ToConsumption(long subscriptionNumber, IEnumerable<KeyValuePair<DateTime, double>> volumes, DateTime from, DateTime to)
        {
            if (volumes is null) throw new ArgumentNullException(nameof(volumes));
            from = from.Date;
            to = to.Date;
            var byDay = new SortedDictionary<DateTime, double>();
            foreach (var v in volumes)
            {
                var day = v.Key.Date;
                if (day < from || day > to || double.IsNaN(v.Value) || v.Value < 0) continue;
                byDay[day] = v.Value;
            }

            return byDay.Select(p => new EglConsumption(subscriptionNumber, EglGranularity.Day, p.Key, p.Key, 1, 1, p.Value, EglQuality.Measured, string.Empty, true)).ToList();
        }

        /// <summary>Missing rows (no litres) for the days [from, to] of a request that failed.</summary>
        public static IReadOnlyList<EglConsumption> Missing(long subscriptionNumber, DateTime from, DateTime to)
        {
            var rows = new List<EglConsumption>();
            for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
                rows.Add(new EglConsumption(subscriptionNumber, EglGranularity.Day, day, day, 1, 0, null, EglQuality.Missing, string.Empty, false));
            return rows;
        }

        /// <summary>The days of [from, to] without a row, as compact ranges ("2025-01-03..2025-01-05, 2025-02-01").</summary>
        public static IReadOnlyList<string> MissingDays(IEnumerable<EglConsumption> daily, DateTime from, DateTime to)
        {
            var present = new HashSet<DateTime>(daily.Select(r => r.Date));
            var ranges = new List<string>();
            DateTime? start = null;
            for (var d = from.Date; d <= to.Date.AddDays(1); d = d.AddDays(1))
            {
                bool missing = d <= to.Date && !present.Contains(d);
                if (missing && start is null) start = d;
                if (!missing && start is { } s)
                {
                    var end = d.AddDays(-1);
                    ranges.Add(s == end
                        ? s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        : s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".." + end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    start = null;
                }
            }

            return ranges;
        }
    }
}
