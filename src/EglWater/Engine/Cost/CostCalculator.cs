using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EglWater;

namespace EglWater.Engine.Cost
{
    /// <summary>
    /// What the water of one subscription costs by a tariff, per day, ISO week, month or year. Pure: no I/O,
    /// no clock, no culture. See <see cref="CostBuilder"/> for the rules.
    /// </summary>
    internal static class CostCalculator
    {
        /// <summary>
        /// Starts a streaming computation. Checks at once that the tariff prices every day of
        /// [<paramref name="from"/>, <paramref name="to"/>] (<see cref="EglTariffMissingPeriodException"/>)
        /// and knows the meter's diameter in each of those periods (<see cref="EglTariffUnknownDiameterException"/>).
        /// </summary>
        public static CostBuilder Start(long subscriptionNumber, DateTime from, DateTime to, EglGranularity granularity, Tariff tariff, int diameterMillimeters, int dwellings = 1)
            => new CostBuilder(subscriptionNumber, from, to, granularity, tariff, diameterMillimeters, dwellings);

        /// <summary>
        /// The cost rows of the daily rows (one subscription, date order), streamed: a period is yielded as
        /// soon as its last day of the range has been read. After the enumeration, the builder tells where
        /// the tier count started (<see cref="CostBuilder.TierCountStart"/>).
        /// </summary>
        public static IEnumerable<EglCost> Stream(IEnumerable<EglConsumption> daily, CostBuilder builder)
        {
            if (daily is null) throw new ArgumentNullException(nameof(daily));
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            return Iterate(daily, builder);
        }

        /// <summary>All the cost rows at once (see <see cref="Start"/> and <see cref="Stream"/>).</summary>
        public static IReadOnlyList<EglCost> Calculate(IEnumerable<EglConsumption> daily, long subscriptionNumber, DateTime from, DateTime to, EglGranularity granularity, Tariff tariff, int diameterMillimeters, int dwellings = 1)
            => Stream(daily, Start(subscriptionNumber, from, to, granularity, tariff, diameterMillimeters, dwellings)).ToList();

        private static IEnumerable<EglCost> Iterate(IEnumerable<EglConsumption> daily, CostBuilder builder)
        {
            foreach (var row in daily)
            {
                var done = builder.Add(row);
                for (int i = 0; i < done.Count; i++) yield return done[i];
            }

            var last = builder.Complete();
            for (int i = 0; i < last.Count; i++) yield return last[i];
        }

        /// <summary>
        /// The drinking-water price of <paramref name="volume"/> m³ consumed when the year's count is at
        /// <paramref name="before"/> m³: each part of the volume pays the price of the tier it falls in
        /// (bounds multiplied by <paramref name="dwellings"/>).
        /// </summary>
        internal static decimal Tiered(IReadOnlyList<TariffTier> tiers, decimal before, decimal volume, int dwellings)
        {
            decimal after = before + volume, lower = 0m, cost = 0m;
            foreach (var tier in tiers)
            {
                decimal? upper = tier.UpToCubicMeters * dwellings;
                decimal a = before > lower ? before : lower;
                decimal b = upper.HasValue && upper.Value < after ? upper.Value : after;
                if (b > a) cost += (b - a) * tier.PricePerCubicMeter;
                if (!upper.HasValue || after <= upper.Value) break;
                lower = upper.Value;
            }

            return cost;
        }
    }

    /// <summary>
    /// The streaming cost computation of one subscription: give the daily rows in date order, get each
    /// period as soon as it is complete.
    /// </summary>
    /// <remarks>
    /// Rules:
    /// <list type="bullet">
    /// <item>A row covering several days has its litres spread evenly over them (whole litres when whole,
    /// like the consumption engine). A row with unknown litres costs no water, and its period is not Complete.</item>
    /// <item>Each day of [from, to] pays its share of the yearly subscription of the tariff period that
    /// contains it (amount / 365 or 366, the days of its own year), whether its volume is known or not;
    /// a day with no row at all costs only that, and makes its period incomplete.</item>
    /// <item>Drinking water is tiered on the volume counted since 1 January of the day's year (bounds ×
    /// dwellings), marginally: a day that crosses a bound pays each part at its tier's price. The count
    /// goes on across a tariff change inside a year and restarts on each 1 January. Rows before from are
    /// read only for this count. When a year's first row is after 1 January, its count starts there
    /// (see <see cref="TierCountStart"/> and <see cref="LateTierCountStarts"/>).</item>
    /// <item>Other items are paid on every cubic metre (the sum of the period's perCubicMeter prices).</item>
    /// <item>Euros are summed exactly (decimal) per day, each component rounded to the cent once per row,
    /// midpoint away from zero; the total is the sum of the rounded components.</item>
    /// </list>
    /// </remarks>
    internal sealed class CostBuilder
    {
        private readonly long _subscription;
        private readonly DateTime _from, _to;
        private readonly EglGranularity _granularity;
        private readonly Tariff _tariff;
        private readonly int _diameter, _dwellings;
        private readonly List<DateTime> _lateStarts = new List<DateTime>();
        private DateTime? _lastRowDay;
        private DateTime _next;
        private bool _rangeDone, _completed;

        private int _countYear = -1;
        private decimal _count;
        private DateTime _countStart;
        private bool _lateRecorded;

        private TariffPeriod? _period;
        private decimal _periodSubscription;
        private Accumulator? _current;

        public CostBuilder(long subscriptionNumber, DateTime from, DateTime to, EglGranularity granularity, Tariff tariff, int diameterMillimeters, int dwellings = 1)
        {
            if (dwellings < 1) throw new ArgumentOutOfRangeException(nameof(dwellings), dwellings, "The number of dwellings is at least 1.");
            _tariff = tariff ?? throw new ArgumentNullException(nameof(tariff));
            _subscription = subscriptionNumber;
            _from = from.Date;
            _to = to.Date;
            _granularity = granularity;
            _diameter = diameterMillimeters;
            _dwellings = dwellings;
            _next = _from;
            _rangeDone = _from > _to;
            CheckTariff();
        }

        /// <summary>
        /// Where the tier count of the first priced year started: 1 January when the rows go back that far,
        /// else the year's first row (the tiers then count too little: warn). Null until a day of the range
        /// with a row has been priced.
        /// </summary>
        public DateTime? TierCountStart { get; private set; }

        /// <summary>Every year whose tier count started after 1 January (its first day counted), for the days priced.</summary>
        public IReadOnlyList<DateTime> LateTierCountStarts => _lateStarts;

        /// <summary>Adds the next daily row (date order, no overlap); returns the periods it completed.</summary>
        public IReadOnlyList<EglCost> Add(EglConsumption row)
        {
            if (row is null) throw new ArgumentNullException(nameof(row));
            if (_completed) throw new InvalidOperationException("The cost computation is complete.");
            if (row.Granularity != EglGranularity.Day) throw new ArgumentException("The cost is computed from daily rows.", nameof(row));
            if (row.SubscriptionNumber != _subscription)
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "A row of subscription {0} given to the computation of subscription {1}.", row.SubscriptionNumber, _subscription), nameof(row));
            if (row.EndDate < row.Date) throw new ArgumentException("A row ends before it starts.", nameof(row));
            if (row.Liters.HasValue && !(row.Liters.Value >= 0 && row.Liters.Value <= 1e15))
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The litres of {0} are not a volume the cost can use ({1}).", row, row.Liters.Value), nameof(row));
            if (_lastRowDay.HasValue && row.Date <= _lastRowDay.Value)
                throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "Daily rows must come in date order without overlap: {0:yyyy-MM-dd} after {1:yyyy-MM-dd}.", row.Date, _lastRowDay.Value));
            _lastRowDay = row.EndDate;

            List<EglCost>? output = null;
            int n = (row.EndDate - row.Date).Days + 1;
            DateTime last = row.EndDate < _to ? row.EndDate : _to;
            FillMissing(row.Date, ref output);
            for (var d = row.Date; d <= last; d = d.AddDays(1))
            {
                decimal? volume = row.Liters.HasValue ? ToCubicMeters(Spread.Share(row.Liters.Value, n, (d - row.Date).Days + 1)) : (decimal?)null;
                if (d < _from)
                {
                    Count(d, volume);
                }
                else
                {
                    Price(d, true, volume, ref output);
                }

                if (d == last) break;
            }

            return (IReadOnlyList<EglCost>?)output ?? Array.Empty<EglCost>();
        }

        /// <summary>Ends the input: the days of the range after the last row cost their subscription share; returns the last periods.</summary>
        public IReadOnlyList<EglCost> Complete()
        {
            if (_completed) return Array.Empty<EglCost>();
            _completed = true;
            List<EglCost>? output = null;
            while (!_rangeDone) Price(_next, false, null, ref output);
            return (IReadOnlyList<EglCost>?)output ?? Array.Empty<EglCost>();
        }

        private static decimal ToCubicMeters(double liters) => (decimal)liters / 1000m;

        private void CheckTariff()
        {
            if (_from > _to) return;
            var day = _from;
            while (true)
            {
                var period = _tariff.PeriodOf(day) ?? throw new EglTariffMissingPeriodException(day, _tariff.Name, _tariff.File, _tariff.DescribePeriods());
                if (!period.TryGetSubscription(_diameter, out _))
                    throw new EglTariffUnknownDiameterException(_diameter, _tariff.Name, _tariff.File, period.SubscriptionPerYear.Keys, day);
                if (!period.To.HasValue || period.To.Value >= _to) return;
                day = period.To.Value.AddDays(1);
            }
        }

        /// <summary>The days of the range before <paramref name="day"/> that have no row.</summary>
        private void FillMissing(DateTime day, ref List<EglCost>? output)
        {
            while (!_rangeDone && _next < day) Price(_next, false, null, ref output);
        }

        private void Count(DateTime day, decimal? volume)
        {
            if (day.Year != _countYear)
            {
                _countYear = day.Year;
                _count = 0m;
                _countStart = day;
                _lateRecorded = false;
            }

            if (volume.HasValue) _count += volume.Value;
        }

        private void Price(DateTime day, bool hasRow, decimal? volume, ref List<EglCost>? output)
        {
            if (_period is null || !_period.Contains(day))
            {
                _period = _tariff.PeriodOf(day) ?? throw new EglTariffMissingPeriodException(day, _tariff.Name, _tariff.File, _tariff.DescribePeriods());
                if (!_period.TryGetSubscription(_diameter, out _periodSubscription))
                    throw new EglTariffUnknownDiameterException(_diameter, _tariff.Name, _tariff.File, _period.SubscriptionPerYear.Keys, day);
            }

            if (_current is null)
            {
                var start = ConsumptionAggregator.PeriodStart(day, _granularity);
                _current = new Accumulator(start, ConsumptionAggregator.PeriodEnd(start, _granularity));
            }

            _current.AddSubscription(_periodSubscription, DateTime.IsLeapYear(day.Year) ? 366 : 365);
            if (hasRow)
            {
                if (day.Year != _countYear) Count(day, null);
                TierCountStart ??= _countStart;
                if (!_lateRecorded && (_countStart.Month != 1 || _countStart.Day != 1))
                {
                    _lateStarts.Add(_countStart);
                    _lateRecorded = true;
                }

                if (volume.HasValue)
                {
                    decimal drinking = CostCalculator.Tiered(_period.DrinkingWater, _count, volume.Value, _dwellings);
                    _current.AddVolume(volume.Value, drinking, volume.Value * _period.OtherPerCubicMeter);
                    _count += volume.Value;
                }
            }

            bool endOfRange = day == _to;
            if (endOfRange) _rangeDone = true;
            else _next = day.AddDays(1);
            if (endOfRange || day == _current.End)
            {
                (output ??= new List<EglCost>()).Add(ToRow(_current));
                _current = null;
            }
        }

        private EglCost ToRow(Accumulator acc)
        {
            DateTime a = acc.Start > _from ? acc.Start : _from, b = acc.End < _to ? acc.End : _to;
            int inRange = (b - a).Days + 1;
            int length = (acc.End - acc.Start).Days + 1;
            bool complete = inRange == length && acc.KnownDays == length;
            return new EglCost(
                _subscription,
                _granularity,
                acc.Start,
                acc.End,
                inRange,
                acc.KnownDays > 0 ? (double)acc.Volume : (double?)null,
                Cents(acc.Drinking),
                Cents(acc.Other),
                Cents(acc.Subscription()),
                _tariff.Name,
                complete);
        }

        private static decimal Cents(decimal euros) => Math.Round(euros, 2, MidpointRounding.AwayFromZero);

        /// <summary>The exact sums of one period.</summary>
        private sealed class Accumulator
        {
            // Subscription days grouped by (yearly amount, days of the year): one division per group.
            private readonly List<(decimal Amount, int YearDays, int Days)> _subscription = new List<(decimal, int, int)>(2);

            public Accumulator(DateTime start, DateTime end)
            {
                Start = start;
                End = end;
            }

            public DateTime Start { get; }

            public DateTime End { get; }

            public int KnownDays { get; private set; }

            public decimal Volume { get; private set; }

            public decimal Drinking { get; private set; }

            public decimal Other { get; private set; }

            public void AddVolume(decimal volume, decimal drinking, decimal other)
            {
                KnownDays++;
                Volume += volume;
                Drinking += drinking;
                Other += other;
            }

            public void AddSubscription(decimal amount, int yearDays)
            {
                int last = _subscription.Count - 1;
                if (last >= 0 && _subscription[last].Amount == amount && _subscription[last].YearDays == yearDays)
                    _subscription[last] = (amount, yearDays, _subscription[last].Days + 1);
                else
                    _subscription.Add((amount, yearDays, 1));
            }

            public decimal Subscription()
            {
                decimal total = 0m;
                foreach (var (amount, yearDays, days) in _subscription) total += amount * days / yearDays;
                return total;
            }
        }
    }
}
