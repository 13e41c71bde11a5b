using EglWater.Engine;
using EglWater.Simulator;

namespace EglWater.Tests;

/// <summary>One example per rule of the consumption engine.</summary>
public class ConsumptionTests
{
    private const long Sub = 1895683;

    internal static DateTime D(int month, int day, int year = 2025) => new(year, month, day);

    internal static EglIndexReading R(DateTime day, double index, string type = "R", long sub = Sub) => new(sub, day, index, type);

    private static DailyConsumption Daily(IEnumerable<EglIndexReading> readings, DateTime from, DateTime to, bool interpolate = true) =>
        ConsumptionCalculator.Daily(readings, from, to, interpolate);

    [Fact]
    public void Each_day_is_its_index_minus_the_previous_days_and_the_day_before_the_range_gives_the_first_day_its_value()
    {
        var rows = Daily([R(D(5, 1), 1000), R(D(5, 2), 1150), R(D(5, 3), 1400)], D(5, 2), D(5, 3));
        Assert.Equal([D(5, 2), D(5, 3)], rows.Select(r => r.Date));
        Assert.Equal([150.0, 250.0], rows.Select(r => r.Liters!.Value));
        Assert.All(rows, r => { Assert.Equal(EglQuality.Measured, r.Quality); Assert.True(r.Complete); Assert.Equal(1, r.Days); Assert.Equal(1, r.DaysWithData); Assert.Equal(r.Date, r.EndDate); });
        Assert.Equal(0.25, rows[1].CubicMeters);
    }

    [Fact]
    public void A_final_row_beats_a_pending_row_of_the_same_day_whatever_their_order()
    {
        foreach (var order in new[] { new[] { "T", "R" }, new[] { "R", "T" } })
        {
            var readings = new List<EglIndexReading> { R(D(5, 1), 1000) };
            foreach (var t in order) readings.Add(t == "T" ? R(D(5, 2), 1090, "T") : R(D(5, 2), 1100));
            readings.Add(R(D(5, 3), 1300));
            var rows = Daily(readings, D(5, 2), D(5, 3));
            Assert.Equal(2, rows.Count);
            Assert.Equal(100, rows[0].Liters);
            Assert.Equal(EglQuality.Measured, rows[0].Quality);
            Assert.Equal(200, rows[1].Liters);
            Assert.Empty(rows.Issues);
        }
    }

    [Fact]
    public void Identical_duplicates_collapse()
    {
        var rows = Daily([R(D(5, 1), 1000), R(D(5, 2), 1100), R(D(5, 2), 1100), R(D(5, 1), 1000)], D(5, 2), D(5, 2));
        var row = Assert.Single(rows);
        Assert.Equal(100, row.Liters);
        Assert.Empty(rows.Issues);
    }

    [Fact]
    public void Two_different_final_readings_of_a_day_are_flagged_and_reported_whatever_their_order()
    {
        var a = Daily([R(D(5, 1), 1000), R(D(5, 2), 1100), R(D(5, 2), 1120)], D(5, 2), D(5, 2));
        var b = Daily([R(D(5, 2), 1120), R(D(5, 2), 1100), R(D(5, 1), 1000)], D(5, 2), D(5, 2));
        Assert.Equal(a.Single().ToString(), b.Single().ToString());
        Assert.Equal(EglQuality.Anomaly, a.Single().Quality);
        var issue = Assert.Single(a.Issues);
        Assert.Equal(ConsumptionIssueKind.ConflictingReadings, issue.Kind);
        Assert.Equal(D(5, 2), issue.Date);
    }

    [Theory]
    [InlineData("R", EglQuality.Measured)]
    [InlineData("A", EglQuality.Anomaly)]
    [InlineData("T", EglQuality.Pending)]
    [InlineData("V", EglQuality.Unknown)]
    [InlineData("X", EglQuality.Unknown)]
    [InlineData("Q", EglQuality.Unknown)]
    [InlineData("", EglQuality.Unknown)]
    public void Quality_follows_the_days_letter_and_keeps_unknown_letters_in_RawType(string raw, EglQuality expected)
    {
        var row = Daily([R(D(5, 1), 1000), R(D(5, 2), 1100, raw)], D(5, 2), D(5, 2)).Single();
        Assert.Equal(expected, row.Quality);
        Assert.Equal(raw, row.RawType);
        Assert.Equal(100, row.Liters);
        Assert.Equal(expected == EglQuality.Measured, row.Complete);
    }

    [Fact]
    public void A_meter_change_day_has_no_liters_and_its_reading_is_the_next_days_baseline()
    {
        var rows = Daily([R(D(5, 1), 900_000), R(D(5, 2), 35, "D"), R(D(5, 3), 300)], D(5, 2), D(5, 3));
        Assert.Null(rows[0].Liters);
        Assert.Null(rows[0].CubicMeters);
        Assert.Equal(EglQuality.MeterChange, rows[0].Quality);
        Assert.Equal(0, rows[0].DaysWithData);
        Assert.Equal("D", rows[0].RawType);
        Assert.Equal(265, rows[1].Liters);
        Assert.Equal(EglQuality.Measured, rows[1].Quality);
        Assert.Empty(rows.Issues);
    }

    [Fact]
    public void A_meter_change_with_a_higher_index_is_still_not_differenced()
    {
        var rows = Daily([R(D(5, 1), 100), R(D(5, 2), 5000, "D")], D(5, 2), D(5, 2));
        Assert.Null(rows.Single().Liters);
    }

    [Fact]
    public void A_decrease_without_a_meter_change_is_Invalid_with_no_liters_and_an_issue_naming_the_date()
    {
        var rows = Daily([R(D(5, 1), 1000), R(D(5, 2), 900), R(D(5, 3), 1000)], D(5, 2), D(5, 3));
        Assert.Null(rows[0].Liters);
        Assert.Equal(EglQuality.Invalid, rows[0].Quality);
        Assert.False(rows[0].Complete);
        Assert.Equal(100, rows[1].Liters);
        var issue = Assert.Single(rows.Issues);
        Assert.Equal(ConsumptionIssueKind.InvalidDecrease, issue.Kind);
        Assert.Equal(D(5, 2), issue.Date);
        Assert.Contains("2025-05-02", issue.ToString());
        Assert.Contains("2025-05-01", issue.ToString());
    }

    [Fact]
    public void An_invalid_decrease_outside_the_range_is_not_reported()
    {
        var rows = Daily([R(D(4, 30), 1000), R(D(5, 1), 900), R(D(5, 2), 1000)], D(5, 2), D(5, 2));
        Assert.Empty(rows.Issues);
        Assert.Equal(100, rows.Single().Liters);
    }

    [Fact]
    public void A_gap_is_spread_evenly_over_its_days_in_whole_litres_as_Estimated_and_its_sum_is_kept()
    {
        var rows = Daily([R(D(5, 1), 1000), R(D(5, 5), 1100), R(D(5, 6), 1200)], D(5, 2), D(5, 6));
        Assert.Equal([D(5, 2), D(5, 3), D(5, 4), D(5, 5), D(5, 6)], rows.Select(r => r.Date));
        Assert.Equal([25.0, 25, 25, 25, 100], rows.Select(r => r.Liters!.Value));
        Assert.All(rows.Take(4), r => { Assert.Equal(EglQuality.Estimated, r.Quality); Assert.False(r.Complete); Assert.Equal(1, r.Days); });
        Assert.Equal(["", "", "", "R"], rows.Take(4).Select(r => r.RawType));
        Assert.Equal(EglQuality.Measured, rows[4].Quality);

        var odd = Daily([R(D(5, 1), 1000), R(D(5, 4), 1100)], D(5, 2), D(5, 4));
        Assert.Equal(100, odd.Sum(r => r.Liters!.Value));
        Assert.All(odd, r => Assert.Equal(Math.Round(r.Liters!.Value), r.Liters!.Value));
        Assert.InRange(odd.Max(r => r.Liters!.Value) - odd.Min(r => r.Liters!.Value), 0, 1);
    }

    [Fact]
    public void A_gap_without_interpolation_is_one_row_covering_it()
    {
        var rows = Daily([R(D(5, 1), 1000), R(D(5, 5), 1100), R(D(5, 6), 1200)], D(5, 2), D(5, 6), interpolate: false);
        Assert.Equal(2, rows.Count);
        var gap = rows[0];
        Assert.Equal(D(5, 2), gap.Date);
        Assert.Equal(D(5, 5), gap.EndDate);
        Assert.Equal(4, gap.Days);
        Assert.Equal(4, gap.DaysWithData);
        Assert.Equal(100, gap.Liters);
        Assert.Equal(EglQuality.Estimated, gap.Quality);
        Assert.Equal(1, rows[1].Days);
    }

    [Fact]
    public void A_gap_cut_by_the_range_keeps_its_days_inside_and_without_interpolation_is_written_whole()
    {
        var interp = Daily([R(D(5, 1), 1000), R(D(5, 5), 1100)], D(5, 3), D(5, 4));
        Assert.Equal([25.0, 25], interp.Select(r => r.Liters!.Value));
        // The row of a day never depends on the range: the gap's one row is the whole gap, as in a wide query.
        var whole = Daily([R(D(5, 1), 1000), R(D(5, 5), 1100)], D(5, 3), D(5, 4), interpolate: false).Single();
        Assert.Equal((D(5, 2), D(5, 5), 4, 100.0, 4), (whole.Date, whole.EndDate, whole.Days, whole.Liters!.Value, whole.DaysWithData));
        // Aggregated over the range, only its share inside counts.
        var month = ConsumptionAggregator.Aggregate([whole], EglGranularity.Month, D(5, 3), D(5, 4)).Single();
        Assert.Equal((2, 2, 50.0), (month.Days, month.DaysWithData, month.Liters!.Value));
    }

    [Fact]
    public void A_gap_that_ends_on_a_meter_change_or_a_decrease_has_no_liters_on_any_day()
    {
        var change = Daily([R(D(5, 1), 900_000), R(D(5, 4), 40, "D"), R(D(5, 5), 300)], D(5, 2), D(5, 5));
        Assert.Equal([null, null, null, 260.0], change.Select(r => r.Liters));
        Assert.All(change.Take(3), r => Assert.Equal(EglQuality.MeterChange, r.Quality));

        var decrease = Daily([R(D(5, 1), 1000), R(D(5, 4), 500), R(D(5, 5), 600)], D(5, 2), D(5, 5), interpolate: false);
        Assert.Equal(2, decrease.Count);
        Assert.Null(decrease[0].Liters);
        Assert.Equal((3, 0, EglQuality.Invalid), (decrease[0].Days, decrease[0].DaysWithData, decrease[0].Quality));
        Assert.Equal(D(5, 4), Assert.Single(decrease.Issues).Date);
    }

    [Fact]
    public void Nothing_is_emitted_after_the_last_reading_nor_before_the_first_and_the_last_day_is_known()
    {
        var rows = Daily([R(D(5, 10), 1000), R(D(5, 11), 1100), R(D(5, 12), 1150, "T")], D(5, 1), D(5, 31));
        Assert.Equal([D(5, 11), D(5, 12)], rows.Select(r => r.Date));
        Assert.Equal(D(5, 12), rows.LastReadingDay);
        Assert.Equal(D(5, 10), rows.FirstReadingDay);
        Assert.Equal(EglQuality.Pending, rows[1].Quality);
        var none = Daily([], D(5, 1), D(5, 31));
        Assert.Empty(none);
        Assert.Null(none.LastReadingDay);
    }

    [Fact]
    public void The_streaming_builder_gives_the_same_rows_as_one_call_when_chunks_come_in_date_order()
    {
        var readings = Enumerable.Range(0, 40).Where(i => i % 7 != 3).Select(i => R(D(5, 1).AddDays(i), 1000 + 10 * i * i)).ToList();
        var once = Daily(readings, D(5, 2), D(6, 9));
        var builder = new DailyConsumptionBuilder(D(5, 2), D(6, 9));
        var streamed = new List<EglConsumption>();
        foreach (var chunk in readings.Chunk(9)) streamed.AddRange(builder.Add(chunk.Reverse()));
        streamed.AddRange(builder.Complete());
        Assert.Equal(once.Select(r => r.ToString()), streamed.Select(r => r.ToString()));
        var b2 = new DailyConsumptionBuilder(D(5, 1), D(5, 9));
        b2.Add([R(D(5, 3), 1), R(D(5, 4), 2)]);
        Assert.Throws<InvalidOperationException>(() => b2.Add([R(D(5, 2), 1)]));
    }

    [Fact]
    public void Readings_of_several_subscriptions_in_one_call_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Daily([R(D(5, 1), 1), R(D(5, 2), 2, sub: 7)], D(5, 1), D(5, 2)));
    }

    // ---- aggregation

    private static List<EglConsumption> Days(DateTime first, params double?[] liters) =>
        liters.Select((l, i) => new EglConsumption(Sub, EglGranularity.Day, first.AddDays(i), first.AddDays(i), 1, l.HasValue ? 1 : 0, l, l.HasValue ? EglQuality.Measured : EglQuality.MeterChange, "R", l.HasValue)).ToList();

    [Fact]
    public void Weeks_are_ISO_weeks_starting_on_Monday()
    {
        Assert.Equal(new DateTime(2024, 12, 30), ConsumptionAggregator.PeriodStart(new DateTime(2025, 1, 1), EglGranularity.Week));
        Assert.Equal(new DateTime(2025, 5, 5), ConsumptionAggregator.PeriodStart(new DateTime(2025, 5, 11), EglGranularity.Week)); // Sunday
        Assert.Equal(new DateTime(2025, 5, 12), ConsumptionAggregator.PeriodStart(new DateTime(2025, 5, 12), EglGranularity.Week)); // Monday
        Assert.Equal(new DateTime(2025, 5, 18), ConsumptionAggregator.PeriodEnd(new DateTime(2025, 5, 12), EglGranularity.Week));
        Assert.Equal(new DateTime(2024, 2, 29), ConsumptionAggregator.PeriodEnd(new DateTime(2024, 2, 1), EglGranularity.Month));
    }

    [Fact]
    public void A_month_sums_its_days_and_is_complete_only_when_every_day_is_inside_and_measured()
    {
        var daily = Days(D(4, 28), Enumerable.Range(0, 40).Select(i => (double?)(100 + i)).ToArray()); // 28 Apr .. 6 Jun
        var months = ConsumptionAggregator.Aggregate(daily, EglGranularity.Month, D(4, 28), D(6, 6));
        Assert.Equal(3, months.Count);
        var may = months[1];
        Assert.Equal((D(5, 1), D(5, 31), 31, 31, EglGranularity.Month), (may.Date, may.EndDate, may.Days, may.DaysWithData, may.Granularity));
        Assert.Equal(Enumerable.Range(3, 31).Sum(i => 100.0 + i), may.Liters);
        Assert.True(may.Complete);
        Assert.Equal(EglQuality.Measured, may.Quality);
        Assert.Equal(string.Empty, may.RawType);
        // April and June are cut by the range: Date is still the period's first day, Days counts the days inside.
        Assert.Equal((D(4, 1), D(4, 30), 3, false), (months[0].Date, months[0].EndDate, months[0].Days, months[0].Complete));
        Assert.Equal((D(6, 1), 6, false), (months[2].Date, months[2].Days, months[2].Complete));
    }

    [Fact]
    public void Unknown_litres_are_left_out_of_sums_counted_as_days_without_data_and_the_worst_quality_wins()
    {
        var daily = Days(D(5, 5), 100, null, 300, 50, 50, 50, 50);
        var week = ConsumptionAggregator.Aggregate(daily, EglGranularity.Week, D(5, 5), D(5, 11)).Single();
        Assert.Equal(600, week.Liters);
        Assert.Equal(7, week.Days);
        Assert.Equal(6, week.DaysWithData);
        Assert.Equal(EglQuality.MeterChange, week.Quality);
        Assert.False(week.Complete);
    }

    [Fact]
    public void A_period_with_no_known_litres_has_null_liters_not_zero()
    {
        var week = ConsumptionAggregator.Aggregate(Days(D(5, 5), null, null), EglGranularity.Week, D(5, 5), D(5, 11)).Single();
        Assert.Null(week.Liters);
        Assert.Equal(0, week.DaysWithData);
        Assert.Equal(7, week.Days);
    }

    [Fact]
    public void A_period_with_days_not_published_yet_is_not_complete()
    {
        var month = ConsumptionAggregator.Aggregate(Days(D(5, 1), Enumerable.Repeat((double?)10, 20).ToArray()), EglGranularity.Month, D(5, 1), D(5, 31)).Single();
        Assert.Equal((31, 20, 200.0, false), (month.Days, month.DaysWithData, month.Liters!.Value, month.Complete));
    }

    [Fact]
    public void A_gap_row_that_straddles_two_months_is_split_evenly_and_its_parts_are_estimated()
    {
        var rows = Daily([R(D(4, 29), 1000), R(D(5, 2), 1100), R(D(5, 3), 1200)], D(4, 30), D(5, 3), interpolate: false);
        var months = ConsumptionAggregator.Aggregate(rows, EglGranularity.Month, D(4, 30), D(5, 3));
        Assert.Equal([33.0, 167.0], months.Select(m => m.Liters!.Value)); // 100 over 3 days: 33 | 34 + 33, then 100
        Assert.All(months, m => Assert.Equal(EglQuality.Estimated, m.Quality));
        var interpolated = ConsumptionAggregator.Aggregate(Daily([R(D(4, 29), 1000), R(D(5, 2), 1100), R(D(5, 3), 1200)], D(4, 30), D(5, 3)), EglGranularity.Month, D(4, 30), D(5, 3));
        Assert.Equal(months.Select(m => m.ToString()), interpolated.Select(m => m.ToString()));
    }

    [Fact]
    public void Aggregation_keeps_subscriptions_apart_and_sorts_by_date()
    {
        var a = Days(D(5, 1), 1, 2, 3);
        var b = a.Select(r => new EglConsumption(7, r.Granularity, r.Date, r.EndDate, 1, 1, r.Liters! * 10, r.Quality, r.RawType, r.Complete)).ToList();
        var rows = ConsumptionAggregator.Aggregate(b.Concat(a).Reverse(), EglGranularity.Year, D(1, 1), D(12, 31));
        Assert.Equal([(7L, 60.0), (Sub, 6.0)], rows.Select(r => (r.SubscriptionNumber, r.Liters!.Value)));
    }

    [Fact]
    public void The_streaming_aggregator_writes_each_period_as_soon_as_it_is_complete()
    {
        var agg = new ConsumptionAggregator(EglGranularity.Week, D(5, 5), D(5, 25));
        var daily = Days(D(5, 5), Enumerable.Repeat((double?)1, 14).ToArray());
        var written = daily.Select(r => agg.Add(r).Count).ToList();
        Assert.Equal(1, written[7]); // Monday 12 May closes the week of 5 May
        Assert.Equal(1, written.Sum());
        Assert.Single(agg.Complete());
    }

    // ---- the simulator's demo data and its quirks, through the engine

    [Fact]
    public void The_demo_data_has_each_quirk_and_the_engine_handles_them()
    {
        var today = new DateOnly(2026, 3, 15);
        var rows = SimulatorState.DemoRows(today, 1);
        var readings = rows.Select(r => R(r.Day.ToDateTime(TimeOnly.MinValue), r.Index, r.Type)).ToList();
        var daily = Daily(readings, new DateTime(2022, 11, 2), new DateTime(2026, 3, 31));
        DateTime Day(DateOnly d) => d.ToDateTime(TimeOnly.MinValue);
        EglConsumption At(DateOnly d) => daily.Single(r => r.Date == Day(d));

        Assert.Equal(2, rows.Count(r => r.Day == MeterData.Quirks.PendingThenFinal));
        Assert.Equal("T", rows.First(r => r.Day == MeterData.Quirks.PendingThenFinal).Type);
        Assert.Equal(EglQuality.Measured, At(MeterData.Quirks.PendingThenFinal).Quality);
        Assert.Equal(MeterData.DailyLiters(MeterData.Quirks.PendingThenFinal), At(MeterData.Quirks.PendingThenFinal).Liters);

        Assert.DoesNotContain(rows, r => r.Day >= MeterData.Quirks.GapFirst && r.Day <= MeterData.Quirks.GapLast);
        Assert.Equal(EglQuality.Estimated, At(MeterData.Quirks.GapFirst).Quality);
        double gapTruth = Enumerable.Range(0, 4).Sum(i => (double)MeterData.DailyLiters(MeterData.Quirks.GapFirst.AddDays(i)));
        Assert.Equal(gapTruth, Enumerable.Range(0, 4).Sum(i => At(MeterData.Quirks.GapFirst.AddDays(i)).Liters!.Value));

        Assert.Equal((null, EglQuality.MeterChange), (At(MeterData.Quirks.MeterChange).Liters, At(MeterData.Quirks.MeterChange).Quality));
        Assert.Equal(MeterData.DailyLiters(MeterData.Quirks.MeterChange.AddDays(1)), At(MeterData.Quirks.MeterChange.AddDays(1)).Liters);
        Assert.Equal(EglQuality.Anomaly, At(MeterData.Quirks.Anomaly).Quality);
        Assert.Equal(("V", EglQuality.Unknown), (At(MeterData.Quirks.UnknownV).RawType, At(MeterData.Quirks.UnknownV).Quality));
        Assert.Equal(("X", EglQuality.Unknown), (At(MeterData.Quirks.UnknownX).RawType, At(MeterData.Quirks.UnknownX).Quality));
        Assert.Equal([EglQuality.Pending, EglQuality.Pending], daily.TakeLast(2).Select(r => r.Quality));
        Assert.Equal(new DateTime(2026, 3, 14), daily.LastReadingDay);
        Assert.Empty(daily.Issues);
        Assert.All(daily, r => Assert.True(r.Liters is null or >= 0));
    }
}
