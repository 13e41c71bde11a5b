using System;
using System.Collections.Generic;
using System.Linq;
using EglWater;

namespace EglWater.Engine
{
    /// <summary>
    /// Sums daily rows into weeks (ISO 8601, Monday first), months or years. Pure, streaming-capable:
    /// an instance takes the daily rows of one subscription in date order and gives each period as soon
    /// as it is complete.
    /// </summary>
    /// <remarks>
    /// An aggregated row: Date = the period's first day and EndDate = its last day (not clipped to the
    /// range); Days = days of the period inside [from, to]; DaysWithData = days whose litres are known;
    /// Liters = the sum of the known litres, null (not 0) when none is known; Quality = the worst quality
    /// of its days; Complete = every day of the period is inside the range, has a row, and is Measured.
    /// A row covering several days (a gap without interpolation) that straddles two periods is split
    /// evenly between them (in whole litres when whole) and its parts are at least Estimated.
    /// A period with no row at all is not emitted. Day granularity passes the daily rows through.
    /// The portal's signals: EstimatedLeakLiters is the sum of the days' estimates, MinimumFlowLitersPerHour the
    /// largest daily minimum flow (both empty when no day has one).
    /// </remarks>
    internal sealed class ConsumptionAggregator
    {
        private readonly EglGranularity _granularity;
        private readonly DateTime _from, _to;
        private Accumulator? _current;
        private long? _subscription;

        public ConsumptionAggregator(EglGranularity granularity, DateTime from, DateTime to)
        {
            _granularity = granularity;
            _from = from.Date;
            _to = to.Date;
        }

        /// <summary>
        /// Aggregated rows of the daily rows (any order, one or several subscriptions), per subscription
        /// (ascending), in date order.
        /// </summary>
        public static IReadOnlyList<EglConsumption> Aggregate(IEnumerable<EglConsumption> daily, EglGranularity granularity, DateTime from, DateTime to)
        {
            if (daily is null) throw new ArgumentNullException(nameof(daily));
            var output = new List<EglConsumption>();
            foreach (var group in daily.GroupBy(r => r.SubscriptionNumber).OrderBy(g => g.Key))
            {
                var aggregator = new ConsumptionAggregator(granularity, from, to);
                var rows = group.ToArray();
                var keys = Array.ConvertAll(rows, r => r.Date.Ticks);
                Array.Sort(keys, rows); // by date; rows of one day keep no meaningful order among themselves
                foreach (var row in rows)
                {
                    var done = aggregator.Add(row);
                    if (done.Count > 0) output.AddRange(done);
                }

                output.AddRange(aggregator.Complete());
            }

            return output;
        }

        /// <summary>The first day of the period that holds <paramref name="day"/>.</summary>
        public static DateTime PeriodStart(DateTime day, EglGranularity granularity)
        {
            day = day.Date;
            return granularity switch
            {
                EglGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
                EglGranularity.Month => new DateTime(day.Year, day.Month, 1),
                EglGranularity.Year => new DateTime(day.Year, 1, 1),
                _ => day,
            };
        }

        /// <summary>The last day of the period that starts on <paramref name="start"/>.</summary>
        public static DateTime PeriodEnd(DateTime start, EglGranularity granularity) => granularity switch
        {
            EglGranularity.Week => start.AddDays(6),
            EglGranularity.Month => start.AddMonths(1).AddDays(-1),
            EglGranularity.Year => start.AddYears(1).AddDays(-1),
            _ => start,
        };

        /// <summary>Adds the next daily row (date order); returns the periods this row completed.</summary>
        public IReadOnlyList<EglConsumption> Add(EglConsumption row)
        {
            if (row is null) throw new ArgumentNullException(nameof(row));
            if (_subscription.HasValue && _subscription.Value != row.SubscriptionNumber)
                throw new ArgumentException("One aggregator takes the rows of one subscription.", nameof(row));
            _subscription = row.SubscriptionNumber;
            DateTime lo = row.Date > _from ? row.Date : _from, hi = row.EndDate < _to ? row.EndDate : _to;
            if (lo > hi) return Array.Empty<EglConsumption>();
            if (_granularity == EglGranularity.Day) return new[] { row };

            List<EglConsumption>? output = null;
            int rowDays = (row.EndDate - row.Date).Days + 1;
            for (var p = PeriodStart(lo, _granularity); p <= hi; p = PeriodEnd(p, _granularity).AddDays(1))
            {
                var pe = PeriodEnd(p, _granularity);
                DateTime a = lo > p ? lo : p, b = hi < pe ? hi : pe;
                int days = (b - a).Days + 1;
                double? liters, leak;
                int withData;
                EglQuality quality;
                if (a == row.Date && b == row.EndDate)
                {
                    liters = row.Liters;
                    leak = row.EstimatedLeakLiters;
                    withData = row.DaysWithData;
                    quality = row.Quality;
                }
                else
                {
                    liters = row.Liters.HasValue ? Spread.Between(row.Liters.Value, rowDays, (a - row.Date).Days + 1, (b - row.Date).Days + 1) : (double?)null;
                    leak = row.EstimatedLeakLiters.HasValue ? row.EstimatedLeakLiters.Value * days / rowDays : (double?)null;
                    withData = liters.HasValue ? days : 0;
                    quality = liters.HasValue ? ConsumptionCalculator.Worst(row.Quality, EglQuality.Estimated) : row.Quality;
                }

                if (_current is not null && _current.Start != p)
                {
                    if (p < _current.Start) throw new InvalidOperationException("Daily rows must come in date order.");
                    (output ??= new List<EglConsumption>()).Add(_current.ToRow());
                    _current = null;
                }

                _current ??= new Accumulator(this, row.SubscriptionNumber, p, pe);
                _current.Add(days, withData, liters, quality, row.MinimumFlowLitersPerHour, leak);
            }

            return (IReadOnlyList<EglConsumption>?)output ?? Array.Empty<EglConsumption>();
        }

        /// <summary>Ends the input: returns the last period, if any.</summary>
        public IReadOnlyList<EglConsumption> Complete()
        {
            if (_current is null) return Array.Empty<EglConsumption>();
            var row = _current.ToRow();
            _current = null;
            return new[] { row };
        }

        private sealed class Accumulator
        {
            private readonly ConsumptionAggregator _owner;
            private readonly long _subscription;
            private int _covered, _withData;
            private double _liters;
            private bool _anyLiters;
            private EglQuality _worst = EglQuality.Measured;
            private double? _minimumFlow, _leak;

            public Accumulator(ConsumptionAggregator owner, long subscription, DateTime start, DateTime end)
            {
                _owner = owner;
                _subscription = subscription;
                Start = start;
                End = end;
            }

            public DateTime Start { get; }

            public DateTime End { get; }

            public void Add(int days, int withData, double? liters, EglQuality quality, double? minimumFlow, double? leak)
            {
                if (minimumFlow.HasValue && (!_minimumFlow.HasValue || minimumFlow.Value > _minimumFlow.Value)) _minimumFlow = minimumFlow;
                if (leak.HasValue) _leak = (_leak ?? 0) + leak.Value;
                _covered += days;
                _withData += withData;
                if (liters.HasValue)
                {
                    _liters += liters.Value;
                    _anyLiters = true;
                }

                _worst = ConsumptionCalculator.Worst(_worst, quality);
            }

            public EglConsumption ToRow()
            {
                DateTime a = Start > _owner._from ? Start : _owner._from, b = End < _owner._to ? End : _owner._to;
                int inRange = (b - a).Days + 1;
                int length = (End - Start).Days + 1;
                bool complete = inRange == length && _covered == length && _withData == length && _worst == EglQuality.Measured;
                return new EglConsumption(_subscription, _owner._granularity, Start, End, inRange, _withData, _anyLiters ? _liters : (double?)null, _worst, string.Empty, complete, _minimumFlow, _leak);
            }
        }
    }
}
