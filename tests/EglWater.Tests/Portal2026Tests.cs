using System.Net;
using System.Net.Http;
using EglWater.Api;
using EglWater.Api.Portal;
using EglWater.Engine;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>The customer portal as it answers in 2026: index and leak signals with units per field, the login's new shape, contract details, revoke.</summary>
public class Portal2026Tests
{
    private const string Route = "consommationsJournalieres";

    /// <summary>The real capture of a Téléo meter's daily answer (morgeek/HA-Plugin-pour-Eau-du-Grand-Lyon, tests/test_daily_unit_conversion.py).</summary>
    private const string RealCapture = """
        { "unites": { "consommation": "l", "index": "l", "debitMin": "L/h", "volumeEstimeFuite": "l" },
          "postes": [ { "libelle": "toutes heures",
                        "data": [ { "annee": 2026, "mois": 6, "jour": 15, "consommation": 408,
                                    "index": 1091581, "debitMin": 250, "volumeEstimeFuite": 1500 } ] } ] }
        """;

    private static IReadOnlyList<EglDayRecord> Parse(string json, ListLog? log = null) =>
        EglPortalWire.ParseDays(Route, 200, "application/json", json, 1895683, log ?? new ListLog());

    /// <summary>An answer with the given units ("field", "unit", ...) and items in one poste.</summary>
    private static string Answer(string[] units, string items)
    {
        var pairs = new List<string>();
        for (int i = 0; i < units.Length; i += 2) pairs.Add("\"" + units[i] + "\":\"" + units[i + 1] + "\"");
        return "{\"unites\":{" + string.Join(",", pairs) + "},\"postes\":[{\"libelle\":\"toutes heures\",\"data\":[" + items + "]}]}";
    }

    [Fact]
    public void The_real_capture_gives_408_litres_index_1091581_250_L_per_h_and_1500_L_on_15_July_2026()
    {
        var day = Parse(RealCapture).Single();
        Assert.Equal(new DateTime(2026, 7, 15), day.Date);   // mois 6 counted from 0 is July
        Assert.Equal(408, day.Liters);
        Assert.Equal(1_091_581, day.Index);
        Assert.Equal(250, day.MinimumFlowLitersPerHour);
        Assert.Equal(1_500, day.EstimatedLeakLiters);
        Assert.Equal(EglReadingType.Real, day.Type);
        Assert.Equal(1_091_581, day.ToReading()!.Index);
        Assert.Equal(string.Empty, day.ToReading()!.RawType);
    }

    [Theory]
    [InlineData("l", 1.0)]
    [InlineData("L", 1.0)]
    [InlineData("litre", 1.0)]
    [InlineData("litres", 1.0)]
    [InlineData("m3", 1000.0)]
    [InlineData("m³", 1000.0)]
    [InlineData(" M3 ", 1000.0)]
    public void Every_volume_unit_spelling_gives_litres(string unit, double factor)
    {
        string json = Answer(["consommation", unit, "index", unit, "volumeEstimeFuite", unit, "debitMin", "L/h"], """{"annee":2025,"mois":0,"jour":14,"consommation":0.5,"index":1200.25,"volumeEstimeFuite":0.125,"debitMin":3}""");
        var day = Parse(json).Single();
        Assert.Equal((0.5 * factor, 1200.25 * factor, 0.125 * factor), (day.Liters!.Value, day.Index!.Value, day.EstimatedLeakLiters!.Value));
    }

    [Theory]
    [InlineData("L/h", 1.0)]
    [InlineData("l/h", 1.0)]
    [InlineData("litres / h", 1.0)]
    [InlineData("litres/h", 1.0)]
    [InlineData("m3/h", 1000.0)]
    [InlineData("m³/h", 1000.0)]
    public void Every_flow_unit_spelling_gives_litres_per_hour(string unit, double factor)
    {
        string json = Answer(["consommation", "l", "debitMin", unit], """{"annee":2025,"mois":0,"jour":14,"consommation":10,"debitMin":0.015}""");
        Assert.Equal(0.015 * factor, Parse(json).Single().MinimumFlowLitersPerHour!.Value, 9);
    }

    [Theory]
    [InlineData("consommation=l;index=l;debitMin=L/h", "volumeEstimeFuite", "without a unit")]
    [InlineData("consommation=l;index=gallons;debitMin=L/h;volumeEstimeFuite=l", "index", "unknown unit 'gallons'")]
    [InlineData("consommation=l;index=l;debitMin=l;volumeEstimeFuite=l", "debitMin", "unknown unit 'l'")]
    public void A_field_whose_unit_is_missing_or_unknown_is_left_empty_with_one_warning_never_guessed(string unitList, string field, string said)
    {
        var log = new ListLog();
        string items = string.Join(",", Enumerable.Range(14, 3).Select(d => $$"""{"annee":2025,"mois":0,"jour":{{d}},"consommation":300,"index":{{1000 + d}},"debitMin":2,"volumeEstimeFuite":0}"""));
        string[] units = unitList.Split(';').SelectMany(p => p.Split('=')).ToArray();
        var days = Parse(Answer(units, items), log);
        Assert.Equal(3, days.Count);
        double?[] values = field switch
        {
            "index" => days.Select(d => d.Index).ToArray(),
            "debitMin" => days.Select(d => d.MinimumFlowLitersPerHour).ToArray(),
            _ => days.Select(d => d.EstimatedLeakLiters).ToArray(),
        };
        Assert.All(values, v => Assert.Null(v));
        Assert.All(days, d => Assert.Equal(300, d.Liters));
        var warnings = log.Lines.Where(l => l.StartsWith("W: ", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains("'" + field + "'", warnings[0], StringComparison.Ordinal);
        Assert.Contains(said, warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_items_are_skipped_with_a_verbose_line_naming_them_and_the_rest_is_kept()
    {
        var log = new ListLog();
        string items = """
            {"annee":2025,"mois":0,"jour":14,"consommation":300,"index":1000},
            null,
            "2025-01-15",
            {"annee":2025,"mois":0,"jour":16,"consommation":"beaucoup","index":1600},
            {"annee":2025,"mois":1,"jour":30,"consommation":1,"index":1700},
            {"annee":2025,"mois":0,"jour":17,"consommation":310,"index":1910}
            """;
        var days = Parse(Answer(["consommation", "l", "index", "l"], items), log);
        Assert.Equal([new DateTime(2025, 1, 14), new DateTime(2025, 1, 17)], days.Select(d => d.Date));
        var verbose = log.Lines.Where(l => l.StartsWith("V: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, verbose.Count);
        Assert.Contains(verbose, l => l.Contains("item 2 of poste 'toutes heures'", StringComparison.Ordinal) && l.Contains("null", StringComparison.Ordinal));
        Assert.Contains(verbose, l => l.Contains("item 3", StringComparison.Ordinal) && l.Contains("not an object (string)", StringComparison.Ordinal));
        Assert.Contains(verbose, l => l.Contains("item 4", StringComparison.Ordinal) && l.Contains("'consommation' of 2025-01-16 is not a number", StringComparison.Ordinal));
        Assert.Contains(verbose, l => l.Contains("item 5", StringComparison.Ordinal) && l.Contains("not a valid date", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_postes_of_one_day_are_summed_and_an_index_only_when_every_poste_gives_one()
    {
        string json = """
            {"unites":{"consommation":"l","index":"l","volumeEstimeFuite":"l","debitMin":"L/h"},
             "postes":[
               {"libelle":"heures pleines","data":[{"annee":2025,"mois":0,"jour":14,"consommation":200,"index":5000,"volumeEstimeFuite":10,"debitMin":1},
                                                   {"annee":2025,"mois":0,"jour":15,"consommation":220,"index":5220}]},
               {"libelle":"heures creuses","data":[{"annee":2025,"mois":0,"jour":14,"consommation":100,"index":3000,"volumeEstimeFuite":5,"debitMin":2},
                                                   {"annee":2025,"mois":0,"jour":15,"consommation":90}]}]}
            """;
        var days = Parse(json);
        Assert.Equal((300.0, 8000.0, 15.0, 3.0), (days[0].Liters!.Value, days[0].Index!.Value, days[0].EstimatedLeakLiters!.Value, days[0].MinimumFlowLitersPerHour!.Value));
        Assert.Equal(310, days[1].Liters);
        Assert.Null(days[1].Index);
    }

    [Fact]
    public void The_contract_search_gives_the_meter_diameter_residents_usage_status_and_battery()
    {
        string json = """
            {"content":[{"id":"abc.123","reference":"1895683","statutExtrait":"Actif",
              "servicesSouscrits":[{"calibreCompteur":{"code":"20","libelle":"DN20"}}],
              "nombreHabitants":{"libelle":"4"},"usage":{"libelle":"Domestique"},
              "pointDeReleve":{"moduleRadio":{"etatPile":"FAIBLE"}}},
              {"id":"def.456","reference":"2000001"}],"totalElements":2}
            """;
        var contracts = EglPortalWire.ParseContracts("rechercher", 200, "application/json", json);
        var c = contracts[0];
        Assert.Equal((1895683L, "1895683", "Actif", (int?)20, (int?)4, "Domestique", (bool?)false), (c.SubscriptionNumber, c.Reference, c.Status, c.MeterDiameter, c.Residents, c.Usage, c.MeterBatteryOk));
        var bare = contracts[1];
        Assert.Equal((2000001L, (int?)null, (int?)null, (bool?)null), (bare.SubscriptionNumber, bare.MeterDiameter, bare.Residents, bare.MeterBatteryOk));
        Assert.Equal(true, EglPortalWire.BatteryOk("OK"));
        Assert.Null(EglPortalWire.BatteryOk("inconnu"));
    }

    [Fact]
    public async Task The_login_form_and_the_authorize_step_carry_a_browsers_navigation_headers_and_the_modules_token()
    {
        var portal = new FakePortal();
        await portal.Session().LoginAsync(FastOptions(), CancellationToken.None);
        foreach (var r in portal.Requests.Where(r => r.RequestUri!.AbsolutePath.Contains("authentification", StringComparison.Ordinal) || r.RequestUri!.AbsolutePath.Contains("authorize", StringComparison.Ordinal)))
        {
            Assert.StartsWith("text/html", string.Join(",", r.Headers.GetValues("Accept")), StringComparison.Ordinal);
            Assert.StartsWith("fr-FR", string.Join(",", r.Headers.GetValues("Accept-Language")), StringComparison.Ordinal);
            string agent = string.Join(" ", r.Headers.GetValues("User-Agent"));
            Assert.StartsWith("Mozilla/5.0", agent, StringComparison.Ordinal);
            Assert.Single(r.Headers.UserAgent, p => p.Product?.Name == "EglWater");
        }

        var data = portal.Requests.First(r => r.RequestUri!.AbsolutePath.EndsWith("/contrats", StringComparison.Ordinal));
        Assert.DoesNotContain("Mozilla", string.Join(" ", data.Headers.GetValues("User-Agent")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task The_client_role_step_is_optional(HttpStatusCode status)
    {
        var portal = new FakePortal { RolesStatus = status };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(1895683, session.SubscriptionNumber);
        Assert.Single(portal.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("/roles", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contracts_come_from_the_2026_search_and_from_the_older_list_when_the_search_answers_404()
    {
        var modern = new FakePortal { ContractSearchBody = """{"content":[{"id":"opaque.id","reference":"1895683","statutExtrait":"Actif","servicesSouscrits":[{"calibreCompteur":{"libelle":"DN15"}}]}]}""" };
        var session = modern.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(15, session.SubscriptionDetails.Single().MeterDiameter);
        Assert.DoesNotContain(modern.Requests, r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/produits/contrats", StringComparison.Ordinal));
        var search = modern.Requests.Single(r => r.RequestUri!.AbsolutePath.EndsWith("/rechercher", StringComparison.Ordinal));
        Assert.Contains("expand=", search.RequestUri!.Query, StringComparison.Ordinal);

        var older = new FakePortal();
        var fallback = older.Session();
        await fallback.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal([1895683L, 42L], fallback.Subscriptions);
        Assert.Null(fallback.SubscriptionDetails[0].MeterDiameter);
    }

    [Fact]
    public async Task The_authorize_step_follows_redirects_on_the_portals_host_and_reads_the_code_in_the_fragment()
    {
        var portal = new FakePortal
        {
            AuthorizeResponse = r =>
            {
                var answer = new HttpResponseMessage(HttpStatusCode.Found);
                answer.Headers.Location = r.RequestUri!.AbsolutePath.EndsWith("/auth/authorize-internet", StringComparison.Ordinal)
                    ? new Uri("/application/auth/authorize-internet/suite?etape=1", UriKind.Relative)
                    : r.RequestUri.Query.Contains("etape=1", StringComparison.Ordinal)
                        ? new Uri(FakePortal.Base + "auth/authorize-internet/suite?etape=2")
                        : new Uri("https://agence.eaudugrandlyon.com/autorisation-callback.html#state=&code=fragment-code");
                return answer;
            },
        };
        await portal.Session().LoginAsync(FastOptions(), CancellationToken.None);
        var hops = portal.Requests.Where(r => r.RequestUri!.AbsolutePath.Contains("authorize-internet", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, hops.Count);
        Assert.DoesNotContain(portal.Requests, r => r.RequestUri!.AbsolutePath.Contains("autorisation-callback", StringComparison.Ordinal));
        Assert.Contains(portal.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("tokenUtilisateurInternet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://login.evil.example/sso?code=stolen", "another host (login.evil.example)")]
    [InlineData("https://agence.eaudugrandlyon.com/autorisation-callback.html?state=x", "registered callback carries no authorization code")]
    [InlineData("/application/auth/authorize-internet/suite", "after 5 redirects")]
    public async Task The_authorize_step_never_follows_another_host_nor_the_callback_nor_endlessly(string location, string said)
    {
        var portal = new FakePortal
        {
            AuthorizeResponse = _ =>
            {
                var answer = new HttpResponseMessage(HttpStatusCode.Found);
                answer.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
                return answer;
            },
        };
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains(said, ex.Message, StringComparison.Ordinal);
        Assert.All(portal.Requests, r => Assert.Equal("agence.example.test", r.RequestUri!.Host));
        Assert.True(portal.Requests.Count(r => r.RequestUri!.AbsolutePath.Contains("authorize-internet", StringComparison.Ordinal)) <= 6);
        Assert.DoesNotContain(portal.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("tokenUtilisateurInternet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Closing_revokes_the_token_once_and_a_refused_revocation_is_harmless()
    {
        var portal = new FakePortal();
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var log = new ListLog();
        await session.CloseAsync(FastOptions(log), CancellationToken.None);
        Assert.Equal(1, portal.Revokes);
        Assert.Equal("token=tok1", portal.RevokeBody);
        await session.CloseAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(1, portal.Revokes);
        await Assert.ThrowsAsync<EglNotConnectedException>(() => session.ReadDaysAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None));

        var failing = new FakePortal { RevokeStatus = HttpStatusCode.InternalServerError };
        var other = failing.Session();
        await other.LoginAsync(FastOptions(), CancellationToken.None);
        var quiet = new ListLog();
        var options = FastOptions(quiet);
        options.MaximumRetryCount = 0;
        await other.CloseAsync(options, CancellationToken.None);
        Assert.Equal(1, failing.Revokes);
        Assert.Contains(quiet.Lines, l => l.StartsWith("V: The portal did not revoke", StringComparison.Ordinal));
        Assert.False(other.IsConnected);
    }

    [Fact]
    public async Task A_session_reads_the_2026_days_with_their_index_and_signals()
    {
        var portal = new FakePortal { DataBody = _ => RealCapture };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(EglIndexAvailability.Sometimes, session.Indexes);
        var day = (await session.ReadDaysAsync(1895683, new DateTime(2026, 7, 1), new DateTime(2026, 7, 31), FastOptions(), CancellationToken.None)).Single();
        Assert.Equal((1_091_581.0, 408.0, 250.0, 1_500.0), (day.Index!.Value, day.Liters!.Value, day.MinimumFlowLitersPerHour!.Value, day.EstimatedLeakLiters!.Value));
    }

    [Fact]
    public void With_indexes_the_portal_gets_the_index_engine_and_its_rows_equal_those_from_volumes_where_both_agree()
    {
        // Six days whose volumes are the index differences: both modes must give the same litres, every day Measured.
        long[] index = [1000, 1310, 1590, 1870, 2260, 2511, 2800];
        string items = string.Join(",", Enumerable.Range(0, index.Length).Select(i =>
            $$"""{"annee":2025,"mois":0,"jour":{{13 + i}},"index":{{index[i]}}{{(i > 0 ? ",\"consommation\":" + (index[i] - index[i - 1]) : string.Empty)}},"debitMin":{{i % 2}},"volumeEstimeFuite":0}"""));
        var withIndex = Parse(Answer(["consommation", "l", "index", "l", "debitMin", "L/h", "volumeEstimeFuite", "l"], items));
        var volumesOnly = withIndex.Select(r => new EglDayRecord(r.SubscriptionNumber, r.Date, null, r.Type, r.RawType, r.Liters, r.MinimumFlowLitersPerHour, r.EstimatedLeakLiters)).ToList();
        DateTime from = new(2025, 1, 14), to = new(2025, 1, 19);
        List<EglConsumption> Rows(IReadOnlyList<EglDayRecord> records, out ConsumptionMode mode)
        {
            var pipeline = new ConsumptionPipeline(1895683, from, to, EglGranularity.Day, interpolate: true);
            var rows = pipeline.Add(records).Concat(pipeline.Complete()).ToList();
            mode = pipeline.Mode;
            return rows;
        }

        var a = Rows(withIndex, out var modeA);
        var b = Rows(volumesOnly, out var modeB);
        Assert.Equal((ConsumptionMode.Index, ConsumptionMode.Volume), (modeA, modeB));
        Assert.Equal(6, a.Count);
        Assert.Equal(index.Skip(1).Zip(index, (x, y) => (double)(x - y)), a.Select(r => r.Liters!.Value));
        Assert.Equal(a.Select(r => (r.Date, r.Liters, r.Quality, r.MinimumFlowLitersPerHour)), b.Select(r => (r.Date, r.Liters, r.Quality, r.MinimumFlowLitersPerHour)));
        Assert.All(a, r => Assert.Equal(EglQuality.Measured, r.Quality));
        var month = ConsumptionAggregator.Aggregate(a, EglGranularity.Month, from, to).Single();
        Assert.Equal((1.0, 0.0), (month.MinimumFlowLitersPerHour!.Value, month.EstimatedLeakLiters!.Value));
    }
}
