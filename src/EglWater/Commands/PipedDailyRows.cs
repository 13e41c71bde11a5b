using System;
using System.Collections.Generic;
using System.Linq;

namespace EglWater.Commands
{
    /// <summary>
    /// Daily consumption rows piped into a cmdlet (Get-EglConsumption output), kept per subscription in date order.
    /// Rows of another granularity are refused: leaks and tiers are counted day by day.
    /// </summary>
    internal sealed class PipedDailyRows
    {
        private readonly Dictionary<long, SortedDictionary<DateTime, EglConsumption>> _bySubscription = new Dictionary<long, SortedDictionary<DateTime, EglConsumption>>();

        /// <summary>Adds one row (a day given twice keeps the later row); false for a row that is not a day's (Week, Month, Year).</summary>
        public bool Add(EglConsumption row)
        {
            if (row.Granularity != EglGranularity.Day) return false;
            if (!_bySubscription.TryGetValue(row.SubscriptionNumber, out var days)) _bySubscription[row.SubscriptionNumber] = days = new SortedDictionary<DateTime, EglConsumption>();
            days[row.Date] = row;
            return true;
        }

        /// <summary>The rows per subscription (ascending), each in date order, with their first and last day.</summary>
        public IEnumerable<(long Subscription, IReadOnlyList<EglConsumption> Rows, DateTime First, DateTime Last)> BySubscription() =>
            _bySubscription.OrderBy(p => p.Key).Select(p =>
            {
                var rows = p.Value.Values.ToList();
                return (p.Key, (IReadOnlyList<EglConsumption>)rows, rows[0].Date, rows[rows.Count - 1].EndDate);
            });
    }
}
