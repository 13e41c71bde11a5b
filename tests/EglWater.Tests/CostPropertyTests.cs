using System.Globalization;
using CsCheck;
using EglWater.Engine.Cost;

namespace EglWater.Tests;

/// <summary>
/// Properties of the cost engine over random years of 2026 rows (the shipped grid): whole and fractional
/// litres, unknown days, big days that cross the tiers, rows over several days. CsCheck shrinks a failure
/// and prints its seed.
/// </summary>
public class CostPropertyTests
{
    private static readonly DateTime Jan1 = new(2026, 1, 1);
    private static readonly DateTime Dec31 = new(2026, 12, 31);
    private static readonly int[] Diameters = [15, 20, 30, 40, 50, 60, 80, 100, 150, 200];
    private static readonly decimal[] Subscriptions = [50.66m, 242.87m, 378.85m, 783.53m, 1265.70m, 1498.18m, 2324.76m, 3843.85m, 6157.54m, 6734.43m];

    /// <summary>One row: how many days it covers and its litres (null = unknown).</summary>
    public sealed record Segment(int Days, double? Liters);

    public sealed record Year(IReadOnlyList<EglConsumption> Rows, int Dwellings, int DiameterIndex)
    {
        public override string ToString() => $"dwellings {Dwellings}, {Diameters[DiameterIndex]} mm, " + string.Join(" ", Rows.Select(r => r.Days == 1 ? $"{r.Liters?.ToString(CultureInfo.InvariantCulture) ?? "?"}" : $"[{r.Days}d {r.Liters?.ToString(CultureInfo.InvariantCulture) ?? "?"}]"));
    }

    /// <summary>Litres of one day: mostly ordinary, some unknown, some fractional, a few big enough to cross 180 m³.</summary>
    private static readonly Gen<double?> GenDayLiters = Gen.Int[0, 99].SelectMany(k => k switch
    {
        < 5 => Gen.Const((double?)null),
        < 12 => Gen.Const((double?)0),
        < 75 => Gen.Int[0, 1500].Select(l => (double?)l),
        < 92 => Gen.Double[0, 2000].Select(l => (double?)Math.Round(l, 3)),
        _ => Gen.Int[0, 40_000].Select(l => (double?)l),
    });

    /// <summary>A row over several days: whole litres (so that its spread adds up exactly), or unknown.</summary>
    private static readonly Gen<Segment> GenSpan = Gen.Select(Gen.Int[2, 10], Gen.Int[0, 9], Gen.Int[0, 20_000], (d, k, l) => new Segment(d, k == 0 ? null : l));

    private static Gen<Segment> GenSegment(bool spans) => spans
        ? Gen.Int[0, 9].SelectMany(k => k < 8 ? GenDayLiters.Select(l => new Segment(1, l)) : GenSpan)
        : GenDayLiters.Select(l => new Segment(1, l));

    private static Gen<Year> GenYear(bool spans) => Gen.Select(GenSegment(spans).Array[365], Gen.Int[1, 3], Gen.Int[0, Diameters.Length - 1], (segments, dwellings, diameter) => new Year(Rows(segments), dwellings, diameter));

    /// <summary>Rows from 1 January to 31 December 2026 (the last row is cut at 31 December).</summary>
    private static List<EglConsumption> Rows(Segment[] segments)
    {
        var rows = new List<EglConsumption>();
        var day = Jan1;
        foreach (var s in segments)
        {
            if (day > Dec31) break;
            var last = day.AddDays(s.Days - 1);
            if (last > Dec31) last = Dec31;
            rows.Add(last == day ? CostTests.Day(day, s.Liters) : CostTests.Span(day, last, s.Liters));
            day = last.AddDays(1);
        }

        for (; day <= Dec31; day = day.AddDays(1)) rows.Add(CostTests.Day(day, 0));
        return rows;
    }

    private static IReadOnlyList<EglCost> Cost(Year y, EglGranularity g, DateTime? from = null, DateTime? to = null, IReadOnlyList<EglConsumption>? rows = null) =>
        CostCalculator.Calculate(rows ?? y.Rows, CostTests.Sub, from ?? Jan1, to ?? Dec31, g, TariffReader.Default(), Diameters[y.DiameterIndex], y.Dwellings);

    /// <summary>The oracle: the drinking water of a year's volume, by the closed formula of the 2026 tiers.</summary>
    private static decimal DrinkingWater(decimal v, int dwellings)
    {
        decimal b1 = 12m * dwellings, b2 = 180m * dwellings;
        return (Math.Min(v, b2) - Math.Min(v, b1)) * 1.3926m + Math.Max(v - b2, 0m) * 2.7852m;
    }

    private static decimal Cents(decimal e) => Math.Round(e, 2, MidpointRounding.AwayFromZero);

    [Fact]
    public void A_whole_year_costs_the_closed_formula_of_its_volume_and_the_sum_of_its_days_is_within_half_a_cent_per_day()
    {
        GenYear(spans: true).Sample(y =>
        {
            // The volume of the year, summed independently of the engine (spans hold whole litres, so their spread is exact).
            decimal v = y.Rows.Where(r => r.Liters.HasValue).Sum(r => (decimal)r.Liters!.Value / 1000m);
            var year = Assert.Single(Cost(y, EglGranularity.Year));
            Assert.Equal(Cents(DrinkingWater(v, y.Dwellings)), year.DrinkingWaterEuros);
            Assert.Equal(Cents(v * 2.0507m), year.OtherEuros);
            Assert.Equal(Subscriptions[y.DiameterIndex], year.SubscriptionEuros);
            Assert.Equal(y.Rows.All(r => r.Liters.HasValue), year.Complete);
            Assert.Equal(365, year.Days);

            var days = Cost(y, EglGranularity.Day);
            Assert.Equal(365, days.Count);
            // Each component of each row is off the exact value by at most half a cent: 366 rows, 0.005 each.
            const decimal bound = 0.005m * 366;
            Assert.True(Math.Abs(days.Sum(d => d.DrinkingWaterEuros) - year.DrinkingWaterEuros) <= bound, "drinking water");
            Assert.True(Math.Abs(days.Sum(d => d.OtherEuros) - year.OtherEuros) <= bound, "other");
            Assert.True(Math.Abs(days.Sum(d => d.SubscriptionEuros) - year.SubscriptionEuros) <= bound, "subscription");
            Assert.True(Math.Abs(days.Sum(d => d.TotalEuros) - year.TotalEuros) <= 3 * bound, "total");
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void More_litres_on_any_day_never_cost_less()
    {
        Gen.Select(GenYear(spans: false), Gen.Int[0, 364], Gen.Int[1, 50_000]).Sample((y, index, extra) =>
        {
            var more = y.Rows.ToList();
            var r = more[index];
            more[index] = CostTests.Day(r.Date, (r.Liters ?? 0) + extra);
            foreach (var g in new[] { EglGranularity.Day, EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
            {
                var before = Cost(y, g);
                var after = Cost(y, g, rows: more);
                Assert.Equal(before.Count, after.Count);
                for (int i = 0; i < before.Count; i++)
                {
                    Assert.True(after[i].DrinkingWaterEuros >= before[i].DrinkingWaterEuros, $"{g} {after[i]} < {before[i]}");
                    Assert.True(after[i].OtherEuros >= before[i].OtherEuros, $"{g} {after[i]} < {before[i]}");
                    Assert.Equal(before[i].SubscriptionEuros, after[i].SubscriptionEuros);
                    Assert.True(after[i].TotalEuros >= before[i].TotalEuros, $"{g} {after[i]} < {before[i]}");
                }

                Assert.True(after.Sum(c => c.TotalEuros) >= before.Sum(c => c.TotalEuros), g.ToString());
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void Day_week_month_and_year_give_the_same_cost_within_half_a_cent_per_row_and_component()
    {
        Gen.Select(GenYear(spans: true), Gen.Int[0, 364], Gen.Int[0, 364]).Sample((y, a, b) =>
        {
            var from = Jan1.AddDays(Math.Min(a, b));
            var to = Jan1.AddDays(Math.Max(a, b));
            int rangeDays = (to - from).Days + 1;
            var day = Cost(y, EglGranularity.Day, from, to);
            Assert.Equal(rangeDays, day.Count);
            foreach (var g in new[] { EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
            {
                var other = Cost(y, g, from, to);
                Assert.Equal(rangeDays, other.Sum(c => c.Days));
                Assert.Equal(day.Where(d => d.CubicMeters.HasValue).Sum(d => (decimal)d.CubicMeters!.Value), other.Where(c => c.CubicMeters.HasValue).Sum(c => (decimal)c.CubicMeters!.Value), 6);
                Assert.Equal(other.OrderBy(c => c.Date).Select(c => c.Date), other.Select(c => c.Date));
                decimal bound = 0.005m * (day.Count + other.Count);
                Assert.True(Math.Abs(day.Sum(d => d.DrinkingWaterEuros) - other.Sum(c => c.DrinkingWaterEuros)) <= bound, $"{g} drinking water");
                Assert.True(Math.Abs(day.Sum(d => d.OtherEuros) - other.Sum(c => c.OtherEuros)) <= bound, $"{g} other");
                Assert.True(Math.Abs(day.Sum(d => d.SubscriptionEuros) - other.Sum(c => c.SubscriptionEuros)) <= bound, $"{g} subscription");
                Assert.True(Math.Abs(day.Sum(d => d.TotalEuros) - other.Sum(c => c.TotalEuros)) <= 3 * bound, $"{g} total");
                // A period is complete exactly when all its days are in the range and known.
                foreach (var c in other)
                {
                    var inside = day.Where(d => d.Date >= c.Date && d.Date <= c.EndDate).ToList();
                    Assert.Equal(inside.Count == (c.EndDate - c.Date).Days + 1 && inside.All(d => d.Complete), c.Complete);
                }
            }
        }, iter: 100, threads: 1);
    }
}
