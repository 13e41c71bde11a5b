using EglWater.Engine.Leaks;
using static EglWater.Tests.LeakSupport;

namespace EglWater.Tests;

/// <summary>
/// Each rule of the leak detector on hand-made series. The usual series is 56 days of 200 L before
/// <see cref="F"/>: the baseline is 200 L/day, a rise day is above 280 L (1.4 × 200, which beats 200 + 75),
/// a spike day above 500 L (2.5 × 200, which beats 200 + 150).
/// </summary>
public class LeakDetectorTests
{
    private static readonly DateTime F = new(2025, 3, 1);

    private static List<EglConsumption> Usual(double liters = 200, int days = 56) => Flat(F.AddDays(-days), days, liters);

    private static List<EglConsumption> With(params double[] examined) => Usual().Concat(Days(F, examined)).ToList();

    private static LeakDetection Run(List<EglConsumption> rows, int examinedDays, LeakOptions? o = null) =>
        Detect(rows, F, F.AddDays(examinedDays - 1), o);

    private static LeakDetection Run(List<EglConsumption> rows) => Detect(rows, F, rows.Max(r => r.Date), null);

    // ---------- Spike ----------

    [Fact]
    public void A_day_exactly_at_the_spike_factor_is_no_spike_and_one_litre_more_is()
    {
        Assert.Empty(Run(With(200, 500, 200, 200)).Alerts);
        var a = Assert.Single(Run(With(200, 501, 200, 200)).Alerts);
        Assert.Equal(EglLeakKind.Spike, a.Kind);
        Assert.Equal(F.AddDays(1), a.StartDate);
        Assert.Equal(F.AddDays(1), a.EndDate);
        Assert.Equal(1, a.Days);
        Assert.Equal(301, a.ExcessLiters);
        Assert.Equal(200, a.BaselineLitersPerDay);
        Assert.Equal(EglLeakSeverity.Info, a.Severity);
        Assert.False(a.Ongoing);
        Assert.Equal(LeakSupport.Sub, a.SubscriptionNumber);
        Assert.Equal("On 2025-03-02 the household used 501 L against a usual 200 L/day: 301 L more than usual.", a.Evidence);
    }

    [Fact]
    public void A_small_baseline_needs_the_minimum_excess_too()
    {
        // Baseline 50: 2.5 × 50 = 125 but 50 + 150 = 200 binds.
        var usual = Usual(50);
        Assert.Empty(Run(usual.Concat(Days(F, 50, 200, 50)).ToList()).Alerts);
        var a = Assert.Single(Run(usual.Concat(Days(F, 50, 201, 50)).ToList()).Alerts);
        Assert.Equal(EglLeakKind.Spike, a.Kind);
        Assert.Equal(151, a.ExcessLiters);
    }

    [Fact]
    public void A_spike_of_a_cubic_metre_is_a_warning()
    {
        Assert.Equal(EglLeakSeverity.Info, Assert.Single(Run(With(200, 1199, 200)).Alerts).Severity);
        Assert.Equal(EglLeakSeverity.Warning, Assert.Single(Run(With(200, 1200, 200)).Alerts).Severity);
    }

    [Fact]
    public void A_spike_on_the_last_measured_day_is_ongoing()
    {
        var rows = With(200, 200, 900);
        rows.Add(Row(F.AddDays(3), 50, EglQuality.Pending));
        var a = Assert.Single(Detect(rows, F, F.AddDays(3)).Alerts);
        Assert.Equal(EglLeakKind.Spike, a.Kind);
        Assert.True(a.Ongoing);
        Assert.Contains(Detect(rows, F, F.AddDays(3)).Diagnostics.Messages, m => m.Contains("too few to call a sustained rise yet"));
    }

    [Fact]
    public void A_spike_is_not_baseline_for_the_days_after_it()
    {
        // 14 usual days, 7 of 100 and 7 of 300: median 200. Were the 5,000 L day baseline, the next day's
        // median would be 300 and 501 L no spike.
        var rows = Enumerable.Range(1, 14).Select(i => Row(F.AddDays(-i), i % 2 == 0 ? 100 : 300)).Concat(Days(F, 5000, 501, 100)).ToList();
        var alerts = Run(rows, 3).Alerts;
        Assert.Equal(new[] { (F, 4800.0), (F.AddDays(1), 301.0) }, alerts.Select(a => (a.StartDate, a.ExcessLiters)));
        Assert.All(alerts, a => Assert.Equal(EglLeakKind.Spike, a.Kind));
    }

    // ---------- SustainedRise ----------

    [Fact]
    public void Two_high_days_are_no_rise_and_three_are()
    {
        Assert.Empty(Run(With(200, 300, 300, 200, 200)).Alerts);
        var a = Assert.Single(Run(With(200, 300, 300, 300, 200, 200)).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, a.Kind);
        Assert.Equal(F.AddDays(1), a.StartDate);
        Assert.Equal(F.AddDays(3), a.EndDate);
        Assert.Equal(3, a.Days);
        Assert.Equal(300, a.ExcessLiters);
        Assert.Equal(200, a.BaselineLitersPerDay);
        Assert.False(a.Ongoing);
        Assert.Equal(EglLeakSeverity.Info, a.Severity);
        Assert.Equal("From 2025-03-02 to 2025-03-04 (3 days) the household used 300 L/day on average against a usual 200 L/day: 300 L more than usual.", a.Evidence);
    }

    [Fact]
    public void A_day_exactly_at_the_rise_factor_ends_the_run()
    {
        Assert.Empty(Run(With(281, 281, 280, 281)).Alerts);
        Assert.Single(Run(With(281, 281, 281, 200)).Alerts);
    }

    [Fact]
    public void A_confirmed_rise_goes_on_while_days_stay_above_half_the_minimum_excess()
    {
        // After 3 days above 280, the run needs only 200 + 75: 276 continues it, 275 ends it.
        var a = Assert.Single(Run(With(300, 300, 300, 276, 276, 275, 300)).Alerts);
        Assert.Equal(F, a.StartDate);
        Assert.Equal(F.AddDays(4), a.EndDate);
        Assert.Equal(300 + 76 + 76, a.ExcessLiters);
        // Before the third day, 276 ends the candidate.
        Assert.Empty(Run(With(300, 300, 276, 276, 200)).Alerts);
    }

    [Fact]
    public void A_day_exactly_at_half_the_minimum_excess_ends_the_run()
    {
        // Baseline 100: 1.4 × 100 = 140, but 100 + 75 = 175 binds.
        var usual = Usual(100);
        Assert.Empty(Run(usual.Concat(Days(F, 176, 175, 176, 176)).ToList()).Alerts);
        var a = Assert.Single(Run(usual.Concat(Days(F, 176, 176, 176, 100)).ToList()).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, a.Kind);
        Assert.Equal(3 * 76, a.ExcessLiters);
    }

    [Fact]
    public void The_baseline_is_frozen_so_a_long_leak_never_becomes_its_own_baseline()
    {
        // 60 days of 560 L (a 360 L/day leak): without freezing, the median would reach 560 within 14 days.
        var rows = Usual().Concat(Flat(F, 60, 560)).ToList();
        var a = Assert.Single(Run(rows).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, a.Kind);
        Assert.Equal(F, a.StartDate);
        Assert.Equal(F.AddDays(59), a.EndDate);
        Assert.Equal(60, a.Days);
        Assert.Equal(60 * 360, a.ExcessLiters);
        Assert.Equal(200, a.BaselineLitersPerDay);
        Assert.True(a.Ongoing);
        Assert.Equal(EglLeakSeverity.Critical, a.Severity);
        Assert.Contains("(60 days, still going on)", a.Evidence);
    }

    [Fact]
    public void The_frozen_baseline_also_ends_the_run_when_the_leak_is_repaired()
    {
        var rows = Usual().Concat(Flat(F, 30, 560)).Concat(Flat(F.AddDays(30), 40, 200)).ToList();
        var d = Run(rows);
        var a = Assert.Single(d.Alerts);
        Assert.Equal(F.AddDays(29), a.EndDate);
        Assert.False(a.Ongoing);
        // The run's days are not baseline: the 14 days after it are not checked (fewer than 14 baseline days).
        Assert.Equal(14, d.Diagnostics.DaysWithoutBaselineCount);
        Assert.Equal(new[] { "2025-03-31..2025-04-13" }, d.Diagnostics.DaysWithoutBaseline);
        Assert.Equal(70 - 14, d.Diagnostics.DaysChecked);
    }

    [Fact]
    public void The_days_of_a_rise_are_not_also_spikes()
    {
        var a = Assert.Single(Run(With(600, 600, 600, 200)).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, a.Kind);
        Assert.Equal(1200, a.ExcessLiters);
    }

    [Fact]
    public void The_days_of_a_rise_too_short_are_each_checked_as_spikes()
    {
        var alerts = Run(With(600, 700, 200, 200)).Alerts;
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(EglLeakKind.Spike, a.Kind));
        Assert.Equal(new[] { 400.0, 500.0 }, alerts.Select(a => a.ExcessLiters));
        // Only the second is a spike: the first is a rise day (above 280) but not a spike.
        var one = Assert.Single(Run(With(300, 700, 200)).Alerts);
        Assert.Equal(F.AddDays(1), one.StartDate);
    }

    [Fact]
    public void A_day_without_evidence_inside_a_run_is_bridged_and_not_counted()
    {
        var rows = With(300, 0, 300, 300, 200);
        rows[56 + 1] = Row(F.AddDays(1), 5000, EglQuality.Estimated);
        var a = Assert.Single(Run(rows).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, a.Kind);
        Assert.Equal(F, a.StartDate);
        Assert.Equal(F.AddDays(3), a.EndDate);
        Assert.Equal(4, a.Days);
        Assert.Equal(300, a.ExcessLiters);
        Assert.Contains("(4 days, 1 of them without a measured value)", a.Evidence);
    }

    [Fact]
    public void Two_measured_days_around_a_day_without_evidence_are_still_two()
    {
        var rows = With(300, 0, 300, 200);
        rows[56 + 1] = Row(F.AddDays(1), null, EglQuality.MeterChange);
        Assert.Empty(Run(rows).Alerts);
    }

    [Fact]
    public void A_rise_that_reaches_the_end_is_ongoing_and_ends_on_its_last_measured_day()
    {
        var rows = With(200, 300, 300, 300);
        rows.Add(Row(F.AddDays(4), 999, EglQuality.Pending));
        rows.Add(Row(F.AddDays(5), 999, EglQuality.Pending));
        var a = Assert.Single(Detect(rows, F, F.AddDays(7)).Alerts); // 2 more days not published yet
        Assert.True(a.Ongoing);
        Assert.Equal(F.AddDays(3), a.EndDate);
        Assert.Equal(3, a.Days);
        Assert.Equal(EglLeakSeverity.Warning, a.Severity);
    }

    // ---------- Baseline ----------

    [Fact]
    public void Thirteen_measured_days_are_not_enough_baseline_and_fourteen_are()
    {
        var few = Flat(F.AddDays(-13), 13, 200).Concat(Days(F, 900)).ToList();
        var d = Run(few, 1);
        Assert.Empty(d.Alerts);
        Assert.Equal(0, d.Diagnostics.DaysChecked);
        Assert.Equal(new[] { "2025-03-01" }, d.Diagnostics.DaysWithoutBaseline);
        Assert.Equal(13, d.Diagnostics.BaselineDaysBeforeFrom);
        Assert.Contains(d.Diagnostics.Messages, m => m.Contains("not enough baseline at the start"));
        Assert.Contains(d.Diagnostics.Messages, m => m.Contains("Not enough baseline (fewer than 14 measured days among the 28 before) on 1 day(s), not checked: 2025-03-01."));

        var enough = Flat(F.AddDays(-14), 14, 200).Concat(Days(F, 900)).ToList();
        Assert.Equal(EglLeakKind.Spike, Assert.Single(Run(enough, 1).Alerts).Kind);
    }

    [Fact]
    public void Days_before_the_window_are_not_baseline()
    {
        // 14 usual days, but 29 to 42 days back: outside the 28-day window.
        var rows = Flat(F.AddDays(-42), 14, 200).Concat(Days(F, 900)).ToList();
        Assert.Empty(Run(rows, 1).Alerts);
    }

    [Theory]
    [InlineData(EglQuality.Estimated)]
    [InlineData(EglQuality.Pending)]
    [InlineData(EglQuality.Anomaly)]
    [InlineData(EglQuality.Unknown)]
    [InlineData(EglQuality.MeterChange)]
    [InlineData(EglQuality.Invalid)]
    [InlineData(EglQuality.Missing)]
    public void Days_that_are_not_measured_are_never_baseline(EglQuality quality)
    {
        // 14 measured days of 200 and 14 others of 1,000: the median is 200, not 600.
        var rows = new List<EglConsumption>();
        for (int i = 1; i <= 28; i++) rows.Add(i % 2 == 0 ? Row(F.AddDays(-i), 200) : Row(F.AddDays(-i), 1000, quality));
        rows.Add(Row(F, 501));
        var a = Assert.Single(Run(rows, 1).Alerts);
        Assert.Equal(200, a.BaselineLitersPerDay);

        // 13 measured days: not enough, whatever the others say.
        rows.RemoveAll(r => r.Date == F.AddDays(-2));
        Assert.Empty(Run(rows, 1).Alerts);
    }

    [Theory]
    [InlineData(EglQuality.Estimated)]
    [InlineData(EglQuality.Pending)]
    [InlineData(EglQuality.Anomaly)]
    [InlineData(EglQuality.Unknown)]
    public void Days_that_are_not_measured_are_never_evidence(EglQuality quality)
    {
        var rows = Usual().Concat(new[] { Row(F, 5000, quality), Row(F.AddDays(1), 5000, quality), Row(F.AddDays(2), 5000, quality), Row(F.AddDays(3), 5000, quality) }).ToList();
        var d = Run(rows, 4);
        Assert.Empty(d.Alerts);
        Assert.Equal(0, d.Diagnostics.DaysMeasured);
        Assert.Equal(4, d.Diagnostics.DaysNotUsable[quality]);
    }

    [Fact]
    public void A_row_that_covers_several_days_is_not_evidence()
    {
        var gap = new EglConsumption(LeakSupport.Sub, EglGranularity.Day, F, F.AddDays(3), 4, 4, 4000, EglQuality.Estimated, "R", false);
        var d = Run(Usual().Append(gap).ToList(), 4);
        Assert.Empty(d.Alerts);
        Assert.Equal(4, d.Diagnostics.DaysNotUsable[EglQuality.Estimated]);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        // 14 days of 100 and 14 of 300 in the window: baseline 200.
        var rows = Flat(F.AddDays(-28), 14, 100).Concat(Flat(F.AddDays(-14), 14, 300)).Concat(Days(F, 501)).ToList();
        Assert.Equal(200, Assert.Single(Run(rows, 1).Alerts).BaselineLitersPerDay);
        Assert.Equal(2.5, LeakDetector.Median(new List<double> { 4, 1, 3, 2 }));
        Assert.Equal(3, LeakDetector.Median(new List<double> { 5, 1, 3 }));
    }

    [Fact]
    public void Coming_back_from_holidays_is_neither_a_spike_nor_a_rise()
    {
        // Three weeks away (a few litres a day), then the usual 200 L: absences are not baseline.
        var rows = Usual().Concat(Flat(F, 21, 5)).Concat(Flat(F.AddDays(21), 60, 200)).ToList();
        var d = Run(rows);
        Assert.Empty(d.Alerts);
        Assert.True(d.Diagnostics.DaysWithoutBaselineCount > 0); // right after coming back, not enough present days
    }

    [Fact]
    public void A_few_weeks_of_low_use_do_not_make_the_usual_use_a_rise()
    {
        // Part of the family away for four weeks (150 L instead of 300 L), then back: the window before keeps 300.
        var rows = Usual(300).Concat(Flat(F, 28, 150)).Concat(Flat(F.AddDays(28), 60, 300)).ToList();
        Assert.Empty(Run(rows).Alerts);
        // Without that earlier window (only 28 days of history), the return is a rise.
        var shortHistory = Flat(F.AddDays(-28), 28, 150).Concat(Flat(F, 60, 300)).ToList();
        Assert.Equal(EglLeakKind.SustainedRise, Assert.Single(Run(shortHistory).Alerts).Kind);
    }

    [Fact]
    public void The_earlier_window_guards_the_start_but_the_baseline_stays_the_recent_one()
    {
        // Earlier window 400, recent 200: a day must beat 2.5 × 400 to be a spike, and its excess is against 200.
        var usual = Flat(F.AddDays(-56), 28, 400).Concat(Flat(F.AddDays(-28), 28, 200)).ToList();
        Assert.Empty(Run(usual.Concat(Days(F, 1000, 200)).ToList()).Alerts);
        var a = Assert.Single(Run(usual.Concat(Days(F, 1001, 200)).ToList()).Alerts);
        Assert.Equal(EglLeakKind.Spike, a.Kind);
        Assert.Equal(200, a.BaselineLitersPerDay);
        Assert.Equal(801, a.ExcessLiters);

        // A rise must start above 1.4 × 400 = 560; it then continues above 1.4 × 200 = 280 (frozen, recent).
        Assert.Empty(Run(usual.Concat(Days(F, 560, 560, 560, 200)).ToList()).Alerts);
        var r = Assert.Single(Run(usual.Concat(Days(F, 561, 281, 281, 200)).ToList()).Alerts);
        Assert.Equal(EglLeakKind.SustainedRise, r.Kind);
        Assert.Equal(200, r.BaselineLitersPerDay);
        Assert.Equal(361 + 81 + 81, r.ExcessLiters);
    }

    [Fact]
    public void The_earlier_window_never_lowers_the_baseline()
    {
        var rows = Flat(F.AddDays(-56), 28, 100).Concat(Flat(F.AddDays(-28), 28, 200)).Concat(Days(F, 501)).ToList();
        Assert.Equal(200, Assert.Single(Run(rows, 1).Alerts).BaselineLitersPerDay);
    }

    // ---------- ContinuousFlow ----------

    private static List<EglConsumption> Flows(params double?[] flows) =>
        flows.Select((f, i) => Row(F.AddDays(i), 200, flow: f)).ToList();

    [Fact]
    public void A_flow_at_the_threshold_for_three_days_is_a_continuous_flow()
    {
        var a = Assert.Single(Run(Usual().Concat(Flows(0, 2, 2, 2, 0)).ToList()).Alerts);
        Assert.Equal(EglLeakKind.ContinuousFlow, a.Kind);
        Assert.Equal(F.AddDays(1), a.StartDate);
        Assert.Equal(F.AddDays(3), a.EndDate);
        Assert.Equal(3 * 2 * 24, a.ExcessLiters);
        Assert.Null(a.BaselineLitersPerDay);
        Assert.False(a.Ongoing);
        Assert.Equal(EglLeakSeverity.Info, a.Severity);
        Assert.Equal("From 2025-03-02 to 2025-03-04 (3 days) water never stopped running: the smallest flow of each day was at least 2 L/h (2 L/h on average, threshold 2 L/h), about 144 L at that rate.", a.Evidence);
    }

    [Fact]
    public void Two_days_of_flow_or_a_flow_just_below_the_threshold_are_nothing()
    {
        Assert.Empty(Run(Usual().Concat(Flows(0, 5, 5, 0, 5, 5, 0)).ToList()).Alerts);
        Assert.Empty(Run(Usual().Concat(Flows(1.99, 1.99, 1.99, 1.99)).ToList()).Alerts);
        var d = Run(Usual().Concat(Flows(0, 5, 5)).ToList());
        Assert.Contains(d.Diagnostics.Messages, m => m.Contains("too few to call a continuous flow yet"));
    }

    [Fact]
    public void A_day_without_a_flow_is_bridged_and_a_low_one_ends_the_run()
    {
        var a = Assert.Single(Run(Usual().Concat(Flows(15, null, 15, 16, 0, 15, 15)).ToList()).Alerts);
        Assert.Equal(F, a.StartDate);
        Assert.Equal(F.AddDays(3), a.EndDate);
        Assert.Equal(4, a.Days);
        Assert.Equal((15 + 15 + 16) * 24, a.ExcessLiters);
    }

    [Fact]
    public void A_flow_that_reaches_the_end_is_ongoing_and_critical_at_10_litres_an_hour()
    {
        var a = Assert.Single(Run(Usual().Concat(Flows(0, 10, 10, 10, null)).ToList()).Alerts);
        Assert.True(a.Ongoing);
        Assert.Equal(EglLeakSeverity.Critical, a.Severity);
        var b = Assert.Single(Run(Usual().Concat(Flows(0, 9.99, 9.99, 9.99)).ToList()).Alerts);
        Assert.Equal(EglLeakSeverity.Warning, b.Severity);
    }

    [Fact]
    public void The_flow_threshold_is_an_option()
    {
        var rows = Usual().Concat(Flows(3, 3, 3)).ToList();
        Assert.Single(Run(rows, 3).Alerts);
        Assert.Empty(Run(rows, 3, new LeakOptions { MinimumFlowLitersPerHour = 3.5 }).Alerts);
    }

    // ---------- ProviderEstimate ----------

    [Fact]
    public void The_provider_estimates_are_grouped_in_runs_of_days()
    {
        var rows = Usual().Concat(new[]
        {
            Row(F, 200, leak: 0),
            Row(F.AddDays(1), 200, leak: 100),
            Row(F.AddDays(2), 200, leak: null),
            Row(F.AddDays(3), 200, leak: 50),
            Row(F.AddDays(4), 200, leak: 0),
            Row(F.AddDays(5), 200, leak: 30),
            Row(F.AddDays(6), 200, leak: 0),
        }).ToList();
        var alerts = Run(rows).Alerts;
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(EglLeakKind.ProviderEstimate, a.Kind));
        Assert.Equal((F.AddDays(1), F.AddDays(3), 150.0), (alerts[0].StartDate, alerts[0].EndDate, alerts[0].ExcessLiters));
        Assert.Equal((F.AddDays(5), F.AddDays(5), 30.0), (alerts[1].StartDate, alerts[1].EndDate, alerts[1].ExcessLiters));
        Assert.All(alerts, a => Assert.Equal(EglLeakSeverity.Info, a.Severity));
        Assert.All(alerts, a => Assert.False(a.Ongoing));
        Assert.Equal("From 2025-03-02 to 2025-03-04 (3 days) the provider estimated 150 L lost to a leak.", alerts[0].Evidence);
    }

    [Fact]
    public void Provider_estimates_on_days_whose_litres_are_not_measured_still_count()
    {
        var rows = Usual().Concat(new[] { Row(F, null, EglQuality.Missing, leak: 500), Row(F.AddDays(1), 900, EglQuality.Estimated, flow: 20, leak: 500) }).ToList();
        var a = Assert.Single(Run(rows).Alerts);
        Assert.Equal(EglLeakKind.ProviderEstimate, a.Kind);
        Assert.True(a.Ongoing);
        Assert.Equal(1000, a.ExcessLiters);
        Assert.Equal(EglLeakSeverity.Critical, a.Severity); // ongoing, 500 L/day
    }

    // ---------- Severity ----------

    [Theory]
    [InlineData(EglLeakKind.Spike, 999.99, 1, true, EglLeakSeverity.Info)]
    [InlineData(EglLeakKind.Spike, 1000, 1, false, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.Spike, 50000, 1, true, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.SustainedRise, 999, 3, false, EglLeakSeverity.Info)]
    [InlineData(EglLeakKind.SustainedRise, 1000, 3, false, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.SustainedRise, 300, 3, true, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.SustainedRise, 719.99, 3, true, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.SustainedRise, 720, 3, true, EglLeakSeverity.Critical)]
    [InlineData(EglLeakKind.SustainedRise, 9999, 60, false, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.SustainedRise, 10000, 60, false, EglLeakSeverity.Critical)]
    [InlineData(EglLeakKind.ContinuousFlow, 720, 3, true, EglLeakSeverity.Critical)]
    [InlineData(EglLeakKind.ContinuousFlow, 720, 3, false, EglLeakSeverity.Info)]
    [InlineData(EglLeakKind.ProviderEstimate, 24, 1, true, EglLeakSeverity.Warning)]
    [InlineData(EglLeakKind.ProviderEstimate, 240, 1, true, EglLeakSeverity.Critical)]
    public void Severity_rules(EglLeakKind kind, double excess, int days, bool ongoing, EglLeakSeverity expected) =>
        Assert.Equal(expected, LeakSeverityRules.Of(kind, excess, days, ongoing));

    // ---------- Inputs, output, diagnostics ----------

    [Fact]
    public void Alerts_come_in_date_order_then_by_kind()
    {
        var rows = Usual().Concat(new[]
        {
            Row(F, 200, flow: 0),
            Row(F.AddDays(1), 600, flow: 5, leak: 100),
            Row(F.AddDays(2), 600, flow: 5, leak: 100),
            Row(F.AddDays(3), 600, flow: 5, leak: 100),
            Row(F.AddDays(4), 200, flow: 0, leak: 0),
            Row(F.AddDays(5), 900, flow: 0, leak: 0),
            Row(F.AddDays(6), 200, flow: 0, leak: 0),
        }).ToList();
        var kinds = Run(rows).Alerts.Select(a => (a.StartDate, a.Kind)).ToList();
        Assert.Equal(new[] { (F.AddDays(1), EglLeakKind.SustainedRise), (F.AddDays(1), EglLeakKind.ContinuousFlow), (F.AddDays(1), EglLeakKind.ProviderEstimate), (F.AddDays(5), EglLeakKind.Spike) }, kinds);
    }

    [Fact]
    public void Rows_outside_the_range_and_its_baseline_window_are_ignored()
    {
        var rows = Usual().Concat(Days(F, 200, 200)).Concat(Days(F.AddDays(2), 900, 900, 900)).ToList();
        rows.Add(Row(F.AddDays(-57), 99999));
        Assert.Empty(Run(rows, 2).Alerts);
        Assert.Equal(2, Run(rows, 2).Diagnostics.DaysExamined);
    }

    [Fact]
    public void The_diagnostics_say_what_was_checked()
    {
        var rows = Usual().Concat(Days(F, 200, 200)).ToList();
        rows.Add(Row(F.AddDays(2), 200, EglQuality.Estimated));
        rows.Add(Row(F.AddDays(3), null, EglQuality.MeterChange, flow: 0, leak: 0));
        var d = Detect(rows, F, F.AddDays(4)).Diagnostics;
        Assert.Equal(5, d.DaysExamined);
        Assert.Equal(2, d.DaysMeasured);
        Assert.Equal(1, d.DaysWithoutRow);
        Assert.Equal(2, d.DaysChecked);
        Assert.Equal(28, d.BaselineDaysBeforeFrom);
        Assert.Equal(14, d.BaselineDaysNeeded);
        Assert.Equal(1, d.DaysWithMinimumFlow);
        Assert.Equal(1, d.DaysWithProviderEstimate);
        Assert.Equal("Examined 2025-03-01..2025-03-05: 5 days, 2 measured, not usable: 1 Estimated, 1 MeterChange, 1 without data.", d.Messages[0]);
        Assert.Equal("Checked 2 of 2 measured days against a baseline.", d.Messages[2]);
    }

    [Fact]
    public void Rows_of_another_subscription_or_not_daily_are_refused()
    {
        var other = new EglConsumption(42, EglGranularity.Day, F, F, 1, 1, 200, EglQuality.Measured, "R", true);
        Assert.Throws<ArgumentException>(() => Detect(new[] { other }, F, F));
        var month = new EglConsumption(LeakSupport.Sub, EglGranularity.Month, F, F.AddDays(30), 31, 31, 6000, EglQuality.Measured, "", true);
        Assert.Throws<ArgumentException>(() => Detect(new[] { month }, F, F));
        Assert.Throws<ArgumentException>(() => Detect(Usual(), F, F.AddDays(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Detect(Usual(), F, F, new LeakOptions { BaselineDays = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Detect(Usual(), F, F, new LeakOptions { SpikeFactor = 0.5 }));
    }

    [Fact]
    public void Nothing_to_read_is_no_alert()
    {
        var d = Detect(Array.Empty<EglConsumption>(), F, F.AddDays(9));
        Assert.Empty(d.Alerts);
        Assert.Equal(10, d.Diagnostics.DaysWithoutRow);
    }

    [Fact]
    public void Texts_are_invariant_whatever_the_culture()
    {
        using var _ = new CultureScope("fr-FR");
        var rows = Usual().Concat(Flat(F, 30, 560)).ToList();
        var a = Assert.Single(Run(rows).Alerts);
        Assert.Equal("From 2025-03-01 to 2025-03-30 (30 days, still going on) the household used 560 L/day on average against a usual 200 L/day: 10,800 L more than usual.", a.Evidence);
        Assert.Equal("SustainedRise 2025-03-01..2025-03-30 +10800 L Critical (ongoing)", a.ToString());
        Assert.Equal(DateTimeKind.Unspecified, a.StartDate.Kind);
    }

    [Fact]
    public void The_options_change_the_thresholds()
    {
        var rows = With(200, 450, 200);
        Assert.Empty(Run(rows).Alerts);
        Assert.Single(Run(rows, 3, new LeakOptions { SpikeFactor = 2 }).Alerts);
        Assert.Empty(Run(rows, 3, new LeakOptions { SpikeFactor = 2, MinimumExcessLiters = 250 }).Alerts);
        // A short baseline window: 7 days, 4 needed.
        var shortWindow = Flat(F.AddDays(-4), 4, 200).Concat(Days(F, 900)).ToList();
        Assert.Empty(Run(shortWindow, 1).Alerts);
        Assert.Single(Run(shortWindow, 1, new LeakOptions { BaselineDays = 7 }).Alerts);
    }
}
