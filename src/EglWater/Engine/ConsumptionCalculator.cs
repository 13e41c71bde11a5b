using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using EglWater;

namespace EglWater.Engine
{
    /// <summary>
    /// Daily consumption from index readings: pure functions, no I/O, no PowerShell, no clock, no
    /// culture, no time zone. Liters(d) = Index(d) - Index(d-1).
    /// </summary>
    /// <remarks>
    /// Rules (one subscription at a time):
    /// <list type="bullet">
    /// <item>Several readings of one day: a final one (R, A, D, V, ...) wins over a pending T one, whatever
    /// their order; identical duplicates collapse; two different final readings of one day keep the one a
    /// meter change (D) first, then R, A, unknown letters, then the higher index, and raise a
    /// <see cref="ConsumptionIssueKind.ConflictingReadings"/> issue (the day is at least Anomaly).</item>
    /// <item>A D reading: the day (and any unpublished days just before it) has no Liters and the quality
    /// MeterChange; the D reading is the baseline of the next day.</item>
    /// <item>An index lower than the previous one without D: no Liters, quality Invalid, an
    /// <see cref="ConsumptionIssueKind.InvalidDecrease"/> issue; the lower reading is the next baseline
    /// (the formula's literal meaning: a meter replaced without a D flag restarts from there).</item>
    /// <item>Unpublished days between two readings (a gap): interpolated, one row per day, the difference
    /// spread evenly in whole litres when it is whole (the sum is exact), quality at least Estimated. Not
    /// interpolated: one row for the whole gap (Days &gt; 1). A gap that ends on a D or an invalid decrease
    /// has no Liters on any of its days (its difference means nothing).</item>
    /// <item>Nothing before the first reading + 1 day, nothing after the last reading (see LastReadingDay).</item>
    /// <item>A hole (days whose readings could not be read: a failed request) is never a gap: every day whose
    /// value depends on it has no Liters and the quality Missing, including the first day after it.</item>
    /// <item>The row of a day never depends on the range asked, given the readings that bound it: a gap is
    /// spread from its two bounding readings whatever the range, and without interpolation its one row is
    /// written whole (Date, EndDate and Days of the whole gap, possibly outside the range).</item>
    /// </list>
    /// </remarks>
    internal static class ConsumptionCalculator
    {
        /// <summary>
        /// Daily rows for the days of [from, to] that can be computed from the readings (one subscription,
        /// any order). The result also carries the issues found and the first and last days read.
        /// Give a reading of the day before <paramref name="from"/> so that the first day has a value.
        /// </summary>
        public static DailyConsumption Daily(IEnumerable<EglIndexReading> readings, DateTime from, DateTime to, bool interpolate = true)
        {
            if (readings is null) throw new ArgumentNullException(nameof(readings));
            var builder = new DailyConsumptionBuilder(from, to, interpolate);
            var rows = new List<EglConsumption>();
            rows.AddRange(builder.Add(readings));
            rows.AddRange(builder.Complete());
            return new DailyConsumption(rows, builder);
        }

        /// <summary>The quality of a day whose two readings are consecutive, from the later reading's type.</summary>
        public static EglQuality QualityOf(EglReadingType type) => type switch
        {
            EglReadingType.Real => EglQuality.Measured,
            EglReadingType.Anomaly => EglQuality.Anomaly,
            EglReadingType.MeterChange => EglQuality.MeterChange,
            EglReadingType.Pending => EglQuality.Pending,
            _ => EglQuality.Unknown,
        };

        /// <summary>The worse of two qualities (the enum is ordered best to worst).</summary>
        public static EglQuality Worst(EglQuality a, EglQuality b) => (int)a >= (int)b ? a : b;
    }

    /// <summary>What kind of doubtful data the engine met.</summary>
    internal enum ConsumptionIssueKind
    {
        /// <summary>The index went down without a meter change (D): the day has no Liters (Invalid).</summary>
        InvalidDecrease,

        /// <summary>Two different final readings for the same day: one was kept, the day is flagged.</summary>
        ConflictingReadings,
    }

    /// <summary>One doubtful spot in the readings, for the cmdlet's warning.</summary>
    internal sealed class ConsumptionIssue
    {
        public ConsumptionIssue(ConsumptionIssueKind kind, DateTime date, DateTime previousDate, double previousIndex, double index)
        {
            Kind = kind;
            Date = date;
            PreviousDate = previousDate;
            PreviousIndex = previousIndex;
            Index = index;
        }

        public ConsumptionIssueKind Kind { get; }

        /// <summary>The day of the reading concerned.</summary>
        public DateTime Date { get; }

        /// <summary>The day of the reading it was compared with (the same day for conflicting readings).</summary>
        public DateTime PreviousDate { get; }

        public double PreviousIndex { get; }

        public double Index { get; }

        public override string ToString() => Kind == ConsumptionIssueKind.InvalidDecrease
            ? string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd} (index {1} L after {2} L on {3:yyyy-MM-dd})", Date, Index, PreviousIndex, PreviousDate)
            : string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd} (final readings {1} L and {2} L)", Date, PreviousIndex, Index);
    }

    /// <summary>The daily rows of one subscription, in date order, with what the engine noticed.</summary>
    internal sealed class DailyConsumption : IReadOnlyList<EglConsumption>
    {
        private readonly List<EglConsumption> _rows;

        internal DailyConsumption(List<EglConsumption> rows, DailyConsumptionBuilder builder)
        {
            _rows = rows;
            Issues = builder.Issues;
            FirstReadingDay = builder.FirstReadingDay;
            LastReadingDay = builder.LastReadingDay;
        }

        /// <summary>Invalid decreases and conflicting readings that touch the range, in date order.</summary>
        public IReadOnlyList<ConsumptionIssue> Issues { get; }

        /// <summary>The day of the first reading (the first computable day is the day after).</summary>
        public DateTime? FirstReadingDay { get; }

        /// <summary>The last day with a reading: the last available day; nothing is emitted after it.</summary>
        public DateTime? LastReadingDay { get; }

        public int Count => _rows.Count;

        public EglConsumption this[int index] => _rows[index];

        public IEnumerator<EglConsumption> GetEnumerator() => _rows.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// The streaming form of <see cref="ConsumptionCalculator.Daily"/>: give readings in batches whose days
    /// do not go back before the previous batches' last day (each batch may be unsorted), get the rows as
    /// soon as they are final. The rows of a day are final when a later day has been seen, or at
    /// <see cref="Complete"/>. One pass after each batch's sort: O(n log n) for n readings.
    /// </summary>
    internal sealed class DailyConsumptionBuilder
    {
        private readonly DateTime _from, _to, _issueFrom;
        private readonly bool _interpolate;
        private readonly List<ConsumptionIssue> _issues = new List<ConsumptionIssue>();
        private EglIndexReading? _baseline;
        private EglIndexReading? _candidate;
        private bool _candidateConflict;
        private bool _completed;
        private long? _subscription;
        private readonly List<(DateTime From, DateTime To)> _holes = new List<(DateTime, DateTime)>();

        public DailyConsumptionBuilder(DateTime from, DateTime to, bool interpolate = true)
        {
            _from = from.Date;
            _to = to.Date;
            _issueFrom = _from == DateTime.MinValue.Date ? _from : _from.AddDays(-1);
            _interpolate = interpolate;
        }

        public IReadOnlyList<ConsumptionIssue> Issues => _issues;

        public DateTime? FirstReadingDay { get; private set; }

        public DateTime? LastReadingDay { get; private set; }

        /// <summary>Adds a batch of readings of one subscription; returns the rows that became final.</summary>
        public IReadOnlyList<EglConsumption> Add(IEnumerable<EglIndexReading> batch)
        {
            if (batch is null) throw new ArgumentNullException(nameof(batch));
            if (_completed) throw new InvalidOperationException("The builder is complete.");
            var sorted = new List<EglIndexReading>(batch);
            if (sorted.Count == 0) return Array.Empty<EglConsumption>();
            var keys = new long[sorted.Count];
            for (int i = 0; i < keys.Length; i++) keys[i] = sorted[i].Date.Ticks;
            var items = sorted.ToArray();
            Array.Sort(keys, items);

            var output = new List<EglConsumption>();
            foreach (var r in items)
            {
                if (_candidate is null)
                {
                    if (_baseline is not null && r.Date <= _baseline.Date)
                        throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "Readings must come in date order across batches: {0:yyyy-MM-dd} after {1:yyyy-MM-dd}.", r.Date, _baseline.Date));
                    _candidate = r;
                    _candidateConflict = false;
                }
                else if (r.Date == _candidate.Date)
                {
                    Merge(r);
                }
                else if (r.Date > _candidate.Date)
                {
                    Process(_candidate, _candidateConflict, output);
                    _candidate = r;
                    _candidateConflict = false;
                }
                else
                {
                    throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "Readings must come in date order across batches: {0:yyyy-MM-dd} after {1:yyyy-MM-dd}.", r.Date, _candidate.Date));
                }

                _subscription ??= r.SubscriptionNumber;
                if (r.SubscriptionNumber != _subscription.Value)
                    throw new ArgumentException("The readings of one computation must belong to one subscription.", nameof(batch));
            }

            return output;
        }

        /// <summary>
        /// Declares days whose readings could not be read (a failed request): a hole, not a gap. Give it in date
        /// order with the batches (before the readings that follow it). Returns the rows that became final.
        /// </summary>
        public IReadOnlyList<EglConsumption> AddHole(DateTime from, DateTime to)
        {
            if (_completed) throw new InvalidOperationException("The builder is complete.");
            from = from.Date;
            to = to.Date;
            if (from > to) return Array.Empty<EglConsumption>();
            _holes.Add((from, to));
            return Array.Empty<EglConsumption>();
        }

        /// <summary>The days of the holes declared, as they were given.</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> Holes => _holes;

        /// <summary>Ends the input: returns the rows of the last day read, and the Missing days of a hole after it.</summary>
        public IReadOnlyList<EglConsumption> Complete()
        {
            if (_completed) return Array.Empty<EglConsumption>();
            _completed = true;
            var output = new List<EglConsumption>();
            if (_candidate is not null) Process(_candidate, _candidateConflict, output);
            _candidate = null;

            // A hole after the last reading: its days (and the unpublished-or-not days before it) are Missing.
            DateTime? lastHoleEnd = null;
            foreach (var h in _holes)
            {
                if (_baseline is null || h.To > _baseline.Date) lastHoleEnd = lastHoleEnd is { } e && e > h.To ? e : h.To;
            }

            if (lastHoleEnd is { } end && _subscription is { } sub)
            {
                DateTime first = _baseline is null ? FirstHoleStart() : _baseline.Date.AddDays(1);
                EmitMissing(sub, first, end, output);
            }

            return output;
        }

        /// <summary>
        /// The subscription the rows belong to: needed before <see cref="Complete"/> when no reading may come
        /// (every request failed), so that the Missing rows can be written.
        /// </summary>
        public void SetSubscription(long subscriptionNumber)
        {
            if (_subscription.HasValue && _subscription.Value != subscriptionNumber)
                throw new ArgumentException("The readings of one computation must belong to one subscription.", nameof(subscriptionNumber));
            _subscription = subscriptionNumber;
        }

        private DateTime FirstHoleStart()
        {
            DateTime first = DateTime.MaxValue;
            foreach (var h in _holes) if (h.From < first) first = h.From;
            return first;
        }

        /// <summary>Whether a hole touches the days [from, to].</summary>
        private bool HoleWithin(DateTime from, DateTime to)
        {
            foreach (var h in _holes)
            {
                if (h.From <= to && h.To >= from) return true;
            }

            return false;
        }

        /// <summary>
        /// Missing rows (no Liters) for the days [first, last] inside the range: one per day, or one row for them
        /// without interpolation (cut to the range: how far a failed read reaches depends on the request, not on the meter).
        /// </summary>
        private void EmitMissing(long sub, DateTime first, DateTime last, List<EglConsumption> output)
        {
            DateTime lo = first > _from ? first : _from, hi = last < _to ? last : _to;
            if (lo > hi) return;
            if (_interpolate)
            {
                for (var day = lo; day <= hi; day = day.AddDays(1))
                {
                    output.Add(new EglConsumption(sub, EglGranularity.Day, day, day, 1, 0, null, EglQuality.Missing, string.Empty, false));
                    if (day == DateTime.MaxValue.Date) break;
                }
            }
            else
            {
                output.Add(new EglConsumption(sub, EglGranularity.Day, lo, hi, (hi - lo).Days + 1, 0, null, EglQuality.Missing, string.Empty, false));
            }
        }

        private static int FinalRank(EglReadingType t) => t switch
        {
            EglReadingType.MeterChange => 0,
            EglReadingType.Real => 1,
            EglReadingType.Anomaly => 2,
            EglReadingType.Unknown => 3,
            _ => 4,
        };

        private void Merge(EglIndexReading r)
        {
            var c = _candidate!;
            bool cPending = c.Type == EglReadingType.Pending, rPending = r.Type == EglReadingType.Pending;
            if (cPending != rPending)
            {
                // A final reading wins over a pending one, whatever the order.
                if (cPending) _candidate = r;
                return;
            }

            if (c.Index.Equals(r.Index) && string.Equals(c.RawType, r.RawType, StringComparison.OrdinalIgnoreCase)) return; // identical
            bool rBetter = FinalRank(r.Type) < FinalRank(c.Type)
                || (FinalRank(r.Type) == FinalRank(c.Type) && (r.Index > c.Index || (r.Index.Equals(c.Index) && string.CompareOrdinal(r.RawType, c.RawType) < 0)));
            if (!cPending)
            {
                // Two different final readings: keep one deterministically, flag the day.
                if (!_candidateConflict && r.Date >= _issueFrom && r.Date <= _to)
                    _issues.Add(new ConsumptionIssue(ConsumptionIssueKind.ConflictingReadings, r.Date, r.Date, Math.Min(c.Index, r.Index), Math.Max(c.Index, r.Index)));
                _candidateConflict = true;
            }

            if (rBetter) _candidate = r;
        }

        private void Process(EglIndexReading cur, bool conflict, List<EglConsumption> output)
        {
            FirstReadingDay ??= cur.Date;
            LastReadingDay = cur.Date;
            var prev = _baseline;
            _baseline = cur;
            if (prev is null)
            {
                // The first reading: a hole before it (a failed first request) makes its day and the days up to it Missing.
                if (_holes.Count > 0 && FirstHoleStart() < cur.Date) EmitMissing(cur.SubscriptionNumber, FirstHoleStart(), cur.Date, output);
                return;
            }

            if (cur.Date.AddDays(-1) > prev.Date && HoleWithin(prev.Date.AddDays(1), cur.Date.AddDays(-1)))
            {
                // Days between the two readings could not be read: nothing of this span is known day by day.
                EmitMissing(cur.SubscriptionNumber, prev.Date.AddDays(1), cur.Date, output);
                return;
            }

            int gap = (cur.Date - prev.Date).Days;
            DateTime first = prev.Date.AddDays(1), last = cur.Date;
            DateTime lo = first > _from ? first : _from, hi = last < _to ? last : _to;
            bool inRange = lo <= hi;

            double? total;
            EglQuality quality;
            if (cur.Type == EglReadingType.MeterChange)
            {
                total = null;
                quality = EglQuality.MeterChange;
            }
            else if (cur.Index < prev.Index)
            {
                total = null;
                quality = EglQuality.Invalid;
                if (inRange) _issues.Add(new ConsumptionIssue(ConsumptionIssueKind.InvalidDecrease, cur.Date, prev.Date, prev.Index, cur.Index));
            }
            else
            {
                total = cur.Index - prev.Index;
                quality = ConsumptionCalculator.QualityOf(cur.Type);
            }

            if (conflict) quality = ConsumptionCalculator.Worst(quality, EglQuality.Anomaly);
            if (!inRange) return;
            long sub = cur.SubscriptionNumber;

            if (gap == 1)
            {
                output.Add(new EglConsumption(sub, EglGranularity.Day, cur.Date, cur.Date, 1, total.HasValue ? 1 : 0, total, quality, cur.RawType, quality == EglQuality.Measured && total.HasValue));
                return;
            }

            var gapQuality = total.HasValue ? ConsumptionCalculator.Worst(quality, EglQuality.Estimated) : quality;
            int loIndex = (lo - first).Days + 1, hiIndex = (hi - first).Days + 1;
            if (_interpolate)
            {
                for (int i = loIndex; i <= hiIndex; i++)
                {
                    var day = first.AddDays(i - 1);
                    double? liters = total.HasValue ? Spread.Share(total.Value, gap, i) : (double?)null;
                    output.Add(new EglConsumption(sub, EglGranularity.Day, day, day, 1, liters.HasValue ? 1 : 0, liters, gapQuality, day == last ? cur.RawType : string.Empty, false));
                }
            }
            else
            {
                // The whole gap in one row, whatever the range: the row of a day never depends on the range asked.
                output.Add(new EglConsumption(sub, EglGranularity.Day, first, last, gap, total.HasValue ? gap : 0, total, gapQuality, cur.RawType, false));
            }
        }
    }

    /// <summary>Even spreading of a total over n days, in whole litres when the total is whole, so that parts add up exactly.</summary>
    internal static class Spread
    {
        private const double MaxExactInteger = 4503599627370496.0; // 2^52

        /// <summary>The total of days 1..i out of n (0 for i = 0, the total for i = n), non-decreasing in i.</summary>
        public static double Cumulative(double total, int n, int i)
        {
            if (i <= 0) return 0;
            if (i >= n) return total;
            double share = total * i / n;
            bool whole = Math.Abs(total) < MaxExactInteger && total == Math.Floor(total);
            return whole ? Math.Floor(share + 0.5) : share;
        }

        /// <summary>The part of day i (1-based) out of n.</summary>
        public static double Share(double total, int n, int i) => Cumulative(total, n, i) - Cumulative(total, n, i - 1);

        /// <summary>The part of days lo..hi (1-based, inclusive) out of n.</summary>
        public static double Between(double total, int n, int lo, int hi) => Cumulative(total, n, hi) - Cumulative(total, n, lo - 1);
    }
}
