using System;
using System.Collections.Generic;

namespace EglWater.Engine
{
    /// <summary>
    /// Rows for days without litres. Pure functions.
    /// </summary>
    internal static class DailyVolumes
    {
        /// <summary>Missing rows (no litres) for the days [from, to] of a request that failed.</summary>
        public static IReadOnlyList<EglConsumption> Missing(long subscriptionNumber, DateTime from, DateTime to)
        {
            var rows = new List<EglConsumption>();
            for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
                rows.Add(new EglConsumption(subscriptionNumber, EglGranularity.Day, day, day, 1, 0, null, EglQuality.Missing, string.Empty, false));
            return rows;
        }
    }
}
