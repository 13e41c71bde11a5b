using EglWater.Engine.Leaks;
using EglWater.Simulator;
using Xunit.Abstractions;
using static EglWater.Tests.LeakSupport;

namespace EglWater.Tests;

/// <summary>
/// The simulator's households through the real consumption engine and the leak detector with its defaults:
/// the leak and the pool fill are found where they are, and normal homes over three years raise no false
/// alarm of the multi-day kinds (the measured spike counts are printed and bounded).
/// </summary>
public class LeakHouseholdTests
{
    private static readonly DateOnly ThreeYearsFrom = new(2023, 1, 1);
    private static readonly DateOnly ThreeYearsTo = new(2025, 12, 31);

    private readonly ITestOutputHelper _out;

    public LeakHouseholdTests(ITestOutputHelper output) => _out = output;

    // ---------- The households themselves ----------

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    public void The_normal_household_is_the_meter_data_of_its_seed(long seed)
    {
        DateOnly a = new(2024, 1, 1), b = new(2024, 12, 31);
        Assert.Equal(MeterData.Generate(a, b, MeterData.FirstIndex, seed), Households.Normal(seed).Rows(a, b));
        Assert.All(Households.Normal(seed).Days(a, b), d => Assert.Equal(0, d.VolumeEstimeFuite));
    }

    [Fact]
    public void A_normal_night_flow_is_mostly_zero_sometimes_a_little_never_two_nights_in_a_row()
    {
        var h = Households.Normal(3);
        var flows = h.Days(new DateOnly(2023, 1, 1), new DateOnly(2025, 12, 31)).Select(d => d.DebitMin).ToList();
        double share = flows.Count(f => f > 0) / (double)flows.Count;
        Assert.InRange(share, 0.05, 0.12);
        Assert.All(flows, f => Assert.Contains(f, new[] { 0.0, 1, 2, 3 }));
        for (int i = 1; i < flows.Count; i++) Assert.False(flows[i] > 0 && flows[i - 1] > 0);
    }

    [Fact]
    public void The_leak_household_adds_15_litres_an_hour_from_its_first_day()
    {
        var normal = Households.Normal(5);
        var leak = Households.Leaking(5);
        var before = Households.Leak.Start.AddDays(-1);
        Assert.Equal(normal.Liters(before), leak.Liters(before));
        Assert.Equal(normal.Liters(Households.Leak.Start) + 360, leak.Liters(Households.Leak.Start));
        Assert.Equal(normal.DebitMin(before), leak.DebitMin(before));
        Assert.True(leak.DebitMin(Households.Leak.Start) >= 15);
        Assert.Equal(0, leak.VolumeEstimeFuite(Households.Leak.EstimateStart.AddDays(-1)));
        Assert.Equal(360, leak.VolumeEstimeFuite(Households.Leak.EstimateStart));
        var days = leak.Days(Households.Leak.Start.AddDays(-1), Households.Leak.Start.AddDays(10));
        for (int i = 1; i < days.Count; i++) Assert.Equal(days[i].Liters, days[i].Index - days[i - 1].Index);
    }

    // ---------- The leak ----------

    /// <summary>
    /// The simulator's leak account (seed 0, leak from 2025-11-03): the rise starts on the leak's day and its
    /// excess is within 10% of 15 L/h for a week, two weeks, a month, and the 13 months up to 2026-12-01. Between
    /// about 6 weeks and 9 months it is not: the frozen baseline does not follow the autumn decline (see
    /// <see cref="The_seasonal_drift_of_a_long_rise_is_measured"/>).
    /// </summary>
    [Theory]
    [InlineData(0L, 7)]
    [InlineData(0L, 14)]
    [InlineData(0L, 30)]
    [InlineData(0L, 394)]
    [InlineData(2L, 14)]
    [InlineData(12L, 30)]
    public void The_leak_is_a_sustained_rise_a_continuous_flow_and_a_provider_estimate(long seed, int days)
    {
        var to = Households.Leak.Start.AddDays(days - 1);
        DateOnly from = new(2025, 9, 1);
        var rows = Daily(Households.Leaking(seed), from.AddDays(-60), to);
        var alerts = Detect(rows, D(from), D(to)).Alerts;
        foreach (var a in alerts) _out.WriteLine(a + " | " + a.Evidence);

        var rise = Assert.Single(alerts, a => a.Kind == EglLeakKind.SustainedRise);
        Assert.InRange(rise.StartDate, D(Households.Leak.Start.AddDays(-1)), D(Households.Leak.Start.AddDays(1)));
        Assert.True(rise.Ongoing);
        Assert.Equal(D(to), rise.EndDate);
        double leaked = 360.0 * rise.Days;
        Assert.InRange(rise.ExcessLiters, 0.9 * leaked, 1.1 * leaked);
        Assert.Equal(EglLeakSeverity.Critical, rise.Severity);

        var flow = Assert.Single(alerts, a => a.Kind == EglLeakKind.ContinuousFlow);
        Assert.Equal(D(Households.Leak.Start), flow.StartDate);
        Assert.Equal(D(to), flow.EndDate);
        Assert.True(flow.Ongoing);
        Assert.Equal(EglLeakSeverity.Critical, flow.Severity);
        Assert.InRange(flow.ExcessLiters, 360.0 * flow.Days, (360.0 + (3 * 24)) * flow.Days); // 15 L/h plus a normal night's 0 to 3 L/h

        var estimate = Assert.Single(alerts, a => a.Kind == EglLeakKind.ProviderEstimate);
        Assert.Equal(D(Households.Leak.EstimateStart), estimate.StartDate);
        Assert.True(estimate.Ongoing);
        Assert.Equal(360.0 * estimate.Days, estimate.ExcessLiters);

        Assert.DoesNotContain(alerts, a => a.Kind == EglLeakKind.Spike);
    }

    [Fact]
    public void A_leak_two_days_old_is_a_flow_and_an_estimate_not_yet_a_rise()
    {
        var to = Households.Leak.Start.AddDays(2);
        var rows = Daily(Households.Leaking(0), to.AddDays(-90), to);
        var d = Detect(rows, D(to.AddDays(-30)), D(to));
        Assert.Equal(new[] { EglLeakKind.SustainedRise, EglLeakKind.ContinuousFlow, EglLeakKind.ProviderEstimate }, d.Alerts.Select(a => a.Kind));
        var shorter = Detect(rows.Where(r => r.Date < D(to)).ToList(), D(to.AddDays(-30)), D(to.AddDays(-1)));
        Assert.Empty(shorter.Alerts);
        Assert.Contains(shorter.Diagnostics.Messages, m => m.StartsWith("The last 2 measured day(s), from 2025-11-03,", StringComparison.Ordinal));
        Assert.Contains(shorter.Diagnostics.Messages, m => m.StartsWith("The minimum flow of the last 2 day(s), from 2025-11-03,", StringComparison.Ordinal));
    }

    /// <summary>
    /// The excess of a rise against 15 L/h × its days, for leaks starting in each season, 10 households each:
    /// the frozen baseline does not follow the seasons (±25% in the simulator), so a long rise's excess drifts.
    /// The bounds are the measured ones, rounded outwards.
    /// </summary>
    [Fact]
    public void The_seasonal_drift_of_a_long_rise_is_measured()
    {
        double lowest = 9, highest = 0;
        int latestStart = 0;
        foreach (var start in new DateOnly[] { new(2025, 2, 3), new(2025, 5, 5), new(2025, 8, 4), new(2025, 11, 3) })
        {
            foreach (int days in new[] { 7, 30, 90, 180, 365 })
            {
                double lo = 9, hi = 0;
                for (long seed = 0; seed < 10; seed++)
                {
                    var to = start.AddDays(days - 1);
                    DateOnly from = start.AddDays(-30);
                    var rows = Daily(Households.Leaking(seed, start), from.AddDays(-60), to);
                    var a = Assert.Single(Detect(rows, D(from), D(to)).Alerts, a => a.Kind == EglLeakKind.SustainedRise);
                    Assert.True(a.Ongoing);
                    latestStart = Math.Max(latestStart, Math.Abs((a.StartDate - D(start)).Days));
                    double ratio = a.ExcessLiters / (360.0 * a.Days);
                    lo = Math.Min(lo, ratio);
                    hi = Math.Max(hi, ratio);
                }

                _out.WriteLine($"leak from {start:yyyy-MM-dd}, {days,3} days: excess / (360 L × days) = {lo:0.00}..{hi:0.00}");
                lowest = Math.Min(lowest, lo);
                highest = Math.Max(highest, hi);
            }
        }

        _out.WriteLine($"all: {lowest:0.00}..{highest:0.00}; start found up to {latestStart} day(s) early (a high weekend just before)");
        Assert.InRange(lowest, 0.70, 1);
        Assert.InRange(highest, 1, 1.35);
        Assert.InRange(latestStart, 0, 2);
    }

    [Fact]
    public void Before_the_leak_the_leak_household_is_quiet()
    {
        DateOnly from = new(2023, 1, 1), to = Households.Leak.Start.AddDays(-1);
        var rows = Daily(Households.Leaking(0), from.AddDays(-60), to);
        Assert.DoesNotContain(Detect(rows, D(from), D(to)).Alerts, a => a.Kind != EglLeakKind.Spike);
    }

    // ---------- The pool fill ----------

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    [InlineData(4L)]
    public void The_pool_fill_is_one_spike_on_its_day(long seed)
    {
        DateOnly from = new(2025, 6, 1), to = new(2025, 8, 31);
        var h = Households.PoolFill(seed);
        var rows = Daily(h, from.AddDays(-60), to);
        var alerts = Detect(rows, D(from), D(to)).Alerts;
        var spike = Assert.Single(alerts);
        Assert.Equal(EglLeakKind.Spike, spike.Kind);
        Assert.Equal(D(Households.Spike.Day), spike.StartDate);
        Assert.False(spike.Ongoing);
        // The excess is the day's litres minus the usual: the 900 L plus the day's own deviation from its median.
        double normalDay = MeterData.DailyLiters(Households.Spike.Day, seed);
        Assert.Equal(h.Liters(Households.Spike.Day) - spike.BaselineLitersPerDay!.Value, spike.ExcessLiters, 6);
        Assert.InRange(spike.ExcessLiters, 900 + normalDay - (1.3 * spike.BaselineLitersPerDay.Value), 900 + normalDay);
        Assert.InRange(spike.ExcessLiters, 700, 1100);
    }

    // ---------- False alarms of normal homes, measured ----------

    [Fact]
    public void The_demo_household_with_its_quirks_raises_no_alert_in_three_years()
    {
        var rows = Daily(MeterData.GenerateWithQuirks(MeterData.HistoryStart, ThreeYearsTo), MeterData.HistoryStart.AddDays(1), ThreeYearsTo);
        var d = Detect(rows, D(ThreeYearsFrom), D(ThreeYearsTo));
        foreach (var m in d.Diagnostics.Messages) _out.WriteLine(m);
        foreach (var a in d.Alerts) _out.WriteLine(a + " | " + a.Evidence);
        Assert.DoesNotContain(d.Alerts, a => a.Kind is EglLeakKind.SustainedRise or EglLeakKind.ContinuousFlow or EglLeakKind.ProviderEstimate);
        int spikes = d.Alerts.Count(a => a.Kind == EglLeakKind.Spike);
        _out.WriteLine($"demo household: {spikes} spike(s) in {d.Diagnostics.DaysExamined} days");
        Assert.Equal(0, spikes); // measured: 0
        // The quirks are seen: the gap (Estimated), the meter change, the anomaly, the unknown letters, the pending end.
        Assert.Equal(4, d.Diagnostics.DaysNotUsable[EglQuality.Estimated]); // 12 to 14 August unpublished, 15 August spread with them
        Assert.Equal(1, d.Diagnostics.DaysNotUsable[EglQuality.MeterChange]);
        Assert.Equal(1, d.Diagnostics.DaysNotUsable[EglQuality.Anomaly]);
        Assert.Equal(2, d.Diagnostics.DaysNotUsable[EglQuality.Unknown]);
        Assert.Equal(2, d.Diagnostics.DaysNotUsable[EglQuality.Pending]);
        Assert.Equal(1086, d.Diagnostics.DaysChecked);
    }

    [Fact]
    public void Normal_households_raise_no_rise_and_no_flow_in_three_years()
    {
        int spikes = 0, rises = 0, flows = 0, estimates = 0, households = 0, days = 0;
        for (long seed = 0; seed < 40; seed++)
        {
            var rows = Daily(Households.Normal(seed), ThreeYearsFrom.AddDays(-60), ThreeYearsTo);
            var d = Detect(rows, D(ThreeYearsFrom), D(ThreeYearsTo));
            households++;
            days += d.Diagnostics.DaysExamined;
            Assert.Equal(0, d.Diagnostics.DaysWithoutBaselineCount);
            foreach (var a in d.Alerts) _out.WriteLine($"seed {seed}: {a} | {a.Evidence}");
            spikes += d.Alerts.Count(a => a.Kind == EglLeakKind.Spike);
            rises += d.Alerts.Count(a => a.Kind == EglLeakKind.SustainedRise);
            flows += d.Alerts.Count(a => a.Kind == EglLeakKind.ContinuousFlow);
            estimates += d.Alerts.Count(a => a.Kind == EglLeakKind.ProviderEstimate);
        }

        _out.WriteLine($"{households} normal households × {days / households} days: {spikes} spikes, {rises} rises, {flows} continuous flows, {estimates} provider estimates");
        Assert.Equal(0, rises);
        Assert.Equal(0, flows);
        Assert.Equal(0, estimates);
        Assert.Equal(0, spikes); // measured: 0 in 40 × 1,096 days
    }

    [Fact]
    public void The_margin_of_normal_households_below_the_thresholds_is_measured()
    {
        // How close normal days come to the thresholds: the highest ratio day / baseline, and the longest run of
        // days above 1.4 × baseline or above 2 L/h, over 40 households × 3 years.
        double maxRatio = 0;
        int longestRise = 0, longestFlow = 0;
        for (long seed = 0; seed < 40; seed++)
        {
            var h = Households.Normal(seed);
            var rows = Daily(h, ThreeYearsFrom.AddDays(-60), ThreeYearsTo);
            var byDay = rows.Where(r => r.Liters.HasValue).ToDictionary(r => O(r.Date), r => r.Liters!.Value);
            int rise = 0, flow = 0;
            for (var day = ThreeYearsFrom; day <= ThreeYearsTo; day = day.AddDays(1))
            {
                var window = Enumerable.Range(1, 28).Select(k => byDay[day.AddDays(-k)]).OrderBy(x => x).ToList();
                double median = (window[13] + window[14]) / 2;
                double ratio = byDay[day] / median;
                maxRatio = Math.Max(maxRatio, ratio);
                rise = ratio > 1.4 && byDay[day] > median + 75 ? rise + 1 : 0;
                longestRise = Math.Max(longestRise, rise);
                flow = h.DebitMin(day) >= 2 ? flow + 1 : 0;
                longestFlow = Math.Max(longestFlow, flow);
            }
        }

        _out.WriteLine($"highest day / 28-day median: {maxRatio:0.###}; longest run above the rise thresholds: {longestRise} day(s); longest run of nights at 2 L/h or more: {longestFlow}");
        Assert.True(maxRatio < 2.5, "a normal day reached the spike factor");
        Assert.True(longestRise < LeakOptions.MinimumRunDays);
        Assert.True(longestFlow < LeakOptions.MinimumRunDays);
    }
}
