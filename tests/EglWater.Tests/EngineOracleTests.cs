using System.Globalization;
using System.Text;
using CsCheck;
using EglWater.Engine;

namespace EglWater.Tests;

/// <summary>
/// The engine against an independent oracle: a few plain loops written from the README's consumption table,
/// sharing no code with the engine. Series are generated with conflicting final readings, pending rows above and
/// below their final one, gaps up to 60 days, meter changes, decreases, start dates across the changes of summer
/// time and across 29 February, from a few days to two years long. Sampling runs on the test's thread (threads: 1).
/// </summary>
public class EngineOracleTests
{
    private const long Sub = 1895683;

    /// <summary>Start days: the last Sundays of March and October (summer time) and 29 February.</summary>
    private static readonly DateTime[] Anchors =
    [
        new(2024, 3, 31), new(2024, 10, 27), new(2025, 3, 30), new(2025, 10, 26), new(2026, 3, 29), new(2026, 10, 25),
        new(2024, 2, 29), new(2028, 2, 29), new(2023, 2, 28),
    ];

    /// <summary>
    /// One published day. Extra readings of the same day: a pending row above / below the final one, a second,
    /// different final reading (ConflictType with ConflictDelta litres more), an identical duplicate.
    /// </summary>
    public sealed record DayStep(int Advance, double Liters, string Type, bool Decrease, int PendingAbove, int PendingBelow, string? ConflictType, int ConflictDelta, bool Identical);

    /// <summary>A generated series: every reading as a source sends it (shuffled).</summary>
    public sealed record Series(IReadOnlyList<EglIndexReading> Readings)
    {
        public DateTime FirstDay { get; } = Readings.Min(r => r.Date);

        public DateTime LastDay { get; } = Readings.Max(r => r.Date);

        public override string ToString() => string.Join(" ", Readings.OrderBy(r => r.Date).Select(r => r.ToString()));
    }

    private static readonly Gen<string> GenLetter = Gen.Frequency((70, Gen.Const("R")), (8, Gen.Const("T")), (6, Gen.Const("A")), (4, Gen.Const("V")), (3, Gen.Const("X")), (1, Gen.Const("Q")), (5, Gen.Const("D")));

    private static readonly Gen<string> GenFinalLetter = Gen.OneOf(Gen.Const("R"), Gen.Const("A"), Gen.Const("D"), Gen.Const("V"), Gen.Const("X"));

    private static readonly Gen<DayStep> GenDay = Gen.Select(
        Gen.Frequency((80, Gen.Const(1)), (14, Gen.Int[2, 5]), (6, Gen.Int[6, 60])),
        Gen.Frequency((8, Gen.Int[0, 900].Select(l => (double)l)), (2, Gen.Double[0, 900].Select(l => Math.Round(l, 3)))),
        GenLetter,
        Gen.Int[0, 24].Select(i => i == 0),
        Gen.Frequency((88, Gen.Const(0)), (12, Gen.Int[1, 80])),
        Gen.Frequency((88, Gen.Const(0)), (12, Gen.Int[1, 80])),
        Gen.Frequency((90, Gen.Const((string?)null)), (10, GenFinalLetter.Select(t => (string?)t))),
        Gen.Int[-40, 40],
        Gen.Int[0, 14].Select(i => i == 0),
        (a, l, t, dec, up, down, ct, cd, same) => new DayStep(a, l, t, dec, up, down, ct, cd, same));

    /// <summary>A series of 1 to 730 published days (a few days, a few months, or up to two years and more with gaps).</summary>
    public static readonly Gen<Series> GenSeries = Gen.Select(
        Gen.Frequency((4, Gen.Int[1, 8]), (4, Gen.Int[9, 120]), (1, Gen.Int[300, 730])).SelectMany(n => GenDay.Array[n]),
        Gen.Int[0, Anchors.Length - 1],
        Gen.Int[-10, 10],
        Gen.Double[0, 2_000_000].Select(Math.Floor),
        Gen.Int[0, int.MaxValue],
        (days, anchor, offset, first, shuffle) => Build(days, Anchors[anchor].AddDays(offset), first, shuffle));

    private static Series Build(DayStep[] steps, DateTime start, double firstIndex, int shuffle)
    {
        var sent = new List<EglIndexReading>();
        var day = start;
        double index = firstIndex;
        for (int i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            if (i > 0)
            {
                day = day.AddDays(s.Advance);
                index = s.Type == "D" ? s.Liters : s.Decrease ? Math.Max(0, index - 1 - s.Liters) : index + s.Liters;
            }

            sent.Add(new EglIndexReading(Sub, day, index, s.Type));
            if (s.Type != "T")
            {
                // Pending rows of a day that also has a final one: above it and below it.
                if (s.PendingAbove > 0) sent.Add(new EglIndexReading(Sub, day, index + s.PendingAbove, "T"));
                if (s.PendingBelow > 0) sent.Add(new EglIndexReading(Sub, day, Math.Max(0, index - s.PendingBelow), "T"));
            }

            // A second final reading: for a pending day it is the day's only final one (it must win).
            if (s.ConflictType is { } other) sent.Add(new EglIndexReading(Sub, day, Math.Max(0, index + s.ConflictDelta), other));
            if (s.Identical) sent.Add(new EglIndexReading(Sub, day, index, s.Type));
        }

        var rng = new Random(shuffle);
        return new Series(sent.OrderBy(_ => rng.Next()).ToList());
    }

    // ---- The oracle: the README's table, in plain loops ----------------------------------------------------

    /// <summary>The kept reading of each day, and whether the day had two different final readings.</summary>
    internal static SortedDictionary<DateTime, (EglIndexReading Kept, bool Conflict)> KeptReadings(IEnumerable<EglIndexReading> readings)
    {
        var byDay = new SortedDictionary<DateTime, List<EglIndexReading>>();
        foreach (var r in readings)
        {
            if (!byDay.TryGetValue(r.Date, out var list)) byDay[r.Date] = list = [];
            list.Add(r);
        }

        var kept = new SortedDictionary<DateTime, (EglIndexReading, bool)>();
        foreach (var (day, list) in byDay)
        {
            // A final reading wins over a pending one, whatever the order.
            var finals = new List<EglIndexReading>();
            foreach (var r in list)
            {
                if (r.RawType == "T") continue;
                bool seen = false;
                foreach (var f in finals) if (f.Index == r.Index && f.RawType == r.RawType) seen = true;
                if (!seen) finals.Add(r);
            }

            if (finals.Count == 0)
            {
                kept[day] = (list[0], false); // the generator sends one pending row for a day without a final one
                continue;
            }

            // Two different final readings: D, then R, then A, then the others, then the higher index.
            EglIndexReading best = finals[0];
            foreach (var f in finals)
            {
                int rf = Rank(f.RawType), rb = Rank(best.RawType);
                if (rf < rb || (rf == rb && f.Index > best.Index) || (rf == rb && f.Index == best.Index && string.CompareOrdinal(f.RawType, best.RawType) < 0)) best = f;
            }

            kept[day] = (best, finals.Count > 1);
        }

        return kept;
    }

    private static int Rank(string letter) => letter switch { "D" => 0, "R" => 1, "A" => 2, _ => 3 };

    private static EglQuality QualityOfLetter(string letter) => letter switch
    {
        "R" => EglQuality.Measured,
        "A" => EglQuality.Anomaly,
        "T" => EglQuality.Pending,
        "D" => EglQuality.MeterChange,
        _ => EglQuality.Unknown,
    };

    private static EglQuality AtLeast(EglQuality q, EglQuality floor) => (int)q < (int)floor ? floor : q;

    /// <summary>What the oracle expects of one stretch between two kept readings (Days = 1 when consecutive).</summary>
    internal sealed record Stretch(DateTime First, DateTime Last, int Days, double? Total, EglQuality Quality, string RawType);

    internal static List<Stretch> Stretches(IEnumerable<EglIndexReading> readings)
    {
        var kept = KeptReadings(readings).Values.ToList();
        var stretches = new List<Stretch>();
        for (int k = 1; k < kept.Count; k++)
        {
            var (prev, _) = kept[k - 1];
            var (cur, conflict) = kept[k];
            int n = (cur.Date - prev.Date).Days;
            double? total;
            EglQuality q;
            if (cur.RawType == "D")
            {
                total = null; // a meter change: no litres; the D reading is the next baseline
                q = EglQuality.MeterChange;
            }
            else if (cur.Index < prev.Index)
            {
                total = null; // a decrease without D: no litres; the lower reading is the next baseline
                q = EglQuality.Invalid;
            }
            else
            {
                total = cur.Index - prev.Index;
                q = QualityOfLetter(cur.RawType);
            }

            if (conflict) q = AtLeast(q, EglQuality.Anomaly);
            if (n > 1 && total.HasValue) q = AtLeast(q, EglQuality.Estimated);
            stretches.Add(new Stretch(prev.Date.AddDays(1), cur.Date, n, total, q, cur.RawType));
        }

        return stretches;
    }

    [Fact]
    public void Every_day_matches_the_oracle_with_interpolation()
    {
        GenSeries.Sample(s =>
        {
            var rows = ConsumptionCalculator.Daily(s.Readings, s.FirstDay.AddDays(-5), s.LastDay.AddDays(5));
            var byDay = rows.ToDictionary(r => r.Date);
            var stretches = Stretches(s.Readings);
            int expectedDays = stretches.Sum(x => x.Days);
            Assert.Equal(expectedDays, rows.Count);
            foreach (var x in stretches)
            {
                double sum = 0;
                for (int i = 0; i < x.Days; i++)
                {
                    var day = x.First.AddDays(i);
                    Assert.True(byDay.TryGetValue(day, out var row), $"no row for {day:yyyy-MM-dd}");
                    string at = $"{day:yyyy-MM-dd} in {x}";
                    Assert.Equal((1, day, x.Quality), (row!.Days, row.EndDate, row.Quality));
                    Assert.True(row.RawType == (day == x.Last ? x.RawType : string.Empty), "RawType " + row.RawType + " " + at);
                    Assert.Equal(x.Days == 1 && x.Quality == EglQuality.Measured, row.Complete);
                    if (x.Total is not { } total)
                    {
                        // A meter change or a decrease: no litres on any day of the stretch, even a gap.
                        Assert.True(row.Liters is null, at);
                        Assert.Equal(0, row.DaysWithData);
                        continue;
                    }

                    Assert.True(row.Liters.HasValue, at);
                    Assert.Equal(1, row.DaysWithData);
                    double share = row.Liters!.Value;
                    if (x.Days == 1) Assert.Equal(total, share); // Liters(d) = Final(d) - Final(d-1)
                    else Assert.True(Math.Abs(share - (total / x.Days)) <= 1.0 + 1e-9, $"share {share} of {total} over {x.Days} days, {at}");
                    if (total == Math.Floor(total)) Assert.True(share == Math.Floor(share), $"whole litres expected: {share}, {at}");
                    sum += share;
                }

                if (x.Total is { } t)
                {
                    if (t == Math.Floor(t)) Assert.Equal(t, sum); // the shares add up exactly
                    else Assert.Equal(t, sum, 6);
                }
            }
        }, iter: 250, threads: 1);
    }

    [Fact]
    public void Every_stretch_matches_the_oracle_without_interpolation()
    {
        GenSeries.Sample(s =>
        {
            var rows = ConsumptionCalculator.Daily(s.Readings, s.FirstDay.AddDays(-5), s.LastDay.AddDays(5), interpolate: false);
            var expected = Stretches(s.Readings).Select(x => new EglConsumption(
                Sub, EglGranularity.Day, x.First, x.Last, x.Days, x.Total.HasValue ? x.Days : 0, x.Total, x.Quality, x.RawType, x.Days == 1 && x.Quality == EglQuality.Measured && x.Total.HasValue));
            Assert.Equal(Text(expected), Text(rows));
        }, iter: 250, threads: 1);
    }

    [Fact]
    public void The_oracle_itself_follows_the_table_on_hand_written_days()
    {
        // Guards the oracle: a few rows of the README's table written out by hand.
        EglIndexReading R(int day, double index, string type = "R") => new(Sub, new DateTime(2024, 2, 26).AddDays(day), index, type);
        var readings = new[]
        {
            R(0, 1000), R(1, 1100, "T"), R(1, 1090), R(1, 1200, "T"), // pending above and below: the final one wins
            R(2, 1200), R(2, 1250, "A"), // conflicting finals: R wins over A, the day is Anomaly
            R(3, 50, "D"), R(3, 1300), // D wins over R: meter change, 50 is the baseline
            R(4, 80), R(8, 180), // a gap of 4 days (29 February inside): 100 spread 25 a day
            R(9, 100), R(10, 130, "V"), // a decrease: Invalid; then Unknown from the lower baseline
        };
        var rows = ConsumptionCalculator.Daily(readings, new DateTime(2024, 2, 27), new DateTime(2024, 3, 7));
        Assert.Equal(
            ["90 Measured", "110 Anomaly", "? MeterChange", "30 Measured", "25 Estimated", "25 Estimated", "25 Estimated", "25 Estimated", "? Invalid", "30 Unknown"],
            rows.Select(r => (r.Liters?.ToString(CultureInfo.InvariantCulture) ?? "?") + " " + r.Quality));
        Assert.Equal(Text(rows), Text(Stretches(readings).SelectMany(x => Enumerable.Range(0, x.Days).Select(i => rows.Single(r => r.Date == x.First.AddDays(i))))));
        Assert.Equal([EglQuality.Measured, EglQuality.Anomaly, EglQuality.MeterChange, EglQuality.Measured, EglQuality.Estimated, EglQuality.Invalid, EglQuality.Unknown], Stretches(readings).Select(x => x.Quality));
    }

    [Fact]
    public void The_READMEs_gap_of_August_is_spread_355_355_354_355()
    {
        // The README's example, by hand: 1419 L over 12..15 August, in whole litres rounded from the running total
        // (354.75 -> 355, 709.5 -> 710, 1064.25 -> 1064, 1419), so that the parts add up exactly.
        EglIndexReading R(int day, double index) => new(Sub, new DateTime(2024, 8, day), index, "R");
        var readings = new[] { R(10, 1000), R(11, 1492), R(15, 2911), R(16, 3279) };
        var rows = ConsumptionCalculator.Daily(readings, new DateTime(2024, 8, 10), new DateTime(2024, 8, 16));
        Assert.Equal(
            ["2024-08-11 492 Measured", "2024-08-12 355 Estimated", "2024-08-13 355 Estimated", "2024-08-14 354 Estimated", "2024-08-15 355 Estimated", "2024-08-16 368 Measured"],
            rows.Select(r => $"{r.Date:yyyy-MM-dd} {r.Liters} {r.Quality}"));
        var whole = ConsumptionCalculator.Daily(readings, new DateTime(2024, 8, 10), new DateTime(2024, 8, 16), interpolate: false);
        Assert.Equal(
            ["2024-08-11..2024-08-11 1 492 Measured", "2024-08-12..2024-08-15 4 1419 Estimated", "2024-08-16..2024-08-16 1 368 Measured"],
            whole.Select(r => $"{r.Date:yyyy-MM-dd}..{r.EndDate:yyyy-MM-dd} {r.Days} {r.Liters} {r.Quality}"));
    }

    // ---- Range invariance ----------------------------------------------------------------------------------

    /// <summary>
    /// What every source gives the engine for [from, to]: the readings of [from - 1, to], plus those of the latest
    /// day before from - 1 when from - 1 has none, plus those of the earliest day after <paramref name="to"/> when
    /// <paramref name="to"/> has none (the readings that bound a gap at either edge).
    /// </summary>
    internal static List<EglIndexReading> SourceSelection(IReadOnlyList<EglIndexReading> all, DateTime from, DateTime to)
    {
        var dayBefore = from.AddDays(-1);
        var selection = all.Where(r => r.Date >= dayBefore && r.Date <= to).ToList();
        if (!all.Any(r => r.Date == dayBefore))
        {
            var earlier = all.Where(r => r.Date < dayBefore).ToList();
            if (earlier.Count > 0)
            {
                var latest = earlier.Max(r => r.Date);
                selection.AddRange(all.Where(r => r.Date == latest));
            }
        }

        if (!all.Any(r => r.Date == to))
        {
            var later = all.Where(r => r.Date > to).ToList();
            if (later.Count > 0)
            {
                var earliest = later.Min(r => r.Date);
                selection.AddRange(all.Where(r => r.Date == earliest));
            }
        }

        return selection;
    }

    [Fact]
    public void The_row_of_a_day_is_the_same_for_every_range_that_contains_it()
    {
        Gen.Select(GenSeries, Gen.Int[-3, 800], Gen.Int[0, 400]).Sample((s, a, length) =>
        {
            int span = (s.LastDay - s.FirstDay).Days;
            DateTime from = s.FirstDay.AddDays(Math.Min(a, span + 3)), to = from.AddDays(Math.Min(length, span + 3));
            DateTime wideFrom = s.FirstDay.AddDays(-5), wideTo = s.LastDay.AddDays(5);
            var narrow = SourceSelection(s.Readings, from, to);
            foreach (bool interpolate in new[] { true, false })
            {
                var wide = ConsumptionCalculator.Daily(s.Readings, wideFrom, wideTo, interpolate);
                var part = ConsumptionCalculator.Daily(narrow, from, to, interpolate);
                // Interpolated: the wide query's rows of [from, to]. Without interpolation: every row that touches
                // [from, to], written whole (Date, EndDate, Days and Liters of the whole gap).
                var expected = wide.Where(r => r.EndDate >= from && r.Date <= to);
                string want = Text(expected), got = Text(part);
                if (want != got) Assert.Fail($"{(interpolate ? "interpolated" : "not interpolated")} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}\nwide:\n{want}\nnarrow:\n{got}");
            }
        }, iter: 250, threads: 1);
    }

    // ---- Chunk invariance and holes ------------------------------------------------------------------------

    private static readonly EglGranularity[] Periods = [EglGranularity.Week, EglGranularity.Month, EglGranularity.Year];

    /// <summary>Rows streamed from the builder into one aggregator per granularity, as the cmdlet does.</summary>
    private sealed class Streamed
    {
        private readonly Dictionary<EglGranularity, ConsumptionAggregator> _aggregators;

        public Streamed(DateTime from, DateTime to, bool interpolate)
        {
            Builder = new DailyConsumptionBuilder(from, to, interpolate);
            Builder.SetSubscription(Sub);
            _aggregators = Periods.ToDictionary(g => g, g => new ConsumptionAggregator(g, from, to));
            foreach (var g in Periods) Aggregated[g] = [];
        }

        public DailyConsumptionBuilder Builder { get; }

        public List<EglConsumption> Daily { get; } = [];

        public Dictionary<EglGranularity, List<EglConsumption>> Aggregated { get; } = [];

        public void Take(IReadOnlyList<EglConsumption> rows)
        {
            Daily.AddRange(rows);
            foreach (var row in rows)
            {
                foreach (var g in Periods) Aggregated[g].AddRange(_aggregators[g].Add(row));
            }
        }

        public void Complete()
        {
            Take(Builder.Complete());
            foreach (var g in Periods) Aggregated[g].AddRange(_aggregators[g].Complete());
        }
    }

    [Fact]
    public void Random_date_ordered_batches_give_the_rows_of_one_batch_daily_and_for_every_granularity()
    {
        Gen.Select(GenSeries, Gen.Int[0, 12], Gen.Int[0, int.MaxValue], Gen.Int[-3, 60], Gen.Int[-3, 60]).Sample((s, cuts, seed, a, b) =>
        {
            DateTime from = s.FirstDay.AddDays(a), to = s.LastDay.AddDays(-b);
            if (from > to) (from, to) = (to, from);
            var rng = new Random(seed);
            // Date order across batches; a day's readings may be cut between two batches; each batch shuffled.
            var sorted = s.Readings.OrderBy(r => r.Date).ToList();
            var cutPoints = Enumerable.Range(0, cuts).Select(_ => rng.Next(0, sorted.Count + 1)).Append(0).Append(sorted.Count).Distinct().Order().ToList();
            foreach (bool interpolate in new[] { true, false })
            {
                var once = ConsumptionCalculator.Daily(s.Readings, from, to, interpolate);
                var stream = new Streamed(from, to, interpolate);
                for (int i = 1; i < cutPoints.Count; i++)
                {
                    var batch = sorted.Skip(cutPoints[i - 1]).Take(cutPoints[i] - cutPoints[i - 1]).OrderBy(_ => rng.Next()).ToList();
                    stream.Take(stream.Builder.Add(batch));
                }

                stream.Complete();
                Assert.Equal(Text(once), Text(stream.Daily));
                foreach (var g in Periods) Assert.Equal(Text(ConsumptionAggregator.Aggregate(once, g, from, to)), Text(stream.Aggregated[g]));
            }
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void A_failed_batch_is_never_interpolated_the_days_that_need_it_are_Missing_and_the_others_unchanged()
    {
        Gen.Select(GenSeries, Gen.Int[1, 8], Gen.Int[0, int.MaxValue], Gen.Int[1, 2], Gen.Int[-3, 30], Gen.Int[-3, 30]).Sample((s, cuts, seed, holes, a, b) =>
        {
            DateTime from = s.FirstDay.AddDays(a), to = s.LastDay.AddDays(-b);
            if (from > to) (from, to) = (to, from);
            var rng = new Random(seed);
            // Batches are day ranges (a request each) tiling [first reading, last reading]; some of them fail.
            int span = (s.LastDay - s.FirstDay).Days + 1;
            var starts = Enumerable.Range(0, cuts).Select(_ => rng.Next(1, Math.Max(1, span))).Append(0).Distinct().Order().ToList();
            var batches = starts.Select((st, i) => (From: s.FirstDay.AddDays(st), To: s.FirstDay.AddDays(i + 1 < starts.Count ? starts[i + 1] - 1 : span - 1))).ToList();
            var failed = Enumerable.Range(0, holes).Select(_ => rng.Next(batches.Count)).ToHashSet();
            bool InHole(DateTime d) => failed.Any(k => d >= batches[k].From && d <= batches[k].To);

            // The oracle: a hole's days, from the day after the last reading read before it to the first reading read
            // after it (its baseline was in the hole), are Missing; every other day is the row of one good batch.
            var remainingDays = s.Readings.Where(r => !InHole(r.Date)).Select(r => r.Date).Distinct().Order().ToList();
            var spans = new List<(DateTime From, DateTime To)>();
            foreach (int k in failed.Order())
            {
                var (hf, ht) = batches[k];
                DateTime? p = remainingDays.LastOrDefault(d => d < hf) is var pd && pd != default ? pd : null;
                DateTime? c = remainingDays.FirstOrDefault(d => d > ht) is var cd && cd != default ? cd : null;
                // With nothing read before the hole, its span starts at the first failed day; with nothing read
                // after it, it ends with the last failed day.
                spans.Add((p?.AddDays(1) ?? failed.Min(j => batches[j].From), c ?? failed.Max(j => batches[j].To)));
            }

            var merged = new List<(DateTime From, DateTime To)>();
            foreach (var x in spans.OrderBy(x => x.From))
            {
                if (merged.Count > 0 && x.From <= merged[^1].To) merged[^1] = (merged[^1].From, x.To > merged[^1].To ? x.To : merged[^1].To);
                else merged.Add(x);
            }

            bool IsMissing(DateTime d) => merged.Any(x => d >= x.From && d <= x.To);

            foreach (bool interpolate in new[] { true, false })
            {
                var once = ConsumptionCalculator.Daily(s.Readings, from, to, interpolate);
                var stream = new Streamed(from, to, interpolate);
                for (int i = 0; i < batches.Count; i++)
                {
                    var (bf, bt) = batches[i];
                    if (failed.Contains(i)) stream.Take(stream.Builder.AddHole(bf, bt));
                    else stream.Take(stream.Builder.Add(s.Readings.Where(r => r.Date >= bf && r.Date <= bt).OrderBy(_ => rng.Next()).ToList()));
                }

                stream.Complete();

                var expected = new List<EglConsumption>();
                if (interpolate)
                {
                    var good = once.ToDictionary(r => r.Date);
                    for (var d = from; d <= to; d = d.AddDays(1))
                    {
                        if (IsMissing(d)) expected.Add(new EglConsumption(Sub, EglGranularity.Day, d, d, 1, 0, null, EglQuality.Missing, string.Empty, false));
                        else if (good.TryGetValue(d, out var row)) expected.Add(row);
                    }
                }
                else
                {
                    // Without interpolation a hole's Missing days are one row, cut to the range.
                    foreach (var x in merged)
                    {
                        DateTime lo = x.From > from ? x.From : from, hi = x.To < to ? x.To : to;
                        if (lo <= hi) expected.Add(new EglConsumption(Sub, EglGranularity.Day, lo, hi, (hi - lo).Days + 1, 0, null, EglQuality.Missing, string.Empty, false));
                    }

                    expected.AddRange(once.Where(r => !merged.Any(x => r.Date <= x.To && r.EndDate >= x.From)));
                    expected = expected.OrderBy(r => r.Date).ToList();
                }

                string want = Text(expected), got = Text(stream.Daily);
                if (want != got) Assert.Fail($"{(interpolate ? "interpolated" : "not interpolated")} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}, holes {string.Join(", ", failed.Select(k => $"{batches[k].From:yyyy-MM-dd}..{batches[k].To:yyyy-MM-dd}"))}\nexpected:\n{want}\nactual:\n{got}");
                Assert.All(stream.Daily.Where(r => r.Quality == EglQuality.Missing), r => Assert.Null(r.Liters));
                foreach (var g in Periods) Assert.Equal(Text(ConsumptionAggregator.Aggregate(stream.Daily, g, from, to)), Text(stream.Aggregated[g]));
            }
        }, iter: 200, threads: 1);
    }

    // ---- Aggregates ----------------------------------------------------------------------------------------

    /// <summary>The first day of the period of a day, computed without the engine (System.Globalization.ISOWeek for weeks).</summary>
    internal static DateTime PeriodOf(DateTime day, EglGranularity g) => g switch
    {
        EglGranularity.Week => ISOWeek.ToDateTime(ISOWeek.GetYear(day), ISOWeek.GetWeekOfYear(day), DayOfWeek.Monday),
        EglGranularity.Month => new DateTime(day.Year, day.Month, 1),
        EglGranularity.Year => new DateTime(day.Year, 1, 1),
        _ => day,
    };

    [Fact]
    public void Aggregates_count_the_days_of_the_range_take_the_worst_quality_and_sum_only_known_litres()
    {
        Gen.Select(GenSeries, Gen.Int[0, 800], Gen.Int[0, 800]).Sample((s, a, length) =>
        {
            // Inside [first reading + 1, last reading]: every day has a row.
            int span = (s.LastDay - s.FirstDay).Days;
            if (span < 1) return;
            DateTime from = s.FirstDay.AddDays(1 + (a % span)), to = from.AddDays(length % ((s.LastDay - from).Days + 1));
            var days = ConsumptionCalculator.Daily(s.Readings, from, to).ToDictionary(r => r.Date);
            Assert.Equal((to - from).Days + 1, days.Count);
            foreach (bool interpolate in new[] { true, false })
            {
                var daily = ConsumptionCalculator.Daily(s.Readings, from, to, interpolate);
                foreach (var g in Periods)
                {
                    var periods = ConsumptionAggregator.Aggregate(daily, g, from, to);
                    Assert.Equal((to - from).Days + 1, periods.Sum(p => p.Days));
                    var expectedStarts = new List<DateTime>();
                    for (var d = from; d <= to; d = d.AddDays(1))
                    {
                        if (expectedStarts.Count == 0 || expectedStarts[^1] != PeriodOf(d, g)) expectedStarts.Add(PeriodOf(d, g));
                    }

                    Assert.Equal(expectedStarts, periods.Select(p => p.Date));
                    foreach (var p in periods)
                    {
                        var inside = days.Values.Where(r => PeriodOf(r.Date, g) == p.Date).ToList();
                        DateTime periodEnd = g == EglGranularity.Week ? p.Date.AddDays(6) : g == EglGranularity.Month ? new DateTime(p.Date.Year, p.Date.Month, DateTime.DaysInMonth(p.Date.Year, p.Date.Month)) : new DateTime(p.Date.Year, 12, 31);
                        string at = $"{g} {p} ({(interpolate ? "interpolated" : "not interpolated")}, {from:yyyy-MM-dd}..{to:yyyy-MM-dd})";
                        Assert.Equal(periodEnd, p.EndDate);
                        Assert.Equal(inside.Count, p.Days);
                        Assert.Equal(inside.Max(r => r.Quality), p.Quality);
                        Assert.Equal(inside.Count(r => r.Liters.HasValue), p.DaysWithData);
                        bool anyKnown = inside.Any(r => r.Liters.HasValue);
                        Assert.True(p.Liters.HasValue == anyKnown, at);
                        if (anyKnown)
                        {
                            // Without interpolation a gap row that straddles two periods is split again: a litre or two of rounding.
                            Assert.Equal(inside.Sum(r => r.Liters ?? 0), p.Liters!.Value, interpolate ? 1e-6 : 2.0);
                        }

                        bool wholeInside = p.Date >= from && periodEnd <= to;
                        Assert.True(p.Complete == (wholeInside && inside.All(r => r.Quality == EglQuality.Measured)), "Complete " + at);
                    }
                }
            }
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void ISO_weeks_and_period_starts_match_hand_written_dates()
    {
        // The oracle's period starts, checked by hand, then the engine's against them over ten years.
        Assert.Equal(new DateTime(2024, 12, 30), PeriodOf(new DateTime(2025, 1, 1), EglGranularity.Week));
        Assert.Equal(new DateTime(2020, 12, 28), PeriodOf(new DateTime(2021, 1, 3), EglGranularity.Week)); // ISO week 53 of 2020
        Assert.Equal(new DateTime(2024, 2, 26), PeriodOf(new DateTime(2024, 2, 29), EglGranularity.Week));
        for (var d = new DateTime(2020, 1, 1); d < new DateTime(2030, 1, 1); d = d.AddDays(1))
        {
            foreach (var g in Periods) Assert.Equal(PeriodOf(d, g), ConsumptionAggregator.PeriodStart(d, g));
        }
    }

    internal static string Text(IEnumerable<EglConsumption> rows) => ConsumptionPropertyTests.Text(rows);

    /// <summary>A shown sample's readings, one per line (for a failure's message).</summary>
    internal static string Show(IEnumerable<EglIndexReading> readings)
    {
        var sb = new StringBuilder();
        foreach (var r in readings.OrderBy(r => r.Date)) sb.AppendLine(r.ToString());
        return sb.ToString();
    }
}
