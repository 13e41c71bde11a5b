using EglWater.Api;
using EglWater.Engine.Cost;

namespace EglWater.Tests;

/// <summary>The tariff file: the shipped grid, and one test per kind of mistake the reader must name.</summary>
public class CostTariffReaderTests
{
    private const string File = "my-tariff.json";

    private const string Valid = """
        {
          "name": "Test tariff",
          "currency": "EUR",
          "source": "a test",
          "periods": [
            { "from": "2025-01-01", "to": "2025-12-31", "note": "first",
              "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 },
                                 { "upToCubicMeters": 180, "pricePerCubicMeter": 1.25 },
                                 { "upToCubicMeters": null, "pricePerCubicMeter": 2.5, "source": "s" } ],
              "perCubicMeter": [ { "name": "Sanitation", "pricePerCubicMeter": 1.5, "note": "n" } ],
              "subscriptionPerYear": { "15": 40, "20": 200.5 } },
            { "from": "2026-01-01",
              "drinkingWater": [ { "upToCubicMeters": null, "pricePerCubicMeter": 3 } ],
              "subscriptionPerYear": { "15": 41 } }
          ]
        }
        """;

    /// <summary>The valid tariff with one change; the change must apply (else the test would prove nothing).</summary>
    private static string With(string oldText, string newText)
    {
        Assert.Contains(oldText, Valid);
        return Valid.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static EglTariffInvalidException Invalid(string json, params string[] expected)
    {
        var error = Assert.Throws<EglTariffInvalidException>(() => TariffReader.ReadText(json, File));
        Assert.Equal("EglTariffInvalid", error.ErrorId);
        Assert.Contains(File, error.Message);
        Assert.Equal(File, error.File);
        foreach (var e in expected) Assert.Contains(e, error.Message);
        return error;
    }

    [Fact]
    public void A_valid_file_is_read_with_decimals_open_ends_and_sorted_periods()
    {
        var tariff = TariffReader.ReadText(Valid, File);
        Assert.Equal("Test tariff", tariff.Name);
        Assert.Equal(File, tariff.File);
        Assert.Equal("a test", tariff.Source);
        Assert.Equal(2, tariff.Periods.Count);
        var first = tariff.Periods[0];
        Assert.Equal(new DateTime(2025, 1, 1), first.From);
        Assert.Equal(new DateTime(2025, 12, 31), first.To);
        Assert.Equal("first", first.Note);
        Assert.Equal([12m, 180m, (decimal?)null], first.DrinkingWater.Select(t => t.UpToCubicMeters));
        Assert.Equal([0m, 1.25m, 2.5m], first.DrinkingWater.Select(t => t.PricePerCubicMeter));
        Assert.Equal("s", first.DrinkingWater[2].Source);
        Assert.Equal(1.5m, first.OtherPerCubicMeter);
        Assert.Equal(200.5m, first.SubscriptionPerYear[20]);
        Assert.Null(tariff.Periods[1].To);
        Assert.Empty(tariff.Periods[1].PerCubicMeter);
        Assert.Same(tariff.Periods[1], tariff.PeriodOf(new DateTime(2099, 5, 1)));
        Assert.Null(tariff.PeriodOf(new DateTime(2024, 12, 31)));
    }

    [Fact]
    public void Numbers_are_read_the_same_whatever_the_current_culture()
    {
        using var culture = new CultureScope("fr-FR");
        Assert.Equal(1.25m, TariffReader.ReadText(Valid, File).Periods[0].DrinkingWater[1].PricePerCubicMeter);
        Assert.Equal(new DateTime(2025, 12, 31), TariffReader.ReadText(Valid, File).Periods[0].To);
    }

    [Fact]
    public void The_shipped_grid_loads_and_its_figures_are_the_2026_table()
    {
        var tariff = TariffReader.Default();
        Assert.Same(tariff, TariffReader.Default());
        Assert.Equal("Eau du Grand Lyon 2026 (households)", tariff.Name);
        Assert.Equal("EUR", tariff.Currency);
        Assert.Contains("second-hand", tariff.Note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Tarif-general-2026.pdf", tariff.Source);
        Assert.Contains("billing.py", tariff.Source);
        var period = Assert.Single(tariff.Periods);
        Assert.Equal(new DateTime(2026, 1, 1), period.From);
        Assert.Equal(new DateTime(2026, 12, 31), period.To);
        Assert.Equal([12m, 180m, (decimal?)null], period.DrinkingWater.Select(t => t.UpToCubicMeters));
        Assert.Equal([0m, 1.3926m, 2.7852m], period.DrinkingWater.Select(t => t.PricePerCubicMeter));
        Assert.Equal(
            [1.4495m, 0.4115m, 0.0559m, 0.0561m, 0.0471m, 0.0211m, 0.0095m],
            period.PerCubicMeter.Select(i => i.PricePerCubicMeter));
        Assert.Equal(2.0507m, period.OtherPerCubicMeter);
        var expected = new Dictionary<int, decimal>
        {
            [15] = 50.66m,
            [20] = 242.87m,
            [30] = 378.85m,
            [40] = 783.53m,
            [50] = 1265.70m,
            [60] = 1498.18m,
            [80] = 2324.76m,
            [100] = 3843.85m,
            [150] = 6157.54m,
            [200] = 6734.43m,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), period.SubscriptionPerYear.OrderBy(p => p.Key));
        Assert.Null(period.SubscriptionForAnyDiameter);
        Assert.All(period.DrinkingWater, t => Assert.False(string.IsNullOrWhiteSpace(t.Source)));
        Assert.All(period.PerCubicMeter, i => Assert.False(string.IsNullOrWhiteSpace(i.Source)));
        Assert.Contains(period.PerCubicMeter, i => i.Name.Contains("assainissement collectif", StringComparison.Ordinal));
        Assert.Contains(period.PerCubicMeter, i => i.Name.Contains("redevance consommation", StringComparison.Ordinal));
    }

    [Fact]
    public void A_syntax_error_gives_its_line_and_position()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"currency\": \"EUR\"\n  \"periods\": []\n}";
        var error = Invalid(json, "JSON syntax error at line 4, position 3");
        Assert.IsAssignableFrom<EglException>(error);
        Invalid(string.Empty, "JSON syntax error");
    }

    [Fact]
    public void The_root_must_be_an_object() => Invalid("[1, 2]", "the root must be an object, not an array");

    [Fact]
    public void A_missing_or_empty_name_is_named()
    {
        Invalid(With("\"name\": \"Test tariff\",", string.Empty), "the root has no \"name\"");
        Invalid(With("\"name\": \"Test tariff\"", "\"name\": \"  \""), "the root has no \"name\" (it is empty)");
    }

    [Fact]
    public void A_currency_other_than_EUR_is_refused()
    {
        Invalid(With("\"currency\": \"EUR\"", "\"currency\": \"USD\""), "\"currency\" is \"USD\"; only EUR is supported");
        Invalid(With("\"currency\": \"EUR\",", string.Empty), "the root has no \"currency\"");
    }

    [Fact]
    public void A_tariff_without_periods_is_refused()
    {
        var none = "{ \"name\": \"x\", \"currency\": \"EUR\", \"periods\": [] }";
        Invalid(none, "\"periods\" is empty");
        Invalid("{ \"name\": \"x\", \"currency\": \"EUR\" }", "the root has no \"periods\" array");
    }

    [Fact]
    public void A_period_that_starts_after_it_ends_is_refused() =>
        Invalid(With("\"to\": \"2025-12-31\"", "\"to\": \"2024-12-31\""), "periods[0] starts (2025-01-01) after it ends (2024-12-31)");

    [Fact]
    public void Overlapping_periods_are_refused()
    {
        Invalid(With("{ \"from\": \"2026-01-01\",", "{ \"from\": \"2025-12-31\","), "periods[0] (2025-01-01..2025-12-31) and periods[1] (2025-12-31..) overlap");
        // Two periods open at the start overlap too.
        Invalid(With("{ \"from\": \"2026-01-01\",", "{").Replace("\"from\": \"2025-01-01\", ", string.Empty, StringComparison.Ordinal), "overlap");
    }

    [Fact]
    public void Tier_bounds_must_increase()
    {
        Invalid(With("\"upToCubicMeters\": 180", "\"upToCubicMeters\": 12"), "periods[0].drinkingWater[1].upToCubicMeters is 12, not more than 12: tier bounds must increase");
        Invalid(With("\"upToCubicMeters\": 12,", "\"upToCubicMeters\": 0,"), "periods[0].drinkingWater[0].upToCubicMeters is 0, not more than 0");
    }

    [Fact]
    public void Only_the_last_tier_may_be_open_and_it_must_be()
    {
        Invalid(With("\"upToCubicMeters\": 180,", "\"upToCubicMeters\": null,"), "periods[0].drinkingWater[1] has no bound (upToCubicMeters null) but is not the last tier");
        Invalid(With("{ \"upToCubicMeters\": null, \"pricePerCubicMeter\": 2.5, \"source\": \"s\" }", "{ \"upToCubicMeters\": 500, \"pricePerCubicMeter\": 2.5 }"), "the last tier of periods[0].drinkingWater has a bound (500 m³)");
        Invalid(With("\"drinkingWater\": [ { \"upToCubicMeters\": null, \"pricePerCubicMeter\": 3 } ]", "\"drinkingWater\": []"), "periods[1].drinkingWater is empty");
    }

    [Fact]
    public void A_negative_price_is_refused_wherever_it_is()
    {
        Invalid(With("\"pricePerCubicMeter\": 1.25", "\"pricePerCubicMeter\": -1.25"), "periods[0].drinkingWater[1].pricePerCubicMeter is negative (-1.25)");
        Invalid(With("\"pricePerCubicMeter\": 1.5", "\"pricePerCubicMeter\": -0.01"), "periods[0].perCubicMeter[0].pricePerCubicMeter is negative (-0.01)");
        Invalid(With("\"20\": 200.5", "\"20\": -200.5"), "periods[0].subscriptionPerYear.20 is negative (-200.5)");
    }

    [Fact]
    public void A_subscription_key_must_be_a_whole_number_of_millimetres()
    {
        Invalid(With("\"20\": 200.5", "\"DN20\": 200.5"), "periods[0].subscriptionPerYear has the key \"DN20\", which is not a meter diameter");
        Invalid(With("\"20\": 200.5", "\"20.5\": 200.5"), "\"20.5\", which is not a meter diameter");
        Invalid(With("\"20\": 200.5", "\"020\": 1, \"20\": 200.5"), "gives the diameter 20 mm twice");
        Invalid(With("\"subscriptionPerYear\": { \"15\": 41 }", "\"subscriptionPerYear\": { \"source\": \"x\" }"), "periods[1].subscriptionPerYear gives no diameter");
    }

    [Fact]
    public void A_property_of_the_wrong_type_is_named_with_what_was_found()
    {
        Invalid(With("\"pricePerCubicMeter\": 1.25", "\"pricePerCubicMeter\": \"1.25\""), "periods[0].drinkingWater[1].pricePerCubicMeter must be a number, not a string (\"1.25\")");
        Invalid(With("\"from\": \"2025-01-01\"", "\"from\": 2025"), "periods[0].from must be a date string such as \"2026-01-01\", not a number (2025)");
        Invalid(With("\"from\": \"2025-01-01\"", "\"from\": \"2025-13-01\""), "periods[0].from is \"2025-13-01\", not a date written yyyy-MM-dd");
        Invalid(With("\"perCubicMeter\": [ { \"name\": \"Sanitation\", \"pricePerCubicMeter\": 1.5, \"note\": \"n\" } ]", "\"perCubicMeter\": { }"), "periods[0].perCubicMeter must be an array, not an object");
        Invalid(With("\"name\": \"Test tariff\"", "\"name\": 5"), "name must be a string, not a number (5)");
        Invalid(With("\"source\": \"a test\"", "\"source\": true"), "source must be a string, not true");
        Invalid(With("\"15\": 40", "\"15\": \"40\""), "periods[0].subscriptionPerYear.15 must be a number, not a string (\"40\")");
        Invalid(With("\"pricePerCubicMeter\": 1.25", "\"pricePerCubicMeter\": 1e40"), "is out of range for a decimal number");
        Invalid(With("\"upToCubicMeters\": 180", "\"upToCubicMeters\": 1e20"), "periods[0].drinkingWater[1].upToCubicMeters (1e20) is implausibly large");
    }

    [Fact]
    public void An_unknown_or_repeated_property_is_refused()
    {
        Invalid(With("\"perCubicMeter\":", "\"perCubicMetre\":"), "periods[0] has an unknown property \"perCubicMetre\"");
        Invalid(With("\"note\": \"n\"", "\"name\": \"again\""), "periods[0].perCubicMeter[0] has the property \"name\" twice");
    }

    [Fact]
    public void Missing_required_parts_are_named()
    {
        Invalid(With("\"pricePerCubicMeter\": 1.5", "\"price\": 1.5"), "periods[0].perCubicMeter[0] has an unknown property \"price\"");
        Invalid(With("{ \"name\": \"Sanitation\", \"pricePerCubicMeter\": 1.5, \"note\": \"n\" }", "{ \"name\": \"Sanitation\" }"), "periods[0].perCubicMeter[0] has no \"pricePerCubicMeter\"");
        Invalid(With("\"subscriptionPerYear\": { \"15\": 41 }", "\"note\": \"none\""), "periods[1] has no \"subscriptionPerYear\"");
    }

    [Fact]
    public void A_file_is_read_from_disk_and_its_path_named_in_errors()
    {
        string dir = Path.Combine(Path.GetTempPath(), "egl-cost-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string good = Path.Combine(dir, "good.json");
            System.IO.File.WriteAllText(good, Valid, new System.Text.UTF8Encoding(true)); // with a BOM
            var tariff = TariffReader.Read(good);
            Assert.Equal("Test tariff", tariff.Name);
            Assert.Equal(good, tariff.File);

            string bad = Path.Combine(dir, "bad.json");
            System.IO.File.WriteAllText(bad, With("\"currency\": \"EUR\"", "\"currency\": \"GBP\""));
            var invalid = Assert.Throws<EglTariffInvalidException>(() => TariffReader.Read(bad));
            Assert.Contains(bad, invalid.Message);

            string missing = Path.Combine(dir, "missing.json");
            var notFound = Assert.Throws<EglTariffNotFoundException>(() => TariffReader.Read(missing));
            Assert.Equal("EglTariffNotFound", notFound.ErrorId);
            Assert.Contains(missing, notFound.Message);
            Assert.Contains("does not exist", notFound.Message);
            Assert.Contains("does not exist", Assert.Throws<EglTariffNotFoundException>(() => TariffReader.Read(Path.Combine(dir, "no-such-folder", "t.json"))).Message);
            Assert.Contains("is a folder", Assert.Throws<EglTariffNotFoundException>(() => TariffReader.Read(dir)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_invalid_tariff_exception_is_an_EglException()
    {
        EglException error = new EglTariffInvalidException("f.json", "something");
        Assert.Equal("EglTariffInvalid", error.ErrorId);
        Assert.Equal("The tariff file 'f.json' is invalid: something.", error.Message);
        Assert.Contains("-PricePerCubicMeter", EglWater.Commands.EglAdvice.For(error.ErrorId).Action, StringComparison.Ordinal);
    }
}
