using EglWater.Api;
using EglWater.Api.Portal;

namespace EglWater.Tests;

public class PortalWireTests
{
    [Fact]
    public void Pkce_S256_matches_the_RFC_7636_example()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", EglPkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        // The test's own S256 (the oracle of the flow tests) on the same example, and base64url on RFC 4648's vectors.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        Assert.Equal(["", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"], new[] { "", "f", "fo", "foo", "foob", "fooba", "foobar" }.Select(t => Pkce.Base64Url(System.Text.Encoding.ASCII.GetBytes(t))));
        Assert.Equal("-_-_", Pkce.Base64Url([0xFB, 0xFF, 0xBF]));
    }

    [Fact]
    public void Pkce_verifiers_are_fresh_43_character_base64url_strings()
    {
        var verifiers = Enumerable.Range(0, 50).Select(_ => EglPkce.CreateVerifier()).ToList();
        Assert.Equal(50, verifiers.Distinct().Count());
        Assert.All(verifiers, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
        Assert.All(verifiers, v => Assert.Equal(Pkce.S256(v), EglPkce.Challenge(v)));
    }

    [Fact]
    public void Daily_volumes_have_0_based_months_and_m3_become_litres()
    {
        string json = """{"postes":[{"data":[{"consommation":0.231,"annee":2025,"mois":0,"jour":14},{"consommation":"0.3","annee":2025,"mois":11,"jour":31}]}],"unites":{"consommation":"m3"}}""";
        var v = EglPortalWire.ParseDailyVolumes("r", 200, "application/json", json);
        Assert.Equal(new DateTime(2025, 1, 14), v[0].Date);
        Assert.Equal(231, v[0].Liters);
        Assert.Equal(new DateTime(2025, 12, 31), v[1].Date);
        Assert.Equal(300, v[1].Liters);
    }

    [Fact]
    public void Daily_volumes_in_litres_are_kept_as_litres()
    {
        string json = """{"postes":[{"data":[{"consommation":231,"annee":2025,"mois":5,"jour":1}]}],"unites":{"consommation":"l"}}""";
        var v = EglPortalWire.ParseDailyVolumes("r", 200, null, json);
        Assert.Equal(new DateTime(2025, 6, 1), v[0].Date);
        Assert.Equal(231, v[0].Liters);
    }

    [Theory]
    [InlineData("""{"postes":[{"data":[{"consommation":1,"annee":2025,"mois":12,"jour":1}]}],"unites":{"consommation":"m3"}}""", "V: ", "mois 12")]
    [InlineData("""{"postes":[{"data":[{"consommation":1,"annee":2025,"mois":1,"jour":30}]}],"unites":{"consommation":"m3"}}""", "V: ", "not a valid date")]
    [InlineData("""{"postes":[{"data":[{"consommation":1,"annee":2025,"mois":1,"jour":3}]}]}""", "W: ", "without a unit")]
    [InlineData("""{"postes":[{"data":[{"consommation":1,"annee":2025,"mois":1,"jour":3}]}],"unites":{"consommation":"gallons"}}""", "W: ", "unknown unit")]
    [InlineData("""{"postes":[{"data":[{"consommation":-1,"annee":2025,"mois":1,"jour":3}]}],"unites":{"consommation":"l"}}""", "V: ", "negative")]
    public void Doubtful_daily_volumes_are_left_out_and_said_never_guessed(string json, string stream, string expected)
    {
        var log = new ListLog();
        var days = EglPortalWire.ParseDays("r", 200, null, json, 1, log);
        Assert.DoesNotContain(days, d => d.Liters.HasValue);
        Assert.Contains(log.Lines, l => l.StartsWith(stream, StringComparison.Ordinal) && l.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void An_answer_that_is_not_JSON_is_EglInvalidResponse()
    {
        var ex = Assert.Throws<EglInvalidResponseException>(() => EglPortalWire.ParseDays("r", 200, null, "<html>Request Rejected</html>", 1, new ListLog()));
        Assert.Contains("HTML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contracts_give_their_opaque_id_and_numeric_reference()
    {
        var c = EglPortalWire.ParseContracts("r", 200, null, """[{"id":"8GYAWlhGtDHS.hhF9","reference":"1895683"},{"id":"x"}]""");
        Assert.Equal("8GYAWlhGtDHS.hhF9", c[0].Id);
        Assert.Equal(1895683, c[0].SubscriptionNumber);
        Assert.Equal(2, c[1].SubscriptionNumber);
        Assert.Equal(c[0].SubscriptionNumber, EglPortalWire.ParseContracts("r", 200, null, """{"content":[{"id":"8GYAWlhGtDHS.hhF9","reference":1895683}]}""")[0].SubscriptionNumber);
    }

    [Fact]
    public void Token_answer_gives_access_token_and_expiry()
    {
        var (token, expires) = EglPortalWire.ParseToken("r", 200, null, """{"access_token":"eyJabc","token_type":"Bearer","expires_in":3599}""");
        Assert.Equal("eyJabc", token);
        Assert.Equal(3599, expires);
        Assert.Throws<EglInvalidResponseException>(() => EglPortalWire.ParseToken("r", 200, null, """{"token_type":"Bearer"}"""));
    }

    [Theory]
    [InlineData(2025, 1, 14, "2025-01-13T23:00:00.000Z")]
    [InlineData(2025, 7, 14, "2025-07-13T22:00:00.000Z")]
    public void Query_instants_are_Paris_midnight_in_UTC(int y, int m, int d, string expected)
    {
        var offset = new DateTime(y, m, d).Month is >= 4 and <= 10 ? TimeSpan.FromHours(2) : TimeSpan.FromHours(1);
        Assert.Equal(expected, EglPortalWire.FormatInstant(new DateTimeOffset(new DateTime(y, m, d), offset)));
    }
}

public class DailyVolumesTests
{
    private static EglDayRecord Volume(int day, double liters) =>
        new(7, new DateTime(2025, 1, day), null, EglReadingType.Real, string.Empty, liters);

    [Fact]
    public void Volumes_become_measured_daily_rows_and_absent_days_stay_absent()
    {
        var pipeline = new EglWater.Engine.ConsumptionPipeline(7, new DateTime(2025, 1, 1), new DateTime(2025, 1, 5), EglWater.EglGranularity.Day, interpolate: true);
        var rows = pipeline.Add([Volume(1, 231), Volume(3, 250)]).Concat(pipeline.Complete()).ToList();
        Assert.Equal([new DateTime(2025, 1, 1), new DateTime(2025, 1, 3)], rows.Select(r => r.Date));
        Assert.Equal([231.0, 250.0], rows.Select(r => r.Liters!.Value));
        Assert.All(rows, r => Assert.Equal(EglWater.EglQuality.Measured, r.Quality));
        Assert.All(rows, r => Assert.Equal(7, r.SubscriptionNumber));
        Assert.Equal(
            [(new DateTime(2025, 1, 2), new DateTime(2025, 1, 2)), (new DateTime(2025, 1, 4), new DateTime(2025, 1, 5))],
            pipeline.Diagnostics.DaysNotGiven);
    }

    [Fact]
    public void A_month_with_absent_days_is_not_complete_and_sums_only_what_was_given()
    {
        var pipeline = new EglWater.Engine.ConsumptionPipeline(7, new DateTime(2025, 1, 1), new DateTime(2025, 1, 31), EglWater.EglGranularity.Month, interpolate: true);
        var month = pipeline.Add(Enumerable.Range(1, 31).Where(d => d != 15).Select(d => Volume(d, 100)).ToList()).Concat(pipeline.Complete()).Single();
        Assert.Equal(3000, month.Liters);
        Assert.Equal(31, month.Days);
        Assert.Equal(30, month.DaysWithData);
        Assert.False(month.Complete);
    }
}

public class ParisTimeTests
{
    [Theory]
    [InlineData("2025-01-14T22:59:00Z", "2025-01-14")]
    [InlineData("2025-01-14T23:00:00Z", "2025-01-15")]
    [InlineData("2025-07-14T21:59:00Z", "2025-07-14")]
    [InlineData("2025-07-14T22:00:00Z", "2025-07-15")]
    [InlineData("2024-03-30T22:59:59Z", "2024-03-30")] // the nights of the changes, offsets written by hand
    [InlineData("2024-03-30T23:00:00Z", "2024-03-31")]
    [InlineData("2024-03-31T21:59:59Z", "2024-03-31")]
    [InlineData("2024-03-31T22:00:00Z", "2024-04-01")]
    [InlineData("2024-10-26T21:59:59Z", "2024-10-26")]
    [InlineData("2024-10-26T22:00:00Z", "2024-10-27")]
    [InlineData("2024-10-27T22:59:59Z", "2024-10-27")]
    [InlineData("2024-10-27T23:00:00Z", "2024-10-28")]
    [InlineData("2026-03-29T21:59:59Z", "2026-03-29")]
    [InlineData("2026-03-29T22:00:00Z", "2026-03-30")]
    [InlineData("2026-10-25T22:59:59Z", "2026-10-25")]
    [InlineData("2026-10-25T23:00:00Z", "2026-10-26")]
    public void Today_is_the_Paris_day_whatever_the_machine_zone(string utc, string expected)
    {
        var now = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, EglWater.Api.EglParisTime.TodayAt(now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(2024, 3, 30, 1)] // last Sundays of March and October 2024-2026: the offsets written by hand
    [InlineData(2024, 3, 31, 1)] // midnight comes before the 02:00 change
    [InlineData(2024, 4, 1, 2)]
    [InlineData(2024, 10, 26, 2)]
    [InlineData(2024, 10, 27, 2)] // midnight comes before the 03:00 change back
    [InlineData(2024, 10, 28, 1)]
    [InlineData(2025, 3, 30, 1)]
    [InlineData(2025, 3, 31, 2)]
    [InlineData(2025, 10, 26, 2)]
    [InlineData(2025, 10, 27, 1)]
    [InlineData(2026, 3, 29, 1)]
    [InlineData(2026, 3, 30, 2)]
    [InlineData(2026, 10, 25, 2)]
    [InlineData(2026, 10, 26, 1)]
    [InlineData(2024, 2, 29, 1)]
    [InlineData(2024, 7, 14, 2)]
    public void Midnight_carries_the_season_offset(int y, int m, int d, int hours)
    {
        var midnight = EglWater.Api.EglParisTime.Midnight(new DateTime(y, m, d));
        Assert.Equal(TimeSpan.FromHours(hours), midnight.Offset);
        Assert.Equal(new DateTime(y, m, d), midnight.DateTime);
    }
}
