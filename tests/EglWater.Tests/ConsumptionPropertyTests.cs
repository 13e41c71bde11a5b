using System.Globalization;
using System.Text;
using CsCheck;
using EglWater.Engine;

namespace EglWater.Tests;

/// <summary>
/// Properties of the engine over random index series with gaps, duplicates, pending rows, unknown
/// letters and meter changes. CsCheck shrinks a failure to a small series and prints its seed.
/// Sampling runs on the test's thread (threads: 1) so that the culture set by a test applies to it.
/// </summary>
public class ConsumptionPropertyTests
{
    private const long Sub = 1895683;
    private static readonly DateTime Start = new(2024, 1, 1);

    /// <summary>One published day: days since the previous one (gaps), litres, letter, duplicates.</summary>
    public sealed record Step(int Advance, double Liters, string Type, bool PendingDuplicate, bool IdenticalDuplicate, bool Decrease);

    /// <summary>A generated series: the readings as sent (shuffled), and the truth of each day's final reading.</summary>
    public sealed record Series(IReadOnlyList<EglIndexReading> Readings, IReadOnlyList<EglIndexReading> Finals, int Shuffle)
    {
        public override string ToString() => string.Join(" ", Readings.Select(r => r.ToString()));
    }

    private static readonly Gen<string> GenType = Gen.Int[0, 99].Select(i => i switch
    {
        < 80 => "R",
        < 86 => "T",
        < 90 => "A",
        < 93 => "V",
        < 95 => "X",
        _ => "D",
    });

    private static Gen<Step> GenStep(bool meterChanges, bool decreases) => Gen.Select(
        Gen.Int[0, 19].Select(i => i < 15 ? 1 : i < 18 ? 2 : i - 14), // mostly consecutive days, gaps of 1 to 5 days
        Gen.Int[0, 9].SelectMany(k => k < 8 ? Gen.Int[0, 900].Select(l => (double)l) : Gen.Double[0, 900].Select(l => Math.Round(l, 3))),
        GenType.Select(t => meterChanges || t != "D" ? t : "R"),
        Gen.Int[0, 9].Select(i => i == 0),
        Gen.Int[0, 14].Select(i => i == 0),
        Gen.Int[0, 19].Select(i => decreases && i == 0),
        (a, l, t, p, d, dec) => new Step(a, l, t, p, d, dec));

    public static Gen<Series> GenSeries(bool meterChanges = true, bool decreases = false) => Gen.Select(
        GenStep(meterChanges, decreases).Array[1, 120],
        Gen.Int[0, int.MaxValue],
        Gen.Double[0, 2_000_000].Select(Math.Floor),
        (steps, shuffle, first) => Build(steps, shuffle, first));

    private static Series Build(Step[] steps, int shuffle, double firstIndex)
    {
        var sent = new List<EglIndexReading>();
        var finals = new List<EglIndexReading>();
        var day = Start;
        double index = firstIndex;
        for (int i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            if (i > 0) day = day.AddDays(s.Advance);
            string type = i == 0 && s.Type == "D" ? "R" : s.Type;
            if (i > 0) index = type == "D" ? s.Liters : s.Decrease ? Math.Max(0, index - 1 - s.Liters) : index + s.Liters;
            var final = new EglIndexReading(Sub, day, index, type);
            finals.Add(final);
            sent.Add(final);
            if (s.PendingDuplicate && type != "T") sent.Add(new EglIndexReading(Sub, day, Math.Max(0, index - 7), "T"));
            if (s.IdenticalDuplicate) sent.Add(new EglIndexReading(Sub, day, index, type));
        }

        var rng = new Random(shuffle);
        var shuffled = sent.OrderBy(_ => rng.Next()).ToList();
        return new Series(shuffled, finals, shuffle);
    }

    private static DateTime FirstDay(Series s) => s.Finals[0].Date.AddDays(1);

    private static DateTime LastDay(Series s) => s.Finals[^1].Date;

    private static DailyConsumption Daily(Series s, bool interpolate, DateTime? from = null, DateTime? to = null) =>
        ConsumptionCalculator.Daily(s.Readings, from ?? Start, to ?? Start.AddYears(3), interpolate);

    [Fact]
    public void Litres_are_never_negative_even_with_decreases_meter_changes_and_gaps()
    {
        GenSeries(meterChanges: true, decreases: true).Sample(s =>
        {
            foreach (bool interpolate in new[] { true, false })
            {
                var daily = Daily(s, interpolate);
                Assert.All(daily, r => Assert.True(r.Liters is null or >= 0, r.ToString()));
                foreach (var g in new[] { EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
                    Assert.All(ConsumptionAggregator.Aggregate(daily, g, Start, Start.AddYears(3)), r => Assert.True(r.Liters is null or >= 0, r.ToString()));
                // Every invalid row has an issue naming its reading's day.
                var invalidEnds = daily.Where(r => r.Quality == EglQuality.Invalid && r.RawType.Length > 0).Select(r => r.EndDate).ToHashSet();
                Assert.Equal(invalidEnds.OrderBy(d => d), daily.Issues.Where(i => i.Kind == ConsumptionIssueKind.InvalidDecrease).Select(i => i.Date));
            }
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void Interpolated_mode_gives_exactly_one_row_per_calendar_day_between_the_first_computable_day_and_the_last_reading()
    {
        Gen.Select(GenSeries(), Gen.Int[-5, 40], Gen.Int[-5, 40]).Sample((s, a, b) =>
        {
            DateTime from = FirstDay(s).AddDays(a), to = LastDay(s).AddDays(-b);
            var daily = Daily(s, true, from, to);
            DateTime lo = from > FirstDay(s) ? from : FirstDay(s), hi = to < LastDay(s) ? to : LastDay(s);
            var expected = lo > hi ? [] : Enumerable.Range(0, (hi - lo).Days + 1).Select(i => lo.AddDays(i)).ToList();
            Assert.Equal(expected, daily.Select(r => r.Date));
            Assert.All(daily, r => Assert.Equal((1, r.Date), (r.Days, r.EndDate)));
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void Without_interpolation_the_rows_tile_the_same_days_without_overlap()
    {
        GenSeries().Sample(s =>
        {
            var rows = Daily(s, false);
            var days = rows.SelectMany(r => Enumerable.Range(0, r.Days).Select(i => r.Date.AddDays(i))).ToList();
            Assert.Equal(Daily(s, true).Select(r => r.Date), days);
            Assert.All(rows, r => Assert.Equal(r.Days, (r.EndDate - r.Date).Days + 1));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Daily_sums_equal_aggregated_sums_for_every_granularity_and_both_modes()
    {
        Gen.Select(GenSeries(meterChanges: true, decreases: true), Gen.Int[0, 60], Gen.Int[0, 60]).Sample((s, a, b) =>
        {
            DateTime from = Start.AddDays(a), to = LastDay(s).AddDays(-b);
            if (from > to) return;
            // The oracle is the interpolated daily rows: one per day inside the range. A row without interpolation
            // may reach outside the range (a gap is written whole); its aggregated share inside must match theirs.
            var perDay = Daily(s, true, from, to);
            double dailySum = perDay.Sum(r => r.Liters ?? 0);
            int dailyKnown = perDay.Sum(r => r.DaysWithData);
            foreach (bool interpolate in new[] { true, false })
            {
                var daily = Daily(s, interpolate, from, to);
                // Day granularity passes the daily rows through, as they are.
                Assert.Equal(daily.Select(r => r.ToString()), ConsumptionAggregator.Aggregate(daily, EglGranularity.Day, from, to).Select(r => r.ToString()));
                foreach (var g in new[] { EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
                {
                    var periods = ConsumptionAggregator.Aggregate(daily, g, from, to);
                    Assert.Equal(dailySum, periods.Sum(r => r.Liters ?? 0), 6);
                    Assert.Equal(dailyKnown, periods.Sum(r => r.DaysWithData));
                    Assert.All(periods, p => Assert.Equal(EngineOracleTests.PeriodOf(p.Date, g), p.Date)); // ISOWeek, not the engine's own PeriodStart
                    Assert.All(periods, p => Assert.True(p.Liters.HasValue == (p.DaysWithData > 0), p.ToString()));
                }
            }

            // Both modes give the same months: same days, qualities and completeness; the litres may differ by a
            // litre or so only where a gap row cut by the range start is split again between two months
            // (its whole-litre rounding is then made over the cut row, not the whole gap).
            var m1 = ConsumptionAggregator.Aggregate(Daily(s, true, from, to), EglGranularity.Month, from, to);
            var m2 = ConsumptionAggregator.Aggregate(Daily(s, false, from, to), EglGranularity.Month, from, to);
            Assert.True(m1.Select(m => (m.Date, m.DaysWithData, m.Quality, m.Complete)).SequenceEqual(m2.Select(m => (m.Date, m.DaysWithData, m.Quality, m.Complete))),
                $"from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}\n{Text(m1)}\n--\n{Text(m2)}\n--\n{Text(Daily(s, false, from, to))}");
            Assert.Equal(m1.Select(m => m.Liters ?? -1), m2.Select(m => m.Liters ?? -1), new Tolerance(2));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Without_meter_change_the_total_over_the_readings_span_is_the_last_index_minus_the_first()
    {
        GenSeries(meterChanges: false).Sample(s =>
        {
            foreach (bool interpolate in new[] { true, false })
            {
                var daily = Daily(s, interpolate);
                double expected = s.Finals[^1].Index - s.Finals[0].Index;
                Assert.Equal(expected, daily.Sum(r => r.Liters!.Value), 6);
                Assert.All(daily, r => Assert.NotNull(r.Liters));
            }
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void The_order_of_the_readings_does_not_matter()
    {
        Gen.Select(GenSeries(true, true), Gen.Int[0, int.MaxValue]).Sample((s, seed) =>
        {
            var rng = new Random(seed);
            var reshuffled = s.Readings.OrderBy(_ => rng.Next()).ToList();
            Assert.Equal(Text(ConsumptionCalculator.Daily(s.Readings, Start, Start.AddYears(3))), Text(ConsumptionCalculator.Daily(reshuffled, Start, Start.AddYears(3))));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void The_results_do_not_change_with_the_culture()
    {
        // The same seeded samples computed under each culture must give the same text (written invariantly).
        var samples = GenSeries(true, true).Array[100, 100].Single();
        var outputs = new Dictionary<string, string>();
        foreach (var culture in new[] { "fr-FR", "en-US", "de-DE", "ar-SA", "" })
        {
            using var scope = new CultureScope(culture);
            var sb = new StringBuilder();
            foreach (var s in samples)
            {
                var daily = ConsumptionCalculator.Daily(s.Readings, Start, Start.AddYears(3));
                sb.AppendLine(Text(daily));
                foreach (var g in new[] { EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
                    sb.AppendLine(Text(ConsumptionAggregator.Aggregate(daily, g, Start, Start.AddYears(3))));
            }

            outputs[culture] = sb.ToString();
        }

        Assert.True(outputs["fr-FR"].Length > 1000);
        Assert.All(outputs.Values, o => Assert.Equal(outputs["en-US"], o));
    }

    internal static string Text(IEnumerable<EglConsumption> rows) => string.Join("\n", rows.Select(r => string.Join("|",
        r.SubscriptionNumber.ToString(CultureInfo.InvariantCulture), r.Granularity, r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Days.ToString(CultureInfo.InvariantCulture), r.DaysWithData.ToString(CultureInfo.InvariantCulture),
        r.Liters?.ToString("R", CultureInfo.InvariantCulture) ?? "null", r.Quality, r.RawType, r.Complete)));

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
