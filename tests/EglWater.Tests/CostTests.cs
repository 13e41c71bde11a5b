using EglWater.Engine.Cost;

namespace EglWater.Tests;

/// <summary>
/// One example per rule of the cost engine. Every expected euro is worked out by hand in the comment
/// next to it (the shipped 2026 grid: drinking water 0 up to 12 m³, 1.3926 up to 180 m³, 2.7852 above;
/// other items 1.4495 + 0.4115 + 0.0559 + 0.0561 + 0.0471 + 0.0211 + 0.0095 = 2.0507 €/m³; 15 mm
/// subscription 50.66 €/year).
/// </summary>
public class CostTests
{
    internal const long Sub = 1895683;

    internal static DateTime D(int year, int month, int day) => new(year, month, day);

    /// <summary>A daily row of one day.</summary>
    internal static EglConsumption Day(DateTime day, double? liters, long sub = Sub) =>
        new(sub, EglGranularity.Day, day, day, 1, liters.HasValue ? 1 : 0, liters, liters.HasValue ? EglQuality.Measured : EglQuality.MeterChange, "R", liters.HasValue);

    /// <summary>A daily row covering several days (a gap the consumption engine did not interpolate).</summary>
    internal static EglConsumption Span(DateTime first, DateTime last, double? liters)
    {
        int days = (last - first).Days + 1;
        return new(Sub, EglGranularity.Day, first, last, days, liters.HasValue ? days : 0, liters, EglQuality.Estimated, "R", false);
    }

    /// <summary>One row per day from first to last, each with the same litres.</summary>
    internal static IEnumerable<EglConsumption> Days(DateTime first, DateTime last, double? liters)
    {
        for (var d = first; d <= last; d = d.AddDays(1)) yield return Day(d, liters);
    }

    private static IReadOnlyList<EglCost> Cost(IEnumerable<EglConsumption> rows, DateTime from, DateTime to, EglGranularity granularity, Tariff? tariff = null, int diameter = 15, int dwellings = 1) =>
        CostCalculator.Calculate(rows, Sub, from, to, granularity, tariff ?? TariffReader.Default(), diameter, dwellings);

    private static void AssertEuros(EglCost row, decimal drinking, decimal other, decimal subscription)
    {
        Assert.Equal(drinking, row.DrinkingWaterEuros);
        Assert.Equal(other, row.OtherEuros);
        Assert.Equal(subscription, row.SubscriptionEuros);
        Assert.Equal(drinking + other + subscription, row.TotalEuros);
    }

    [Fact]
    public void A_month_that_crosses_12_cubic_meters_pays_drinking_water_only_above_12_and_the_day_that_crosses_pays_both_prices()
    {
        // January 2026, 700 L a day: 21.7 m³. Drinking water (21.7 - 12) × 1.3926 = 13.50822 → 13.51;
        // other 21.7 × 2.0507 = 44.50019 → 44.50; subscription 50.66 × 31 / 365 = 4.30263… → 4.30.
        var month = Assert.Single(Cost(Days(D(2026, 1, 1), D(2026, 1, 31), 700), D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month));
        AssertEuros(month, 13.51m, 44.50m, 4.30m);
        Assert.Equal(62.31m, month.TotalEuros);
        Assert.Equal(21.7, month.CubicMeters!.Value, 9);
        Assert.Equal(31, month.Days);
        Assert.Equal(D(2026, 1, 1), month.Date);
        Assert.Equal(D(2026, 1, 31), month.EndDate);
        Assert.Equal(EglGranularity.Month, month.Granularity);
        Assert.Equal(Sub, month.SubscriptionNumber);
        Assert.Equal("Eau du Grand Lyon 2026 (households)", month.Tariff);
        Assert.True(month.Complete);

        // By day: after 17 days the count is 11.9 m³; day 18 takes it to 12.6: 0.1 m³ free and 0.6 m³ at
        // 1.3926 = 0.83556 → 0.84. Day 17: 0. Day 19: 0.7 × 1.3926 = 0.97482 → 0.97.
        // Every day: other 0.7 × 2.0507 = 1.43549 → 1.44; subscription 50.66 / 365 = 0.13879… → 0.14.
        var days = Cost(Days(D(2026, 1, 1), D(2026, 1, 31), 700), D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Day);
        Assert.Equal(31, days.Count);
        AssertEuros(days[16], 0m, 1.44m, 0.14m);
        AssertEuros(days[17], 0.84m, 1.44m, 0.14m);
        AssertEuros(days[18], 0.97m, 1.44m, 0.14m);
        Assert.Equal(D(2026, 1, 18), days[17].Date);
        Assert.Equal(D(2026, 1, 18), days[17].EndDate);
    }

    [Fact]
    public void A_month_that_crosses_180_cubic_meters_pays_the_double_price_above_and_rows_before_from_only_count()
    {
        // 175 m³ from 1 January to 31 May (one row, read only to count), then 400 L a day in June: the
        // count goes 175 → 187 m³. Drinking water 5 × 1.3926 + 7 × 2.7852 = 6.963 + 19.4964 = 26.4594 → 26.46;
        // other 12 × 2.0507 = 24.6084 → 24.61; subscription 50.66 × 30 / 365 = 4.16383… → 4.16. Total 55.23.
        var rows = new List<EglConsumption> { Span(D(2026, 1, 1), D(2026, 5, 31), 175_000) };
        rows.AddRange(Days(D(2026, 6, 1), D(2026, 6, 30), 400));
        var june = Assert.Single(Cost(rows, D(2026, 6, 1), D(2026, 6, 30), EglGranularity.Month));
        Assert.Equal(D(2026, 6, 1), june.Date);
        AssertEuros(june, 26.46m, 24.61m, 4.16m);
        Assert.Equal(55.23m, june.TotalEuros);
        Assert.Equal(12, june.CubicMeters!.Value, 9);

        // 13 June takes the count from 179.8 to 180.2: 0.2 × 1.3926 + 0.2 × 2.7852 = 0.83556 → 0.84.
        var days = Cost(rows, D(2026, 6, 1), D(2026, 6, 30), EglGranularity.Day);
        Assert.Equal(D(2026, 6, 1), days[0].Date);
        Assert.Equal(0.56m, days[11].DrinkingWaterEuros); // 0.4 × 1.3926 = 0.55704
        Assert.Equal(0.84m, days[12].DrinkingWaterEuros);
        Assert.Equal(1.11m, days[13].DrinkingWaterEuros); // 0.4 × 2.7852 = 1.11408
    }

    [Fact]
    public void The_worked_check_120_cubic_meters_in_2026_on_a_15_mm_meter()
    {
        // insight.md: 120 m³ ≈ 108 × 1.3926 + 120 × 2.0507 + 50.66 ≈ 447 €. Exactly: 108 × 1.3926 = 150.4008 → 150.40;
        // 120 × 2.0507 = 246.084 → 246.08; subscription 365 / 365 × 50.66 = 50.66. Total 447.14.
        var year = Assert.Single(Cost([Span(D(2026, 1, 1), D(2026, 12, 31), 120_000)], D(2026, 1, 1), D(2026, 12, 31), EglGranularity.Year));
        AssertEuros(year, 150.40m, 246.08m, 50.66m);
        Assert.Equal(447.14m, year.TotalEuros);
        Assert.Equal(365, year.Days);
        Assert.Equal(120, year.CubicMeters!.Value, 9);
        Assert.True(year.Complete, "a full year of known litres is complete");
    }

    [Fact]
    public void The_subscription_is_shared_by_the_days_of_each_year_and_a_full_leap_year_costs_exactly_the_yearly_amount()
    {
        var flat = Tariff.Flat(0m, 50.66m);
        // 366 days × 50.66 / 366 = 50.66.
        Assert.Equal(50.66m, Assert.Single(Cost([], D(2028, 1, 1), D(2028, 12, 31), EglGranularity.Year, flat)).SubscriptionEuros);
        // January to June 2028 (leap): 182 days × 50.66 / 366 = 25.19158… → 25.19; the same months of 2026: 181 × 50.66 / 365 = 25.12180… → 25.12.
        Assert.Equal(25.19m, Assert.Single(Cost([], D(2028, 1, 1), D(2028, 6, 30), EglGranularity.Year, flat)).SubscriptionEuros);
        Assert.Equal(25.12m, Assert.Single(Cost([], D(2026, 1, 1), D(2026, 6, 30), EglGranularity.Year, flat)).SubscriptionEuros);

        // The ISO week of 27 December 2027 to 2 January 2028 (200 mm, 6734.43 €/year): 5 days of a 365-day
        // year and 2 of a 366-day year: 6734.43 × 5 / 365 + 6734.43 × 2 / 366 = 92.25247 + 36.80016 = 129.05263 → 129.05
        // (all 7 days over 365 would give 129.15; over 366, 128.80).
        var big = Tariff.Flat(0m, 6734.43m);
        var week = Assert.Single(Cost([], D(2027, 12, 27), D(2028, 1, 2), EglGranularity.Week, big));
        Assert.Equal(D(2027, 12, 27), week.Date);
        Assert.Equal(D(2028, 1, 2), week.EndDate);
        Assert.Equal(129.05m, week.SubscriptionEuros);
        // One day: 6734.43 / 365 = 18.45049… → 18.45 on 31 December 2027; 6734.43 / 366 = 18.40008… → 18.40 on 29 February 2028.
        Assert.Equal(18.45m, Assert.Single(Cost([], D(2027, 12, 31), D(2027, 12, 31), EglGranularity.Day, big)).SubscriptionEuros);
        Assert.Equal(18.40m, Assert.Single(Cost([], D(2028, 2, 29), D(2028, 2, 29), EglGranularity.Day, big)).SubscriptionEuros);
    }

    private const string TwoYears = """
        { "name": "Two years", "currency": "EUR", "periods": [
          { "from": "2025-01-01", "to": "2025-12-31",
            "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 }, { "upToCubicMeters": 180, "pricePerCubicMeter": 1.00 }, { "upToCubicMeters": null, "pricePerCubicMeter": 2.00 } ],
            "perCubicMeter": [ { "name": "A", "pricePerCubicMeter": 0.5 } ],
            "subscriptionPerYear": { "15": 36.50 } },
          { "from": "2026-01-01", "to": "2026-12-31",
            "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 }, { "upToCubicMeters": 180, "pricePerCubicMeter": 2.00 }, { "upToCubicMeters": null, "pricePerCubicMeter": 4.00 } ],
            "perCubicMeter": [ { "name": "A", "pricePerCubicMeter": 1.00 } ],
            "subscriptionPerYear": { "15": 73.00 } } ] }
        """;

    [Fact]
    public void A_tariff_change_on_1_January_prices_each_day_with_its_period_and_the_tier_count_restarts()
    {
        var tariff = TariffReader.ReadText(TwoYears, "two-years.json");
        // 20 m³ from January to November 2025 (count only), then 1000 L a day.
        var rows = new List<EglConsumption> { Span(D(2025, 1, 1), D(2025, 11, 30), 20_000) };
        rows.AddRange(Days(D(2025, 12, 1), D(2026, 1, 31), 1000));
        var months = Cost(rows, D(2025, 12, 1), D(2026, 1, 31), EglGranularity.Month, tariff);
        Assert.Equal([D(2025, 12, 1), D(2026, 1, 1)], months.Select(m => m.Date));
        // December 2025: count 20 → 51 m³, all in the second tier: 31 × 1.00 = 31.00; other 31 × 0.5 = 15.50;
        // subscription 36.50 × 31 / 365 = 3.10.
        AssertEuros(months[0], 31.00m, 15.50m, 3.10m);
        // January 2026: the count restarts at 0 → 31 m³: (31 - 12) × 2.00 = 38.00 (without the restart: 31 × 2.00 = 62.00);
        // other 31 × 1.00 = 31.00; subscription 73.00 × 31 / 365 = 6.20.
        AssertEuros(months[1], 38.00m, 31.00m, 6.20m);
        Assert.Equal("Two years", months[1].Tariff);
    }

    [Fact]
    public void A_tariff_change_inside_a_year_keeps_the_tier_count()
    {
        var tariff = TariffReader.ReadText("""
            { "name": "Half years", "currency": "EUR", "periods": [
              { "from": "2026-01-01", "to": "2026-06-30",
                "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 }, { "upToCubicMeters": null, "pricePerCubicMeter": 1.00 } ],
                "subscriptionPerYear": { "15": 0 } },
              { "from": "2026-07-01", "to": "2026-12-31",
                "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 }, { "upToCubicMeters": null, "pricePerCubicMeter": 3.00 } ],
                "subscriptionPerYear": { "15": 0 } } ] }
            """, "half-years.json");
        var rows = new List<EglConsumption> { Span(D(2026, 1, 1), D(2026, 6, 30), 10_000) };
        rows.AddRange(Days(D(2026, 7, 1), D(2026, 7, 31), 1000));
        // July: the count goes 10 → 41 m³: 2 m³ free, then 29 × 3.00 = 87.00 (a restart would give (31 - 12) × 3 = 57).
        var july = Assert.Single(Cost(rows, D(2026, 7, 1), D(2026, 7, 31), EglGranularity.Month, tariff));
        AssertEuros(july, 87.00m, 0m, 0m);
    }

    [Fact]
    public void Dwellings_multiply_the_tier_bounds_but_not_the_subscription()
    {
        // 3 dwellings: bounds 36 and 540 m³. January 2026, 40 m³: (40 - 36) × 1.3926 = 5.5704 → 5.57 (one dwelling: 28 × 1.3926 = 38.99);
        // other 40 × 2.0507 = 82.028 → 82.03; subscription 50.66 × 31 / 365 → 4.30 (per meter).
        var january = Assert.Single(Cost([Span(D(2026, 1, 1), D(2026, 1, 31), 40_000)], D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month, dwellings: 3));
        AssertEuros(january, 5.57m, 82.03m, 4.30m);
        // A year of 600 m³: (540 - 36) × 1.3926 + 60 × 2.7852 = 701.8704 + 167.112 = 868.9824 → 868.98;
        // other 600 × 2.0507 = 1230.42; subscription 50.66.
        var year = Assert.Single(Cost([Span(D(2026, 1, 1), D(2026, 12, 31), 600_000)], D(2026, 1, 1), D(2026, 12, 31), EglGranularity.Year, dwellings: 3));
        AssertEuros(year, 868.98m, 1230.42m, 50.66m);
    }

    [Fact]
    public void When_the_rows_start_after_1_January_the_tier_count_starts_at_the_first_row_and_says_so()
    {
        // From 1 March only: the count goes 0 → 31 m³ in March: (31 - 12) × 1.3926 = 26.4594 → 26.46;
        // other 31 × 2.0507 = 63.5717 → 63.57; subscription 4.30.
        var builder = CostCalculator.Start(Sub, D(2026, 3, 1), D(2026, 3, 31), EglGranularity.Month, TariffReader.Default(), 15);
        Assert.Null(builder.TierCountStart);
        var march = Assert.Single(CostCalculator.Stream(Days(D(2026, 3, 1), D(2026, 3, 31), 1000), builder).ToList());
        AssertEuros(march, 26.46m, 63.57m, 4.30m);
        Assert.Equal(D(2026, 3, 1), builder.TierCountStart);
        Assert.Equal([D(2026, 3, 1)], builder.LateTierCountStarts);

        // With 5 m³ from 1 January to 28 February given (read only to count): 5 → 36 m³: 24 × 1.3926 = 33.4224 → 33.42.
        var full = CostCalculator.Start(Sub, D(2026, 3, 1), D(2026, 3, 31), EglGranularity.Month, TariffReader.Default(), 15);
        var rows = new List<EglConsumption> { Span(D(2026, 1, 1), D(2026, 2, 28), 5000) };
        rows.AddRange(Days(D(2026, 3, 1), D(2026, 3, 31), 1000));
        AssertEuros(Assert.Single(CostCalculator.Stream(rows, full).ToList()), 33.42m, 63.57m, 4.30m);
        Assert.Equal(D(2026, 1, 1), full.TierCountStart);
        Assert.Empty(full.LateTierCountStarts);
    }

    [Fact]
    public void Unknown_litres_cost_no_water_but_the_subscription_and_make_the_period_incomplete()
    {
        // January: 1000 L a day but 10 January unknown: 30 m³ known: 18 × 1.3926 = 25.0668 → 25.07;
        // 30 × 2.0507 = 61.521 → 61.52; subscription for all 31 days: 4.30.
        var rows = Days(D(2026, 1, 1), D(2026, 1, 31), 1000).Select(r => r.Date == D(2026, 1, 10) ? Day(r.Date, null) : r).ToList();
        // February: every day unknown: no volume, no water, the subscription 50.66 × 28 / 365 = 3.88625… → 3.89.
        rows.AddRange(Days(D(2026, 2, 1), D(2026, 2, 28), null));
        var months = Cost(rows, D(2026, 1, 1), D(2026, 2, 28), EglGranularity.Month);
        Assert.Equal(2, months.Count);
        AssertEuros(months[0], 25.07m, 61.52m, 4.30m);
        Assert.Equal(30, months[0].CubicMeters!.Value, 9);
        Assert.False(months[0].Complete);
        AssertEuros(months[1], 0m, 0m, 3.89m);
        Assert.Null(months[1].CubicMeters);
        Assert.False(months[1].Complete);
        Assert.Equal(28, months[1].Days);
    }

    [Fact]
    public void Days_without_rows_cost_only_their_subscription_share_and_periods_are_not_clipped_to_the_range()
    {
        // January 2026 by ISO week, rows only for the week of Monday 5 January (1000 L a day).
        var weeks = Cost(Days(D(2026, 1, 5), D(2026, 1, 11), 1000), D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Week);
        Assert.Equal([D(2025, 12, 29), D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 19), D(2026, 1, 26)], weeks.Select(w => w.Date));
        Assert.Equal([D(2026, 1, 4), D(2026, 1, 11), D(2026, 1, 18), D(2026, 1, 25), D(2026, 2, 1)], weeks.Select(w => w.EndDate));
        Assert.Equal([4, 7, 7, 7, 6], weeks.Select(w => w.Days));
        Assert.Equal([false, true, false, false, false], weeks.Select(w => w.Complete));
        // 1-4 January: 50.66 × 4 / 365 = 0.55518 → 0.56, nothing else.
        AssertEuros(weeks[0], 0m, 0m, 0.56m);
        Assert.Null(weeks[0].CubicMeters);
        // The week with data: 7 m³, all free drinking water; other 7 × 2.0507 = 14.3549 → 14.35; 50.66 × 7 / 365 = 0.97156 → 0.97.
        AssertEuros(weeks[1], 0m, 14.35m, 0.97m);
        AssertEuros(weeks[2], 0m, 0m, 0.97m);
        // 26-31 January: 50.66 × 6 / 365 = 0.83277 → 0.83.
        AssertEuros(weeks[4], 0m, 0m, 0.83m);
    }

    [Fact]
    public void A_row_over_several_days_is_spread_evenly_in_whole_litres()
    {
        // 10001 L over 30 January - 2 February: cumulative round(10001 × i / 4) = 2500, 5001, 7501, 10001,
        // so the days get 2500, 2501, 2500, 2500 L.
        var rows = new[] { Span(D(2026, 1, 30), D(2026, 2, 2), 10_001) };
        var days = Cost(rows, D(2026, 1, 30), D(2026, 2, 2), EglGranularity.Day, Tariff.Flat(2m));
        Assert.Equal([2.5, 2.501, 2.5, 2.5], days.Select(d => d.CubicMeters!.Value));
        // 2.501 m³ × 2 €/m³ = 5.002 → 5.00.
        Assert.Equal([5.00m, 5.00m, 5.00m, 5.00m], days.Select(d => d.DrinkingWaterEuros));
        var months = Cost(rows, D(2026, 1, 30), D(2026, 2, 2), EglGranularity.Month, Tariff.Flat(2m));
        Assert.Equal([5.001, 5.0], months.Select(m => m.CubicMeters!.Value));
        Assert.Equal([2, 2], months.Select(m => m.Days));
        Assert.All(months, m => Assert.False(m.Complete, "a month only partly inside the range is not complete"));
        // A row that starts before the range: only its days inside the range are priced (10 days, 10000 L: 1000 a day).
        var inside = Cost([Span(D(2026, 1, 1), D(2026, 1, 10), 10_000)], D(2026, 1, 6), D(2026, 1, 10), EglGranularity.Month, Tariff.Flat(1m));
        Assert.Equal(5.0, Assert.Single(inside).CubicMeters!.Value, 9);
        Assert.Equal(5.00m, inside[0].DrinkingWaterEuros);
    }

    [Fact]
    public void A_flat_price_is_one_open_period_with_one_tier_and_one_subscription_for_any_diameter()
    {
        var flat = Tariff.Flat(3.56m, 120m);
        Assert.Equal("Flat 3.56 €/m³ + 120 €/year", flat.Name);
        Assert.Equal("Flat 3.56 €/m³", Tariff.Flat(3.560m).Name);
        var period = Assert.Single(flat.Periods);
        Assert.Null(period.From);
        Assert.Null(period.To);
        var tier = Assert.Single(period.DrinkingWater);
        Assert.Null(tier.UpToCubicMeters);
        Assert.Empty(period.PerCubicMeter);
        // Any diameter, any date: 1995-03-01, 10 m³ on a 42 mm meter: 35.60 € of water + 120 × 1 / 365 = 0.32877 → 0.33.
        var row = Assert.Single(Cost([Day(D(1995, 3, 1), 10_000)], D(1995, 3, 1), D(1995, 3, 1), EglGranularity.Day, flat, diameter: 42));
        AssertEuros(row, 35.60m, 0m, 0.33m);
        Assert.Equal("Flat 3.56 €/m³ + 120 €/year", row.Tariff);
        var error = Assert.Throws<EglTariffInvalidException>(() => Tariff.Flat(-1m));
        Assert.Equal("EglTariffInvalid", error.ErrorId);
    }

    [Fact]
    public void Each_component_is_rounded_to_the_cent_per_row_midpoint_away_from_zero()
    {
        // 25 L at 1 €/m³ = 0.025 € → 0.03 (banker's rounding would give 0.02); 5 L = 0.005 € → 0.01.
        Assert.Equal(0.03m, Assert.Single(Cost([Day(D(2026, 1, 1), 25)], D(2026, 1, 1), D(2026, 1, 1), EglGranularity.Day, Tariff.Flat(1m))).DrinkingWaterEuros);
        Assert.Equal(0.01m, Assert.Single(Cost([Day(D(2026, 1, 1), 5)], D(2026, 1, 1), D(2026, 1, 1), EglGranularity.Day, Tariff.Flat(1m))).DrinkingWaterEuros);
        // The total is the sum of the rounded parts: 3 × (0.005 rounded up) = 0.03, not round(0.015) = 0.02 (or 0.01).
        var tariff = TariffReader.ReadText("""
            { "name": "Halves", "currency": "EUR", "periods": [ { "drinkingWater": [ { "pricePerCubicMeter": 1 } ],
              "perCubicMeter": [ { "name": "B", "pricePerCubicMeter": 1 } ], "subscriptionPerYear": { "15": 1.825 } } ] }
            """, "halves.json");
        // 5 L: 0.005 € of water → 0.01, 0.005 € of B → 0.01, 1.825 / 365 = 0.005 € of subscription → 0.01.
        var row = Assert.Single(Cost([Day(D(2026, 1, 1), 5)], D(2026, 1, 1), D(2026, 1, 1), EglGranularity.Day, tariff));
        AssertEuros(row, 0.01m, 0.01m, 0.01m);
        Assert.Equal(0.03m, row.TotalEuros);
    }

    [Fact]
    public void A_period_is_given_as_soon_as_its_last_day_is_read()
    {
        var builder = CostCalculator.Start(Sub, D(2026, 1, 1), D(2026, 2, 28), EglGranularity.Month, TariffReader.Default(), 15);
        foreach (var row in Days(D(2026, 1, 1), D(2026, 1, 30), 100)) Assert.Empty(builder.Add(row));
        var january = Assert.Single(builder.Add(Day(D(2026, 1, 31), 100)));
        Assert.Equal(D(2026, 1, 1), january.Date);
        // A row after a hole gives the months the hole completed.
        var february = Assert.Single(builder.Add(Day(D(2026, 3, 5), 100)));
        Assert.Equal(D(2026, 2, 1), february.Date);
        Assert.Null(february.CubicMeters);
        Assert.Empty(builder.Complete());
    }

    [Fact]
    public void A_day_outside_every_tariff_period_is_an_error_naming_the_day_and_the_tariff()
    {
        var error = Assert.Throws<EglTariffMissingPeriodException>(() => CostCalculator.Start(Sub, D(2025, 12, 31), D(2026, 1, 31), EglGranularity.Month, TariffReader.Default(), 15));
        Assert.Equal("EglTariffMissingPeriod", error.ErrorId);
        Assert.Equal(D(2025, 12, 31), error.Day);
        Assert.Contains("2025-12-31", error.Message);
        Assert.Contains("Eau du Grand Lyon 2026 (households)", error.Message);
        Assert.Contains("eau-du-grand-lyon.json", error.Message);
        Assert.Contains("2026-01-01..2026-12-31", error.Message);

        var after = Assert.Throws<EglTariffMissingPeriodException>(() => CostCalculator.Start(Sub, D(2026, 12, 1), D(2027, 1, 31), EglGranularity.Month, TariffReader.Default(), 15));
        Assert.Equal(D(2027, 1, 1), after.Day);

        // A hole between two periods.
        var holed = TariffReader.ReadText(TwoYears.Replace("\"to\": \"2025-12-31\"", "\"to\": \"2025-12-30\"", StringComparison.Ordinal), "holed.json");
        var hole = Assert.Throws<EglTariffMissingPeriodException>(() => CostCalculator.Start(Sub, D(2025, 12, 1), D(2026, 1, 31), EglGranularity.Month, holed, 15));
        Assert.Equal(D(2025, 12, 31), hole.Day);
        Assert.Contains("holed.json", hole.Message);
    }

    [Fact]
    public void An_unknown_meter_diameter_is_an_error_naming_the_diameters_the_tariff_knows()
    {
        var error = Assert.Throws<EglTariffUnknownDiameterException>(() => CostCalculator.Start(Sub, D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month, TariffReader.Default(), 25));
        Assert.Equal("EglTariffUnknownDiameter", error.ErrorId);
        Assert.Equal(25, error.Diameter);
        Assert.Contains("25 mm", error.Message);
        Assert.Contains("15, 20, 30, 40, 50, 60, 80, 100, 150, 200", error.Message);
        Assert.Contains("Eau du Grand Lyon 2026 (households)", error.Message);
        Assert.Equal([15, 20, 30, 40, 50, 60, 80, 100, 150, 200], error.KnownDiameters);
    }

    [Fact]
    public void Rows_out_of_order_of_another_subscription_or_not_daily_are_refused()
    {
        var builder = CostCalculator.Start(Sub, D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month, TariffReader.Default(), 15);
        builder.Add(Day(D(2026, 1, 5), 100));
        Assert.Throws<InvalidOperationException>(() => builder.Add(Day(D(2026, 1, 5), 100)));
        Assert.Throws<InvalidOperationException>(() => builder.Add(Day(D(2026, 1, 4), 100)));
        Assert.Throws<ArgumentException>(() => builder.Add(Day(D(2026, 1, 6), 100, sub: 42)));
        Assert.Throws<ArgumentException>(() => builder.Add(Day(D(2026, 1, 6), -1)));
        Assert.Throws<ArgumentException>(() => builder.Add(new EglConsumption(Sub, EglGranularity.Month, D(2026, 2, 1), D(2026, 2, 28), 28, 28, 1, EglQuality.Measured, "", true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostCalculator.Start(Sub, D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month, TariffReader.Default(), 15, dwellings: 0));
    }

    [Fact]
    public void ToString_is_short_and_invariant()
    {
        using var culture = new CultureScope("fr-FR");
        var month = Assert.Single(Cost(Days(D(2026, 1, 1), D(2026, 1, 31), 700), D(2026, 1, 1), D(2026, 1, 31), EglGranularity.Month));
        Assert.Equal("2026-01-01..2026-01-31 21.7 m3 62.31 EUR", month.ToString());
        var partial = Assert.Single(Cost([], D(2026, 1, 2), D(2026, 1, 31), EglGranularity.Month));
        Assert.Equal("2026-01-01..2026-01-31 ? m3 4.16 EUR (incomplete)", partial.ToString()); // 50.66 × 30 / 365 = 4.16384 → 4.16
    }
}
