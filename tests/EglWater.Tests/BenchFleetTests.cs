using EglWater.Simulator;

namespace EglWater.Tests;

/// <summary>
/// The simulator's fleet of a thousand (benchfleet1000@eglwater.test), which the fleet benchmark (bench case 7) relies
/// on: one year per subscription ending the day before today, indexes that do not move when today moves (so that the
/// nightly sync adds one day and changes none), and exactly ten subscriptions that leak 360 L a day, 30 days in 120.
/// </summary>
public class BenchFleetTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void Each_subscription_publishes_the_365_days_before_today_as_real_readings()
    {
        foreach (long sub in new[] { 1_920_001L, 1_920_500L, 1_921_000L })
        {
            var rows = BenchAccount.Fleet1000Rows(sub, Today, lag: 1);
            Assert.Equal(365, rows.Count);
            Assert.Equal(new DateOnly(2025, 12, 1), rows[0].Day);
            Assert.Equal(new DateOnly(2026, 11, 30), rows[^1].Day);
            for (int i = 1; i < rows.Count; i++) Assert.Equal(rows[i - 1].Day.AddDays(1), rows[i].Day);
            Assert.All(rows, r => Assert.Equal("R", r.Type));
        }
    }

    [Fact]
    public void The_list_holds_1000_subscriptions_from_1920001()
    {
        var subs = BenchAccount.Fleet1000Subscriptions();
        Assert.Equal(1000, subs.Length);
        Assert.Equal(1_920_001L, subs[0]);
        Assert.Equal(1_921_000L, subs[^1]);
        Assert.Equal(1000, subs.Distinct().Count());
    }

    [Fact]
    public void Moving_today_a_day_forward_publishes_one_more_day_and_changes_none()
    {
        foreach (long sub in new[] { 1_920_001L, 1_920_100L })
        {
            var before = BenchAccount.Fleet1000Rows(sub, Today, lag: 1).ToDictionary(r => r.Day, r => r.Index);
            var after = BenchAccount.Fleet1000Rows(sub, Today.AddDays(1), lag: 1);
            Assert.Equal(Today, after[^1].Day);
            Assert.DoesNotContain(Today, before.Keys);
            foreach (var r in after.Where(r => before.ContainsKey(r.Day))) Assert.Equal(before[r.Day], r.Index);
            Assert.Equal(364, after.Count(r => before.ContainsKey(r.Day)));
        }
    }

    [Fact]
    public void Ten_subscriptions_leak_360_litres_a_day_for_30_days_in_every_120_and_the_others_never()
    {
        // Oracle: the clean pattern of the subscription's seed (MeterData.DailyLiters); a leak shows as 360 L more.
        var leaking = new List<long>();
        foreach (long sub in BenchAccount.Fleet1000Subscriptions())
        {
            var rows = BenchAccount.Fleet1000Rows(sub, Today, lag: 1);
            var extra = new List<long>();
            for (int i = 1; i < rows.Count; i++) extra.Add(rows[i].Index - rows[i - 1].Index - MeterData.DailyLiters(rows[i].Day, sub));
            Assert.All(extra, e => Assert.Contains(e, new[] { 0L, 360L }));
            if (extra.Any(e => e != 0))
            {
                leaking.Add(sub);
                // 364 consecutive differences: runs of 30 leaking days, 90 clean days between them (the first and last run may be cut).
                var runs = Runs(extra.Select(e => e != 0).ToList());
                Assert.All(runs.Skip(1).Take(runs.Count - 2), r => Assert.Equal(r.Leaking ? 30 : 90, r.Length));
                Assert.True(runs.Count(r => r.Leaking) >= 3);
            }
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(k => 1_920_000L + (k * 100)), leaking);
    }

    private static List<(bool Leaking, int Length)> Runs(List<bool> days)
    {
        var runs = new List<(bool, int)>();
        int start = 0;
        for (int i = 1; i <= days.Count; i++)
        {
            if (i == days.Count || days[i] != days[start])
            {
                runs.Add((days[start], i - start));
                start = i;
            }
        }

        return runs;
    }
}
