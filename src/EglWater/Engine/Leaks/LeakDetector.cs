using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EglWater.Engine.Leaks
{
    /// <summary>
    /// "Am I leaking?": leak signs in the daily consumption of one subscription. Pure: no I/O, no clock, no culture.
    /// </summary>
    /// <remarks>
    /// <para><b>Evidence.</b> Only Measured days with litres are evidence for Spike and SustainedRise. Estimated,
    /// Pending, Anomaly, Unknown, MeterChange, Invalid and Missing days, days without a row, and rows that cover
    /// several days are never evidence and never baseline. The portal's minimum flow and leak estimate are the
    /// provider's own measurements: they are used whenever present, whatever the quality of the day's litres.</para>
    /// <para><b>Baseline of a day</b> (the usual litres per day): the median of the baseline days among the
    /// BaselineDays calendar days before it. A baseline day is a measured day that is not an absence (below
    /// AbsenceLitersPerDay, 20 L) and not part of a Spike or SustainedRise alert (a leak never becomes its own
    /// baseline; ContinuousFlow and ProviderEstimate days stay baseline: they do not change the litres much and
    /// would otherwise blind the detector for as long as a small drip lasts). A window needs at least half of
    /// BaselineDays baseline days (14 by default); a measured day without one is not checked (a diagnostic
    /// lists those days).</para>
    /// <para><b>Guard against coming back.</b> To start an alert (the first day of a rise, or a spike), a day must
    /// also beat the thresholds computed from the median of the window before (BaselineDays to 2 × BaselineDays
    /// days back) when that window has enough baseline days and a higher median: a few weeks of low use (part of
    /// the family away) must not make the usual use look like a leak once everyone is back. The baseline reported,
    /// frozen and subtracted stays the recent window's median. Give the detector 2 × BaselineDays days of rows
    /// before <c>from</c>.</para>
    /// <para><b>SustainedRise</b>: at least 3 measured days, each above baseline + MinimumExcessLiters / 2 and above
    /// 1.4 × baseline, where the baseline is the one of the run's first day, frozen for the whole run. Once those 3
    /// days are seen, the run goes on while each measured day stays above the frozen baseline + MinimumExcessLiters
    /// / 2 (75 L): the 1.4 factor only guards the start, so that a leak found in summer is not lost in winter, when
    /// the household's own use falls (a hysteresis). The frozen baseline does not follow the seasons: over a long
    /// run ExcessLiters drifts with them (measured on the simulator's ±25% seasons: −25% to +30% after 3 to 12
    /// months), and a run may outlast a repaired leak by a few days when the season rises. A day without evidence
    /// inside a run neither ends it nor counts (bridged): the run ends at the first measured day that fails, and
    /// that day is then checked afresh. EndDate is the run's last measured day; Days counts the calendar days from StartDate to EndDate (bridged days included);
    /// ExcessLiters = Σ (litres − frozen baseline) over the run's measured days. A run still open at the end is
    /// Ongoing.</para>
    /// <para><b>Spike</b>: a measured day above SpikeFactor × baseline and above baseline + MinimumExcessLiters.
    /// A day of a SustainedRise is never also a Spike: a day that starts a rise waits; if the rise stops before
    /// its third measured day, each of its days is checked for a Spike against its own baseline. ExcessLiters =
    /// litres − baseline.</para>
    /// <para><b>ContinuousFlow</b>: at least 3 days whose minimum flow is at or above MinimumFlowLitersPerHour, with
    /// no day below it in between (days without the value are bridged). ExcessLiters = Σ minimum flow × 24 h:
    /// water that ran at least that fast all day, a lower bound of the loss.</para>
    /// <para><b>ProviderEstimate</b>: runs of days whose estimate is above 0 (days without the value are bridged,
    /// a 0 ends the run), any length. ExcessLiters = Σ the estimates.</para>
    /// <para><b>Ongoing</b>: no later day of [from, to] with a value for the alert's signal shows it ended.
    /// Severity: see <see cref="LeakSeverityRules"/>.</para>
    /// </remarks>
    internal static class LeakDetector
    {
        private struct Day
        {
            public bool HasRow;
            public bool Evidence;
            public double Liters;
            public EglQuality Quality;
            public double? Flow;
            public double? Leak;
            public bool InAlert;
        }

        private sealed class Run
        {
            public Run(int start, double baseline, double guard)
            {
                Start = start;
                Baseline = baseline;
                Guard = guard;
            }

            public int Start { get; }

            public double Baseline { get; }

            public double Guard { get; }

            public List<int> Measured { get; } = new List<int>();
        }

        /// <summary>
        /// The alerts of one subscription over [from, to]. <paramref name="daily"/>: its daily rows (Granularity Day),
        /// in any order (a day given twice keeps the later row); rows before <paramref name="from"/> build the
        /// baseline (give 2 × BaselineDays days), rows after <paramref name="to"/> are ignored.
        /// </summary>
        public static LeakDetection Detect(long subscriptionNumber, IEnumerable<EglConsumption> daily, DateTime from, DateTime to, LeakOptions? options = null)
        {
            if (daily is null) throw new ArgumentNullException(nameof(daily));
            options ??= new LeakOptions();
            options.Validate();
            from = from.Date;
            to = to.Date;
            if (to < from) throw new ArgumentException("The end of the range is before its start.", nameof(to));

            int n = options.BaselineDays;
            DateTime origin = from.AddDays(-2 * n);
            int first = 2 * n, last = first + (to - from).Days;
            var days = new Day[last + 1];
            foreach (var row in daily)
            {
                if (row is null) continue;
                if (row.SubscriptionNumber != subscriptionNumber)
                    throw new ArgumentException("The rows of one detection must belong to one subscription.", nameof(daily));
                if (row.Granularity != EglGranularity.Day)
                    throw new ArgumentException("The leak detector needs daily rows.", nameof(daily));
                for (var d = row.Date; d <= row.EndDate; d = d.AddDays(1))
                {
                    int i = (d - origin).Days;
                    if (i < 0 || i > last) continue;
                    bool single = row.Days <= 1 && row.Date == row.EndDate;
                    bool evidence = single && row.Quality == EglQuality.Measured && row.Liters is { } l && !double.IsNaN(l) && !double.IsInfinity(l) && l >= 0;
                    days[i] = new Day
                    {
                        HasRow = true,
                        Evidence = evidence,
                        Liters = evidence ? row.Liters!.Value : 0,
                        Quality = row.Quality,
                        Flow = single && IsValue(row.MinimumFlowLitersPerHour) ? row.MinimumFlowLitersPerHour : null,
                        Leak = single && IsValue(row.EstimatedLeakLiters) ? row.EstimatedLeakLiters : null,
                    };
                }
            }

            var state = new Detection(subscriptionNumber, days, origin, first, last, options);
            state.RiseAndSpikes();
            state.ContinuousFlow();
            state.ProviderEstimate();
            return state.Result();
        }

        private static bool IsValue(double? v) => v is { } x && !double.IsNaN(x) && !double.IsInfinity(x);

        /// <summary>The median of a non-empty list (sorted in place): the mean of the two middle values for an even count.</summary>
        internal static double Median(List<double> values)
        {
            values.Sort();
            int c = values.Count;
            return c % 2 == 1 ? values[c / 2] : (values[(c / 2) - 1] + values[c / 2]) / 2.0;
        }

        /// <summary>
        /// Whole litres exactly as the views show them ({0:N0}: the exact value, halves to even); a custom "#,0" rounds
        /// 15 digits first and halves away from zero, so a sentence could say one litre more than the table.
        /// </summary>
        internal static string Liters(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

        internal static string Date(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private sealed class Detection
        {
            private readonly long _sub;
            private readonly Day[] _days;
            private readonly DateTime _origin;
            private readonly int _first, _last;
            private readonly LeakOptions _o;
            private readonly List<EglLeakAlert> _alerts = new List<EglLeakAlert>();
            private readonly List<string> _notes = new List<string>();
            private readonly SortedSet<int> _withoutBaseline = new SortedSet<int>();
            private readonly List<double> _scratch = new List<double>();
            private int _checked;
            private int _lastEvidence = -2; // -2: not looked for yet; -1: no measured day

            public Detection(long sub, Day[] days, DateTime origin, int first, int last, LeakOptions options)
            {
                _sub = sub;
                _days = days;
                _origin = origin;
                _first = first;
                _last = last;
                _o = options;
            }

            private DateTime DateOf(int i) => _origin.AddDays(i);

            private bool Rises(double liters, double baseline) =>
                liters > baseline + (_o.MinimumExcessLiters / 2) && liters > LeakOptions.RiseFactor * baseline;

            private bool Continues(double liters, double baseline) => liters > baseline + (_o.MinimumExcessLiters / 2);

            private bool Spikes(double liters, double baseline) =>
                liters > baseline + _o.MinimumExcessLiters && liters > _o.SpikeFactor * baseline;

            /// <summary>
            /// The baseline of day i (the recent window's median), and the guard a day must also beat to start an
            /// alert (the higher of that median and the earlier window's); false when the recent window lacks days.
            /// </summary>
            private bool TryBaseline(int i, out double baseline, out double guard)
            {
                int n = _o.BaselineDays;
                baseline = guard = 0;
                if (WindowMedian(i - n, i - 1) is not { } recent) return false;
                double? earlier = WindowMedian(i - (2 * n), i - n - 1);
                baseline = recent;
                guard = earlier is { } e && e > recent ? e : recent;
                return true;
            }

            private double? WindowMedian(int lo, int hi)
            {
                _scratch.Clear();
                for (int j = Math.Max(0, lo); j <= hi; j++)
                {
                    var d = _days[j];
                    if (d.Evidence && !d.InAlert && d.Liters >= _o.AbsenceLitersPerDay) _scratch.Add(d.Liters);
                }

                return _scratch.Count >= _o.MinimumBaselineDays ? Median(_scratch) : (double?)null;
            }

            public void RiseAndSpikes()
            {
                Run? run = null;
                for (int i = _first; i <= _last; i++)
                {
                    if (!_days[i].Evidence) continue; // bridged inside a run, never evidence
                    double x = _days[i].Liters;
                    if (run is not null)
                    {
                        bool confirmed = run.Measured.Count >= LeakOptions.MinimumRunDays;
                        if (confirmed ? Continues(x, run.Baseline) : Rises(x, run.Baseline))
                        {
                            run.Measured.Add(i);
                            _checked++;
                            continue;
                        }

                        Close(run, ongoing: false);
                        run = null;
                    }

                    if (!TryBaseline(i, out double b, out double guard))
                    {
                        _withoutBaseline.Add(i);
                        continue;
                    }

                    _checked++;
                    if (Rises(x, guard))
                    {
                        run = new Run(i, b, guard);
                        run.Measured.Add(i);
                    }
                    else if (Spikes(x, guard))
                    {
                        AddSpike(i, b, ongoing: i == LastEvidence());
                    }
                }

                if (run is not null) Close(run, ongoing: true);
            }

            private int LastEvidence()
            {
                if (_lastEvidence == -2)
                {
                    _lastEvidence = -1;
                    for (int i = _last; i >= _first; i--)
                    {
                        if (_days[i].Evidence)
                        {
                            _lastEvidence = i;
                            break;
                        }
                    }
                }

                return _lastEvidence;
            }

            private void Close(Run run, bool ongoing)
            {
                if (run.Measured.Count >= LeakOptions.MinimumRunDays)
                {
                    double excess = 0, total = 0;
                    foreach (int j in run.Measured)
                    {
                        excess += _days[j].Liters - run.Baseline;
                        total += _days[j].Liters;
                        _days[j].InAlert = true;
                    }

                    int end = run.Measured[run.Measured.Count - 1];
                    int span = end - run.Start + 1, bridged = span - run.Measured.Count;
                    string evidence = string.Format(
                        CultureInfo.InvariantCulture,
                        "From {0} to {1} ({2} days{3}{4}) the household used {5} L/day on average against a usual {6} L/day: {7} L more than usual.",
                        Date(DateOf(run.Start)),
                        Date(DateOf(end)),
                        span,
                        bridged > 0 ? string.Format(CultureInfo.InvariantCulture, ", {0} of them without a measured value", bridged) : string.Empty,
                        ongoing ? ", still going on" : string.Empty,
                        Liters(total / run.Measured.Count),
                        Liters(run.Baseline),
                        Liters(excess));
                    Add(EglLeakKind.SustainedRise, run.Start, end, excess, run.Baseline, run.Measured.Count, evidence, ongoing);
                    return;
                }

                // Too short for a rise: each day on its own, against its own baseline.
                int lastDay = run.Measured[run.Measured.Count - 1];
                foreach (int j in run.Measured)
                {
                    double bj = run.Baseline, gj = run.Guard;
                    if (j != run.Start && !TryBaseline(j, out bj, out gj))
                    {
                        _checked--;
                        _withoutBaseline.Add(j);
                        continue;
                    }

                    if (Spikes(_days[j].Liters, gj)) AddSpike(j, bj, ongoing && j == lastDay);
                }

                if (ongoing)
                {
                    _notes.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "The last {0} measured day(s), from {1}, are above the usual {2} L/day: too few to call a sustained rise yet ({3} needed).",
                        run.Measured.Count,
                        Date(DateOf(run.Start)),
                        Liters(run.Baseline),
                        LeakOptions.MinimumRunDays));
                }
            }

            private void AddSpike(int i, double baseline, bool ongoing)
            {
                double x = _days[i].Liters, excess = x - baseline;
                _days[i].InAlert = true;
                string evidence = string.Format(
                    CultureInfo.InvariantCulture,
                    "On {0} the household used {1} L against a usual {2} L/day: {3} L more than usual.",
                    Date(DateOf(i)),
                    Liters(x),
                    Liters(baseline),
                    Liters(excess));
                Add(EglLeakKind.Spike, i, i, excess, baseline, 1, evidence, ongoing);
            }

            public void ContinuousFlow()
            {
                double threshold = _o.MinimumFlowLitersPerHour;
                int start = -1, end = -1;
                var values = new List<double>();
                for (int i = _first; i <= _last; i++)
                {
                    if (_days[i].Flow is not { } f) continue;
                    if (f >= threshold)
                    {
                        if (start < 0) start = i;
                        end = i;
                        values.Add(f);
                        continue;
                    }

                    if (start >= 0) CloseFlow(start, end, values, ongoing: false);
                    start = -1;
                    values.Clear();
                }

                if (start >= 0) CloseFlow(start, end, values, ongoing: true);
            }

            private void CloseFlow(int start, int end, List<double> values, bool ongoing)
            {
                if (values.Count < LeakOptions.MinimumRunDays)
                {
                    if (ongoing)
                    {
                        _notes.Add(string.Format(
                            CultureInfo.InvariantCulture,
                            "The minimum flow of the last {0} day(s), from {1}, is at or above {2} L/h: too few to call a continuous flow yet ({3} needed).",
                            values.Count,
                            Date(DateOf(start)),
                            _o.MinimumFlowLitersPerHour.ToString("0.##", CultureInfo.InvariantCulture),
                            LeakOptions.MinimumRunDays));
                    }

                    return;
                }

                double sum = values.Sum(), min = values.Min();
                double excess = sum * 24;
                int span = end - start + 1;
                string evidence = string.Format(
                    CultureInfo.InvariantCulture,
                    "From {0} to {1} ({2} days{3}) water never stopped running: the smallest flow of each day was at least {4} L/h ({5} L/h on average, threshold {6} L/h), about {7} L at that rate.",
                    Date(DateOf(start)),
                    Date(DateOf(end)),
                    span,
                    ongoing ? ", still going on" : string.Empty,
                    min.ToString("0.##", CultureInfo.InvariantCulture),
                    (sum / values.Count).ToString("0.##", CultureInfo.InvariantCulture),
                    _o.MinimumFlowLitersPerHour.ToString("0.##", CultureInfo.InvariantCulture),
                    Liters(excess));
                Add(EglLeakKind.ContinuousFlow, start, end, excess, null, values.Count, evidence, ongoing);
            }

            public void ProviderEstimate()
            {
                int start = -1, end = -1, count = 0;
                double sum = 0;
                for (int i = _first; i <= _last; i++)
                {
                    if (_days[i].Leak is not { } v) continue;
                    if (v > 0)
                    {
                        if (start < 0) start = i;
                        end = i;
                        count++;
                        sum += v;
                        continue;
                    }

                    if (start >= 0) CloseEstimate(start, end, sum, count, ongoing: false);
                    start = -1;
                    count = 0;
                    sum = 0;
                }

                if (start >= 0) CloseEstimate(start, end, sum, count, ongoing: true);
            }

            private void CloseEstimate(int start, int end, double sum, int count, bool ongoing)
            {
                int span = end - start + 1;
                string evidence = string.Format(
                    CultureInfo.InvariantCulture,
                    "From {0} to {1} ({2} days{3}) the provider estimated {4} L lost to a leak.",
                    Date(DateOf(start)),
                    Date(DateOf(end)),
                    span,
                    ongoing ? ", still going on" : string.Empty,
                    Liters(sum));
                Add(EglLeakKind.ProviderEstimate, start, end, sum, null, count, evidence, ongoing);
            }

            private void Add(EglLeakKind kind, int start, int end, double excess, double? baseline, int daysWithValue, string evidence, bool ongoing)
            {
                var severity = LeakSeverityRules.Of(kind, excess, daysWithValue, ongoing);
                _alerts.Add(new EglLeakAlert(_sub, kind, DateOf(start), DateOf(end), excess, baseline, severity, evidence, ongoing));
            }

            public LeakDetection Result()
            {
                var alerts = _alerts.OrderBy(a => a.StartDate).ThenBy(a => a.Kind).ToList();
                int examined = _last - _first + 1, withoutRow = 0, measured = 0, flow = 0, leak = 0;
                var notUsable = new SortedDictionary<EglQuality, int>();
                for (int i = _first; i <= _last; i++)
                {
                    var d = _days[i];
                    if (!d.HasRow) withoutRow++;
                    else if (d.Evidence) measured++;
                    else notUsable[d.Quality] = (notUsable.TryGetValue(d.Quality, out int c) ? c : 0) + 1;
                    if (d.Flow.HasValue) flow++;
                    if (d.Leak.HasValue) leak++;
                }

                int n = _o.BaselineDays, before = 0;
                for (int j = _first - n; j < _first; j++)
                {
                    if (_days[j].Evidence && _days[j].Liters >= _o.AbsenceLitersPerDay) before++;
                }

                var ranges = Ranges(_withoutBaseline);
                DateTime from = DateOf(_first), to = DateOf(_last);
                var messages = new List<string>
                {
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Examined {0}..{1}: {2} days, {3} measured{4}{5}.",
                        Date(from),
                        Date(to),
                        examined,
                        measured,
                        notUsable.Count > 0 ? ", not usable: " + string.Join(", ", notUsable.Select(p => string.Format(CultureInfo.InvariantCulture, "{0} {1}", p.Value, p.Key))) : string.Empty,
                        withoutRow > 0 ? string.Format(CultureInfo.InvariantCulture, ", {0} without data", withoutRow) : string.Empty),
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Baseline: median of the measured days among the {0} days before each day ({1} needed); {2} such days before {3}{4}.",
                        n,
                        _o.MinimumBaselineDays,
                        before,
                        Date(from),
                        before < _o.MinimumBaselineDays ? ": not enough baseline at the start" : string.Empty),
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Checked {0} of {1} measured days against a baseline.",
                        _checked,
                        measured),
                };
                if (_withoutBaseline.Count > 0)
                {
                    messages.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "Not enough baseline (fewer than {0} measured days among the {1} before) on {2} day(s), not checked: {3}.",
                        _o.MinimumBaselineDays,
                        n,
                        _withoutBaseline.Count,
                        string.Join(", ", ranges)));
                }

                messages.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "Minimum night flow given on {0} day(s); the provider's leak estimate on {1} day(s).",
                    flow,
                    leak));
                messages.AddRange(_notes);
                var diagnostics = new LeakDiagnostics(from, to, examined, withoutRow, measured, notUsable, _checked, ranges, _withoutBaseline.Count, before, _o.MinimumBaselineDays, flow, leak, messages);
                return new LeakDetection(alerts, diagnostics);
            }

            private List<string> Ranges(IEnumerable<int> sorted)
            {
                var ranges = new List<string>();
                int start = -1, prev = -1;
                foreach (int i in sorted)
                {
                    if (start >= 0 && i == prev + 1)
                    {
                        prev = i;
                        continue;
                    }

                    if (start >= 0) ranges.Add(Range(start, prev));
                    start = prev = i;
                }

                if (start >= 0) ranges.Add(Range(start, prev));
                return ranges;
            }

            private string Range(int a, int b) => a == b ? Date(DateOf(a)) : Date(DateOf(a)) + ".." + Date(DateOf(b));
        }
    }
}
