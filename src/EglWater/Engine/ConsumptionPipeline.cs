using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EglWater.Engine
{
    /// <summary>How a subscription's consumption is computed: from the meter's index, or from the source's daily volumes.</summary>
    internal enum ConsumptionMode
    {
        /// <summary>No record came yet.</summary>
        None,

        /// <summary>Index readings (the partner API, the portal when it gives the index, a store or a CSV of them).</summary>
        Index,

        /// <summary>Daily volumes (the portal when it gives no index).</summary>
        Volume,
    }

    /// <summary>
    /// The consumption of one subscription over [from, to], from whatever source: batches of day records in
    /// date order (a batch may be unsorted inside), holes for the requests that failed, then Complete. Rows come
    /// out as soon as they are final: daily rows, or periods (week, month, year) as each one completes, so a
    /// ten-year read writes its first rows before its last batch arrives. Pure: no I/O, no clock, no culture.
    /// </summary>
    /// <remarks>
    /// The mode is chosen by the first record: with an index, the index engine (<see cref="DailyConsumptionBuilder"/>:
    /// gaps spread and flagged, meter changes, decreases, pending and conflicting readings), the records' volumes
    /// then unused; without, the daily volumes as given (<see cref="DailyVolumes"/>: a day not given is absent,
    /// never estimated). The index wins when both are given: the index is the meter's own running total, so the
    /// days always add up to its difference, and the same engine then computes both APIs' rows. The portal's
    /// signals (minimum flow, leak estimate) follow their day in both modes.
    /// </remarks>
    internal sealed class ConsumptionPipeline
    {
        private readonly long _subscription;
        private readonly DateTime _from, _to;
        private readonly DateTime? _lastServedDay;
        private readonly bool _interpolate;
        private readonly ConsumptionAggregator? _aggregator;
        private readonly DailyConsumptionBuilder _index;
        private readonly Dictionary<DateTime, (double? MinimumFlow, double? Leak)> _signals = new Dictionary<DateTime, (double?, double?)>();
        private readonly SortedSet<DateTime> _volumeDays = new SortedSet<DateTime>();
        private readonly List<(DateTime From, DateTime To)> _holes = new List<(DateTime, DateTime)>();

        /// <param name="lastServedDay">The last day any source can have published (today in Paris), for naming the days a volume source left out.</param>
        public ConsumptionPipeline(long subscriptionNumber, DateTime from, DateTime to, EglGranularity granularity, bool interpolate, DateTime? lastServedDay = null)
        {
            _subscription = subscriptionNumber;
            _from = from.Date;
            _to = to.Date;
            _interpolate = interpolate;
            _lastServedDay = lastServedDay?.Date;
            Granularity = granularity;
            _aggregator = granularity == EglGranularity.Day ? null : new ConsumptionAggregator(granularity, _from, _to);
            _index = new DailyConsumptionBuilder(_from, _to, interpolate);
            _index.SetSubscription(subscriptionNumber);
        }

        public EglGranularity Granularity { get; }

        /// <summary>True when the rows are periods (week, month, year), false for daily rows.</summary>
        public bool WritesPeriods => _aggregator is not null;

        public ConsumptionMode Mode { get; private set; }

        /// <summary>The days with an index reading that came (including the readings that bound the range).</summary>
        public DateTime? LastIndexDay => _index.LastReadingDay;

        /// <summary>The first day with an index reading that came.</summary>
        public DateTime? FirstIndexDay => _index.FirstReadingDay;

        /// <summary>Adds a batch of records (one subscription); returns the rows that became final.</summary>
        public IReadOnlyList<EglConsumption> Add(IReadOnlyList<EglDayRecord> batch)
        {
            if (batch is null) throw new ArgumentNullException(nameof(batch));
            if (batch.Count == 0) return Array.Empty<EglConsumption>();
            var rows = new List<EglConsumption>();
            if (Mode == ConsumptionMode.None)
            {
                Mode = batch.Any(r => r.Index.HasValue) ? ConsumptionMode.Index : ConsumptionMode.Volume;
                // The holes declared before the mode was known (the index builder has them already).
                if (Mode == ConsumptionMode.Volume) foreach (var (f, t) in _holes) rows.AddRange(MissingInRange(f, t));
            }

            foreach (var r in batch)
            {
                if (r.SubscriptionNumber != _subscription) throw new ArgumentException("The records of one computation must belong to one subscription.", nameof(batch));
                if ((r.MinimumFlowLitersPerHour.HasValue || r.EstimatedLeakLiters.HasValue) && r.Date >= _from && r.Date <= _to)
                    _signals[r.Date] = (r.MinimumFlowLitersPerHour, r.EstimatedLeakLiters);
            }

            if (Mode == ConsumptionMode.Index)
            {
                var readings = new List<EglIndexReading>(batch.Count);
                foreach (var r in batch)
                {
                    if (r.ToReading() is { } reading) readings.Add(reading);
                }

                return Forward(_index.Add(readings));
            }

            foreach (var r in batch.Where(r => r.Liters.HasValue && r.Date >= _from && r.Date <= _to).GroupBy(r => r.Date).OrderBy(g => g.Key))
            {
                var day = r.Last();
                if (double.IsNaN(day.Liters!.Value) || day.Liters.Value < 0) continue;
                _volumeDays.Add(day.Date);
                rows.Add(new EglConsumption(_subscription, EglGranularity.Day, day.Date, day.Date, 1, 1, day.Liters, EglQuality.Measured, string.Empty, true));
            }

            return Forward(rows);
        }

        /// <summary>Declares the days of a request that failed: a hole, never a gap (its days are Missing).</summary>
        public IReadOnlyList<EglConsumption> AddHole(DateTime from, DateTime to)
        {
            _holes.Add((from.Date, to.Date));
            if (Mode == ConsumptionMode.Volume) return Forward(MissingInRange(from.Date, to.Date));
            return Forward(_index.AddHole(from, to));
        }

        /// <summary>Ends the input: the last rows (and the last period).</summary>
        public IReadOnlyList<EglConsumption> Complete()
        {
            var output = new List<EglConsumption>();
            // Index mode, or no record at all (every request failed): the index builder writes the Missing days.
            if (Mode != ConsumptionMode.Volume) output.AddRange(Forward(_index.Complete()));
            if (_aggregator is not null) output.AddRange(_aggregator.Complete());
            return output;
        }

        /// <summary>What the computation noticed: doubtful readings, where the data stops, days a volume source left out.</summary>
        public ConsumptionDiagnostics Diagnostics => new ConsumptionDiagnostics(
            _subscription,
            Mode,
            _index.Issues,
            _index.LastReadingDay,
            _holes,
            Mode == ConsumptionMode.Volume ? DaysNotGiven() : Array.Empty<(DateTime, DateTime)>());

        private IReadOnlyList<EglConsumption> MissingInRange(DateTime from, DateTime to) =>
            DailyVolumes.Missing(_subscription, from < _from ? _from : from, to > _to ? _to : to);

        private IReadOnlyList<(DateTime From, DateTime To)> DaysNotGiven()
        {
            DateTime last = _lastServedDay is { } served && served < _to ? served : _to;
            var ranges = new List<(DateTime, DateTime)>();
            DateTime? start = null;
            for (var d = _from; d <= last; d = d.AddDays(1))
            {
                bool missing = !_volumeDays.Contains(d) && !_holes.Any(h => h.From <= d && h.To >= d);
                if (missing && start is null) start = d;
                if (!missing && start is { } s)
                {
                    ranges.Add((s, d.AddDays(-1)));
                    start = null;
                }

                if (d == DateTime.MaxValue.Date) break;
            }

            if (start is { } open) ranges.Add((open, last));
            return ranges;
        }

        /// <summary>Attaches the days' signals and passes the rows through the aggregator.</summary>
        private IReadOnlyList<EglConsumption> Forward(IReadOnlyList<EglConsumption> daily)
        {
            if (daily.Count == 0) return daily;
            var rows = _signals.Count == 0 ? daily : daily.Select(WithSignals).ToList();
            if (_aggregator is null) return rows;
            var periods = new List<EglConsumption>();
            foreach (var row in rows) periods.AddRange(_aggregator.Add(row));
            return periods;
        }

        private EglConsumption WithSignals(EglConsumption row)
        {
            double? minimumFlow = null, leak = null;
            for (var d = row.Date; d <= row.EndDate; d = d.AddDays(1))
            {
                if (_signals.TryGetValue(d, out var s))
                {
                    if (s.MinimumFlow.HasValue && (!minimumFlow.HasValue || s.MinimumFlow.Value > minimumFlow.Value)) minimumFlow = s.MinimumFlow;
                    if (s.Leak.HasValue) leak = (leak ?? 0) + s.Leak.Value;
                }

                if (d == DateTime.MaxValue.Date) break;
            }

            return minimumFlow is null && leak is null
                ? row
                : new EglConsumption(row.SubscriptionNumber, row.Granularity, row.Date, row.EndDate, row.Days, row.DaysWithData, row.Liters, row.Quality, row.RawType, row.Complete, minimumFlow, leak);
        }
    }

    /// <summary>What a pipeline noticed, for the cmdlet's warning and verbose lines.</summary>
    internal sealed class ConsumptionDiagnostics
    {
        public ConsumptionDiagnostics(
            long subscriptionNumber,
            ConsumptionMode mode,
            IReadOnlyList<ConsumptionIssue> issues,
            DateTime? lastIndexDay,
            IReadOnlyList<(DateTime From, DateTime To)> holes,
            IReadOnlyList<(DateTime From, DateTime To)> daysNotGiven)
        {
            SubscriptionNumber = subscriptionNumber;
            Mode = mode;
            Issues = issues;
            LastIndexDay = lastIndexDay;
            Holes = holes;
            DaysNotGiven = daysNotGiven;
        }

        public long SubscriptionNumber { get; }

        public ConsumptionMode Mode { get; }

        /// <summary>Invalid decreases and conflicting final readings inside the range.</summary>
        public IReadOnlyList<ConsumptionIssue> Issues { get; }

        /// <summary>The last day with an index reading (index mode).</summary>
        public DateTime? LastIndexDay { get; }

        /// <summary>The days of the requests that failed.</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> Holes { get; }

        /// <summary>The days a volume source did not give (volume mode), up to the last day it can have published.</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> DaysNotGiven { get; }

        /// <summary>The issues in one sentence ("InvalidDecrease 2024-05-03 (...), ..."), or null.</summary>
        public string? IssueText => Issues.Count == 0
            ? null
            : string.Format(CultureInfo.InvariantCulture, "subscription {0}: {1}", SubscriptionNumber, string.Join(", ", Issues.Select(i => i.Kind + " " + i)));

        /// <summary>The verbose lines: where the data stops, or which days a volume source left out.</summary>
        public IEnumerable<string> Notes(DateTime from, DateTime to)
        {
            bool holeAfterLast = Holes.Any(h => LastIndexDay is null || h.To > LastIndexDay.Value);
            if (Mode == ConsumptionMode.Volume)
            {
                if (DaysNotGiven.Count > 0)
                {
                    yield return string.Format(
                        CultureInfo.InvariantCulture,
                        "Subscription {0}: the portal gave no volume for {1}; those days are left out, not estimated (the portal publishes 1 to 5 days late and skips days without a final reading).",
                        SubscriptionNumber,
                        string.Join(", ", DaysNotGiven.Select(r => DateRange.Format(r.From, r.To))));
                }
            }
            else if (LastIndexDay is not { } last)
            {
                if (Holes.Count == 0)
                    yield return string.Format(CultureInfo.InvariantCulture, "Subscription {0}: no reading between {1:yyyy-MM-dd} and {2:yyyy-MM-dd}.", SubscriptionNumber, from > DateTime.MinValue ? from.AddDays(-1) : from, to);
            }
            else if (last < to && !holeAfterLast)
            {
                yield return string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the last available day is {1:yyyy-MM-dd}; the days after it (up to {2:yyyy-MM-dd}) are not published yet (the API publishes 1 to 5 days late).", SubscriptionNumber, last, to);
            }
        }
    }
}
