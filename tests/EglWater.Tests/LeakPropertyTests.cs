using CsCheck;
using EglWater.Engine.Leaks;
using EglWater.Simulator;
using static EglWater.Tests.LeakSupport;

namespace EglWater.Tests;

/// <summary>
/// Properties of the leak detector: the litres of a leak added to a normal home are found again; on a flat
/// household the accounting is exact; days that are not measured never change the consumption alerts.
/// </summary>
public class LeakPropertyTests
{
    private static readonly DateOnly Earliest = new(2023, 3, 1);

    private static double TotalExcess(LeakDetection d) =>
        d.Alerts.Where(a => a.Kind is EglLeakKind.Spike or EglLeakKind.SustainedRise).Sum(a => a.ExcessLiters);

    /// <summary>A normal home's daily rows with <paramref name="extra"/> litres more on each of the days [start, start + days).</summary>
    private static List<EglConsumption> WithLeak(long seed, DateOnly from, DateOnly to, DateOnly start, int days, long extra)
    {
        var rows = new List<MeterRow>();
        long index = MeterData.FirstIndex;
        for (var d = from.AddDays(-1); d <= to; d = d.AddDays(1))
        {
            index += MeterData.DailyLiters(d, seed) + (d >= start && d < start.AddDays(days) ? extra : 0);
            rows.Add(new MeterRow(d, "R", index));
        }

        return Daily(rows, from, to);
    }

    /// <summary>
    /// A leak of L = extra × days litres (1,000 to 3,000 L/day over 7 to 30 days) added to a normal home at any
    /// season raises the total excess by L ± 15%, through one rise that starts within 2 days of the leak and lasts
    /// at least as long. The rest is the home's own deviation from its frozen median over the rise's days (a
    /// week's weekend mix and the season's drift are worth up to about 100 L/day).
    /// </summary>
    [Fact]
    public void A_leak_added_to_a_normal_home_raises_the_excess_by_its_litres()
    {
        // A leak of 7 to 30 days: shorter ones are dominated by the day or two a high weekend adds at the start
        // (+15% seen on 5 days), longer ones by the season drifting from the frozen baseline (+10.1% on 57 days
        // in spring). Over 1,000,000 samples of this range the excess added was −7.0% to +11.9% of the leak
        // (99.99% within ±8.5%; the worst: spring leaks of ~1,000 L/day the rise outlasts by 2–3 days), so the
        // bound is ±15%: a run at 25 times the iterations failed at ±10% one time in three.
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Int[0, 900], Gen.Int[7, 30], Gen.Long[1000, 3000]).Sample((long seed, int offset, int days, long extra) =>
        {
            var start = Earliest.AddDays(offset);
            DateOnly from = start.AddDays(-20), to = start.AddDays(days + 20);
            var rowsFrom = from.AddDays(-60);
            var before = Detect(WithLeak(seed, rowsFrom, to, start, 0, 0), D(from), D(to));
            var after = Detect(WithLeak(seed, rowsFrom, to, start, days, extra), D(from), D(to));
            double leaked = extra * days, added = TotalExcess(after) - TotalExcess(before);
            // The leak shows as one rise that meets its days. Another rise may follow it: the home's own use, judged
            // against a baseline that lost the leak's days (alert days are never baseline), e.g. 3 days at +120 L
            // 18 days after a 28-day leak (seed dZWto5UtTuI3). The excess check above bounds what such rises add.
            DateTime leakFirst = D(start), leakLast = D(start.AddDays(days - 1));
            var rises = after.Alerts.Where(a => a.Kind == EglLeakKind.SustainedRise).ToList();
            var rise = rises.Where(a => a.StartDate <= leakLast.AddDays(2) && a.EndDate >= leakFirst.AddDays(-2)).ToList();
            string what = $"seed {seed}, leak {start:yyyy-MM-dd} × {days} d × {extra} L: added {added} for {leaked}; "
                + string.Join(" ; ", after.Alerts) + " | without the leak: " + string.Join(" ; ", before.Alerts);
            Assert.True(Math.Abs(added - leaked) <= 0.15 * leaked, what);
            Assert.True(rise.Count == 1, what);
            Assert.InRange((rise[0].StartDate - D(start)).Days, -2, 2);
            // The rise may outlast the leak while the season climbs above the frozen baseline (17 days seen in
            // 20,000 samples: seed cGYi-_WPz6t1); what bounds that tail is the excess check above, not a day count.
            Assert.True(rise[0].EndDate >= D(start.AddDays(days - 1)), what);

            // The sentence says the litres the table shows: {0:N0} of ExcessLiters, the same rounding.
            foreach (var a in after.Alerts.Where(a => a.Kind is EglLeakKind.SustainedRise or EglLeakKind.Spike))
                Assert.EndsWith(": " + a.ExcessLiters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " L more than usual.", a.Evidence, StringComparison.Ordinal);
        }, iter: 200, threads: 1);
    }

    /// <summary>
    /// On a flat household (c litres every day), e litres more on k days: one rise of exactly k days and k × e
    /// litres when e beats both rise thresholds and k ≥ 3; nothing (or spikes only) when k &lt; 3.
    /// </summary>
    [Fact]
    public void On_a_flat_household_the_accounting_is_exact()
    {
        var from = new DateTime(2025, 1, 1);
        Gen.Select(Gen.Int[20, 800], Gen.Int[1, 40], Gen.Int[1, 3000], Gen.Int[0, 30]).Sample((c, k, e, offset) =>
        {
            var start = from.AddDays(offset);
            var rows = Flat(from.AddDays(-56), 56 + offset, c)
                .Concat(Flat(start, k, c + e))
                .Concat(Flat(start.AddDays(k), 30, c)).ToList();
            var d = Detect(rows, from, start.AddDays(k + 29));
            bool rises = c + e > c + 75.0 && c + e > 1.4 * c;
            bool spikes = c + e > c + 150.0 && c + e > 2.5 * c;
            if (!rises) return d.Alerts.Count == 0;
            if (k < 3) return d.Alerts.Count == (spikes ? k : 0) && d.Alerts.All(a => a.Kind == EglLeakKind.Spike && a.ExcessLiters == e);
            if (d.Alerts.Count != 1) return false;
            var a = d.Alerts[0];
            return a.Kind == EglLeakKind.SustainedRise && a.StartDate == start && a.Days == k && a.ExcessLiters == (double)k * e
                && a.BaselineLitersPerDay == c && !a.Ongoing;
        }, iter: 400, threads: 1);
    }

    /// <summary>
    /// Replacing the litres of days that are not measured (estimated, pending, anomalies, meter changes, ...) by
    /// anything, or dropping those rows, never changes the Spike and SustainedRise alerts.
    /// </summary>
    [Fact]
    public void Days_that_are_not_measured_never_change_the_consumption_alerts()
    {
        var qualities = new[] { EglQuality.Estimated, EglQuality.Pending, EglQuality.Anomaly, EglQuality.Unknown, EglQuality.MeterChange, EglQuality.Invalid, EglQuality.Missing };
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Int[0, 900], Gen.Int[0, int.MaxValue]).Sample((seed, offset, shuffle) =>
        {
            var rng = new Random(shuffle);
            DateOnly from = Earliest.AddDays(offset), to = from.AddDays(120);
            var measured = Daily(Households.Leaking(seed, from.AddDays(rng.Next(0, 120))), from.AddDays(-60), to);
            var marked = measured.Select(r => rng.Next(0, 6) == 0 ? (r, qualities[rng.Next(qualities.Length)]) : (r, EglQuality.Measured)).ToList();
            List<EglConsumption> Variant(Func<EglConsumption, double?> liters) => marked
                .Select(p => p.Item2 == EglQuality.Measured ? p.r : Row(p.r.Date, liters(p.r), p.Item2))
                .ToList();
            string Alerts(List<EglConsumption> rows) => string.Join(";", Detect(rows, D(from), D(to)).Alerts
                .Where(a => a.Kind is EglLeakKind.Spike or EglLeakKind.SustainedRise).Select(a => a.ToString()));
            string reference = Alerts(Variant(r => r.Liters));
            return reference == Alerts(Variant(_ => rng.Next(0, 5000)))
                && reference == Alerts(Variant(_ => null))
                && reference == Alerts(marked.Where(p => p.Item2 == EglQuality.Measured).Select(p => p.r).ToList());
        }, iter: 100, threads: 1);
    }
}
