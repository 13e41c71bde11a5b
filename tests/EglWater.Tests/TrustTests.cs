using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using EglWater.Api;
using EglWater.Api.Portal;
using EglWater.Engine;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>
/// The trust fixes: no wrong number at a range edge, no secret in an error, a closed session stays closed,
/// a failed renewal is not hammered, bad answers are clear errors. Each of these failed before its fix.
/// </summary>
public class TrustTests
{
    private static readonly DateTime Day14 = new(2025, 1, 14);
    private static readonly DateTime Day15 = new(2025, 1, 15);

    private static DateTime D(int m, int d) => new(2025, m, d);

    private static EglIndexReading R(DateTime day, double index, string type = "R") => new(1, day, index, type);

    // ---- Data truth: holes are never gaps ---------------------------------------------------------------

    [Fact]
    public void A_failed_chunk_between_two_good_ones_is_Missing_never_interpolated()
    {
        var builder = new DailyConsumptionBuilder(D(1, 2), D(1, 12));
        var rows = new List<EglConsumption>();
        rows.AddRange(builder.Add([R(D(1, 1), 1000), R(D(1, 2), 1100), R(D(1, 3), 1200)]));
        rows.AddRange(builder.AddHole(D(1, 4), D(1, 8)));
        rows.AddRange(builder.Add([R(D(1, 9), 2000), R(D(1, 10), 2100)]));
        rows.AddRange(builder.Complete());

        Assert.Equal(Enumerable.Range(2, 9).Select(d => D(1, d)), rows.Select(r => r.Date));
        Assert.Equal([100.0, 100], rows.Take(2).Select(r => r.Liters!.Value));
        // The hole's days and the first day after it (its baseline was in the hole) are Missing, without litres.
        var lost = rows.Where(r => r.Date >= D(1, 4) && r.Date <= D(1, 9)).ToList();
        Assert.Equal(6, lost.Count);
        Assert.All(lost, r => Assert.Equal((EglQuality.Missing, (double?)null, 0), (r.Quality, r.Liters, r.DaysWithData)));
        Assert.Equal(100, rows.Single(r => r.Date == D(1, 10)).Liters);

        var month = ConsumptionAggregator.Aggregate(rows, EglGranularity.Month, D(1, 2), D(1, 12)).Single();
        Assert.Equal((11, 3, 300.0, EglQuality.Missing, false), (month.Days, month.DaysWithData, month.Liters!.Value, month.Quality, month.Complete));
    }

    [Fact]
    public void A_failed_first_or_last_chunk_gives_Missing_days_and_no_invented_ones()
    {
        var first = new DailyConsumptionBuilder(D(1, 1), D(1, 10));
        var rows = new List<EglConsumption>();
        rows.AddRange(first.AddHole(D(1, 1), D(1, 5)));
        rows.AddRange(first.Add([R(D(1, 6), 1000), R(D(1, 7), 1050)]));
        rows.AddRange(first.Complete());
        Assert.Equal(Enumerable.Range(1, 7).Select(d => D(1, d)), rows.Select(r => r.Date));
        Assert.All(rows.Take(6), r => Assert.Equal(EglQuality.Missing, r.Quality));
        Assert.Equal(50, rows[6].Liters);

        var last = new DailyConsumptionBuilder(D(1, 2), D(1, 10), interpolate: false);
        last.SetSubscription(1);
        var tail = new List<EglConsumption>();
        tail.AddRange(last.Add([R(D(1, 1), 1000), R(D(1, 2), 1050)]));
        tail.AddRange(last.AddHole(D(1, 3), D(1, 10)));
        tail.AddRange(last.Complete());
        Assert.Equal(2, tail.Count);
        Assert.Equal((D(1, 3), D(1, 10), 8, EglQuality.Missing), (tail[1].Date, tail[1].EndDate, tail[1].Days, tail[1].Quality));

        var none = new DailyConsumptionBuilder(D(1, 2), D(1, 3));
        none.SetSubscription(7);
        none.AddHole(D(1, 1), D(1, 3));
        Assert.Equal([(7L, EglQuality.Missing), (7L, EglQuality.Missing)], none.Complete().Select(r => (r.SubscriptionNumber, r.Quality)));
    }

    // ---- Data truth: date edges -------------------------------------------------------------------------

    [Theory]
    [InlineData("0001-01-01", "0001-01-05")]
    [InlineData("9999-12-01", "9999-12-31")]
    [InlineData("0001-01-01", "9999-12-31")]
    public void Ranges_at_the_edges_of_DateTime_are_computed_without_overflow(string fromText, string toText)
    {
        DateTime from = DateTime.Parse(fromText, System.Globalization.CultureInfo.InvariantCulture), to = DateTime.Parse(toText, System.Globalization.CultureInfo.InvariantCulture);
        var rows = ConsumptionCalculator.Daily([R(new DateTime(2024, 1, 1), 10), R(new DateTime(2024, 1, 2), 20)], from, to);
        foreach (var g in new[] { EglGranularity.Week, EglGranularity.Month, EglGranularity.Year })
            Assert.NotNull(ConsumptionAggregator.Aggregate(rows, g, from, to));
        Assert.True(DateRange.TryResolve(null, DateTime.MinValue.AddDays(3), new DateTime(2026, 3, 15), out var f, out var t, out _));
        Assert.Equal((DateTime.MinValue, DateTime.MinValue.AddDays(3)), (f, t));
        // (Was "FetchWindow(...) ?? expected", which passed when FetchWindow gave nothing.) A range entirely after today
        // or before 2000 reads nothing; any other is cut to [EarliestServedDay, today].
        var window = DateRange.FetchWindow(from, to, new DateTime(2026, 3, 15), dayBefore: true);
        if (to < DateRange.EarliestServedDay || from > new DateTime(2026, 3, 15)) Assert.Null(window);
        else Assert.Equal((from < DateRange.EarliestServedDay ? DateRange.EarliestServedDay : from.AddDays(-1), to > new DateTime(2026, 3, 15) ? new DateTime(2026, 3, 15) : to), window);
    }

    [Fact]
    public void The_fetch_window_never_asks_for_the_future_nor_before_the_earliest_served_day()
    {
        var today = new DateTime(2026, 3, 15);
        Assert.Equal((new DateTime(2025, 12, 31), today), DateRange.FetchWindow(new DateTime(2026, 1, 1), DateTime.MaxValue, today, dayBefore: true));
        Assert.Equal((DateRange.EarliestServedDay, new DateTime(2024, 5, 1)), DateRange.FetchWindow(DateTime.MinValue, new DateTime(2024, 5, 1), today, dayBefore: true));
        Assert.Null(DateRange.FetchWindow(new DateTime(2027, 1, 1), new DateTime(2027, 2, 1), today, dayBefore: true));
    }

    [Fact]
    public void A_portal_day_with_an_impossible_date_is_left_out_with_a_verbose_line_not_a_raw_exception()
    {
        foreach (string day in new[] { """{"annee":99999,"mois":0,"jour":1,"consommation":1}""", """{"annee":2025,"mois":1,"jour":30,"consommation":1}""", """{"annee":2025,"mois":12,"jour":1,"consommation":1}""" })
        {
            string json = """{"postes":[{"data":[DAY,{"annee":2025,"mois":0,"jour":2,"consommation":7}]}],"unites":{"consommation":"l"}}""".Replace("DAY", day);
            var log = new ListLog();
            var days = EglPortalWire.ParseDays("consommationsJournalieres", 200, "application/json", json, 1, log);
            Assert.Equal([(new DateTime(2025, 1, 2), (double?)7)], days.Select(d => (d.Date, d.Liters)));
            Assert.Contains(log.Lines, l => l.StartsWith("V: ", StringComparison.Ordinal) && l.Contains("not a valid date", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Several_postes_of_one_day_are_summed_never_overwritten()
    {
        string json = """
            {"postes":[
              {"libelle":"toutes heures","data":[{"annee":2025,"mois":0,"jour":14,"consommation":100},{"annee":2025,"mois":0,"jour":15,"consommation":10}]},
              {"libelle":"compteur 2","data":[{"annee":2025,"mois":0,"jour":14,"consommation":250}]}],
             "unites":{"consommation":"l"}}
            """;
        var v = EglPortalWire.ParseDailyVolumes("consommationsJournalieres", 200, "application/json", json);
        Assert.Equal([(Day14, 350.0), (Day15, 10.0)], v.Select(x => (x.Date, x.Liters)));
    }

    // ---- Secrets ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("null")]
    [InlineData("\"3600s\"")]
    [InlineData("{\"s\":3600}")]
    public async Task A_token_answer_with_an_invalid_expiry_never_shows_the_token(string expiresIn)
    {
        const string token = "eyJhbGciOiJSUzI1NiJ9.SECRET-ACCESS-TOKEN.sig";
        const string refresh = "REFRESH-TOKEN-VALUE-42";
        var portal = new FakePortal { TokenBody = _ => $$"""{"access_token":"{{token}}","refresh_token":"{{refresh}}","id_token":"ID-TOKEN-VALUE","expires_in":{{expiresIn}}}""" };
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains("expires_in", ex.Message, StringComparison.Ordinal);
        Assert.Contains(EglRedactor.Mask, ex.Excerpt, StringComparison.Ordinal);
        foreach (var secret in new[] { token, "SECRET-ACCESS", refresh, "ID-TOKEN-VALUE" }) Assert.DoesNotContain(secret, ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_answer_of_the_wrong_shape_never_shows_the_token()
    {
        var portal = new FakePortal { TokenBody = _ => """{"accessToken":"CAMEL-CASE-TOKEN-1","token":{"value":"NESTED-TOKEN-2"},"Set-Cookie":"SESSION=COOKIE-VALUE-3"}""" };
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains("access_token", ex.Message, StringComparison.Ordinal);
        foreach (var secret in new[] { "CAMEL-CASE-TOKEN-1", "COOKIE-VALUE-3" }) Assert.DoesNotContain(secret, ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"access_token":"S3CR3T-VALUE"}""")]
    [InlineData("""{"refresh_token":"S3CR3T-VALUE"}""")]
    [InlineData("""{"accessToken":"S3CR3T-VALUE"}""")]
    [InlineData("""{"id_token":"S3CR3T-VALUE"}""")]
    [InlineData("""{"code":"S3CR3T-VALUE","state":"x"}""")]
    [InlineData("""{"code_verifier":"S3CR3T-VALUE"}""")]
    [InlineData("https://x/cb?code=S3CR3T-VALUE&state=1")]
    [InlineData("Set-Cookie: EGLSESSIONID=S3CR3T-VALUE; Path=/; HttpOnly")]
    [InlineData("Cookie: a=1; SESSION=S3CR3T-VALUE")]
    [InlineData("SESSION=S3CR3T-VALUE")]
    [InlineData("JSESSIONID=S3CR3T-VALUE")]
    [InlineData("""{"password":"S3CR3T-VALUE"}""")]
    [InlineData("""{"Password" : "S3CR3T-VALUE"}""")]
    [InlineData("PASSWORD=S3CR3T-VALUE")]
    [InlineData("pass=S3CR3T-VALUE&login=x")]
    [InlineData("passwd: S3CR3T-VALUE")]
    [InlineData("mot_de_passe=S3CR3T-VALUE")]
    [InlineData("motDePasse=S3CR3T-VALUE")]
    [InlineData("{\\\"password\\\":\\\"S3CR3T-VALUE\\\"}")]
    [InlineData("&quot;password&quot;:&quot;S3CR3T-VALUE&quot;")]
    [InlineData("Authorization: Bearer S3CR3T-VALUE")]
    [InlineData("""{"truncated":1,"access_token":"S3CR3T-VALUE""")]
    public void Secret_named_fields_are_masked_in_every_spelling(string text)
    {
        string clean = EglRedactor.Redact(text);
        Assert.DoesNotContain("S3CR3T", clean, StringComparison.Ordinal);
        Assert.Contains(EglRedactor.Mask, clean, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"codeRetour":300,"libelleRetour":"Jeton invalide"}""")]
    [InlineData("Le passage est fermé; code postal 69003")]
    public void Ordinary_words_near_secret_names_are_left_alone(string text) => Assert.Equal(text, EglRedactor.Redact(text));

    public static TheoryData<string, string> Encodings() => new()
    {
        { "verbatim", "Clé/secrète+&\"<x>" },
        { "percent", Uri.EscapeDataString("Clé/secrète+&\"<x>") },
        { "percent-lower", Uri.EscapeDataString("Clé/secrète+&\"<x>").ToLowerInvariant() },
        { "form", Uri.EscapeDataString("Clé secrète x").Replace("%20", "+") },
        { "html", WebUtility.HtmlEncode("Clé/secrète+&\"<x>'") },
        { "html-numeric", "Cl&#233;/secr&#xE8;te+&#38;&#34;&lt;x&gt;" },
        { "json", System.Text.Json.JsonSerializer.Serialize("Clé/secrète+&\"<x>").Trim('"') },
        { "json-slash", "Cl\\u00e9\\/secr\\u00E8te+&\\\"<x>" },
        { "latin1-mojibake", Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("Clé/secrète+&\"<x>")) },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_known_secret_is_masked_whatever_the_escaping_the_server_applied(string form, string echoed)
    {
        string[] secrets = ["Clé/secrète+&\"<x>", "Clé/secrète+&\"<x>'", "Clé secrète x"];
        string clean = EglRedactor.Redact($"<p>Erreur [{echoed}] fin</p>", secrets);
        Assert.Contains("[" + EglRedactor.Mask + "]", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("secr", clean, StringComparison.OrdinalIgnoreCase);
        Assert.True(form.Length > 0);
    }

    [Fact]
    public void A_Windows_1252_mojibake_of_the_secret_is_masked()
    {
        const string secret = "€uro‘quote’œ";
        string cp1252 = EglTextDecoder.Decode(Encoding.UTF8.GetBytes(secret), "windows-1252");
        Assert.NotEqual(secret, cp1252);
        Assert.Equal("<b>" + EglRedactor.Mask + "</b>", EglRedactor.Redact("<b>" + cp1252 + "</b>", [secret]));
    }

    [Fact]
    public async Task The_OAuth_error_field_goes_through_the_redactor()
    {
        var portal = new FakePortal { TokenStatus = HttpStatusCode.BadRequest, TokenBody = _ => $$"""{"error":"bad_pass_{{Password}}"}""" };
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.DoesNotContain(Password, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Code ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains(EglRedactor.Mask, ex.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_keeps_a_bounded_set_of_secrets_whatever_the_traffic()
    {
        var portal = new FakePortal { CookieValue = n => "cookie-value-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        int afterLogin = session.SecretCount;
        for (int i = 0; i < 200; i++) await session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None);
        Assert.Equal(200, portal.DataRequests);
        Assert.True(session.SecretCount <= afterLogin + 1, $"{session.SecretCount} secrets held after 200 answers (after login: {afterLogin})");
        Assert.True(session.SecretCount <= 12);
    }

    [Fact]
    public async Task The_session_keeps_a_copy_of_the_callers_SecureString()
    {
        var caller = Secure(Password);
        var portal = new FakePortal { DataStatus = n => n == 1 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK };
        var session = new EglPortalSession(new EglTransport(portal.Mock.ToHttpClient()), new Uri(FakePortal.Base), new EglCredential(Login, caller, null));
        Assert.False(caller.IsReadOnly());
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        caller.Dispose();
        // The 401 makes the session log in again with the password it copied.
        var v = await session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None);
        Assert.Equal(2, v.Count);
        Assert.Equal(2, portal.Logins);
    }

    // ---- Sessions -------------------------------------------------------------------------------------

    [Fact]
    public async Task A_closed_portal_session_never_logs_in_again_even_when_its_token_expires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var portal = new FakePortal();
        var session = portal.Session(time);
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        int sent = portal.AllRequests;
        session.Close();
        time.Advance(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<EglNotConnectedException>(() => session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None));
        await Assert.ThrowsAsync<EglNotConnectedException>(() => session.LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Equal(sent, portal.AllRequests);
        Assert.Equal(1, portal.Logins);
    }

    [Fact]
    public async Task A_portal_session_closed_during_a_read_answers_its_401_with_EglNotConnected_not_a_login()
    {
        EglPortalSession? session = null;
        var portal = new FakePortal();
        portal.DataResponse = n =>
        {
            // Disconnect-Egl in another runspace while this request is in flight; the server then says 401.
            session!.Close();
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("{}") };
        };
        session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        await Assert.ThrowsAsync<EglNotConnectedException>(() => session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None));
        Assert.Equal(1, portal.Logins);
    }

    [Fact]
    public async Task A_closed_partner_session_answers_an_expired_token_with_EglNotConnected_not_a_login()
    {
        EglPartnerSession? session = null;
        var mock = new MockHttpMessageHandler();
        var login = mock.When("*/connect.asp").Respond("application/json", LoginOk);
        mock.When("*/getAllAgregatsByAbonnement.aspx").Respond(_ =>
        {
            session!.Close();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"codeRetour":300,"libelleRetour":"Jeton expiré"}""", Encoding.UTF8, "application/json") };
        });
        session = new EglPartnerSession(new EglPartnerClient(mock.ToHttpClient()), WsBase, Credential());
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        await Assert.ThrowsAsync<EglNotConnectedException>(() => session.GetReadingsAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None));
        Assert.Equal(1, mock.GetMatchCount(login));
        Assert.Equal(1, session.LoginCount);
    }

    [Fact]
    public async Task One_failed_renewal_is_shared_by_every_queued_chunk_no_second_login()
    {
        var mock = new MockHttpMessageHandler();
        int logins = 0;
        var gate = new SemaphoreSlim(0);
        mock.When("*/connect.asp").Respond(_ =>
        {
            // The first login works; the password then changes: every later login is refused.
            int n = Interlocked.Increment(ref logins);
            string body = n == 1 ? LoginOk : """{"codeRetour":201,"libelleRetour":"Identifiant ou mot de passe incorrect"}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        });
        int data = 0;
        mock.When("*/getAllAgregatsByAbonnement.aspx").Respond(async _ =>
        {
            Interlocked.Increment(ref data);
            await gate.WaitAsync();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"codeRetour":300,"libelleRetour":"Jeton expiré"}""", Encoding.UTF8, "application/json") };
        });
        var session = new EglPartnerSession(new EglPartnerClient(mock.ToHttpClient()), WsBase, Credential());
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var reads = Enumerable.Range(0, 6).Select(i => session.GetReadingsAsync(1895683, Day14.AddYears(-i), Day15.AddYears(-i), FastOptions(), CancellationToken.None)).ToList();
        while (Volatile.Read(ref data) < 6) await Task.Delay(5);
        gate.Release(6);
        foreach (var read in reads) await Assert.ThrowsAsync<EglAuthenticationException>(() => read);
        Assert.Equal(2, logins);          // the first login and one renewal attempt: not one per chunk
        Assert.Equal(6, data);            // no chunk retried its data request after the refused renewal
    }

    [Fact]
    public async Task A_403_on_any_portal_route_blocks_the_session_no_further_request()
    {
        var portal = new FakePortal { DataStatus = _ => HttpStatusCode.Forbidden };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        await Assert.ThrowsAsync<EglBlockedException>(() => session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None));
        int sent = portal.AllRequests;
        for (int i = 0; i < 3; i++) await Assert.ThrowsAsync<EglBlockedException>(() => session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None));
        Assert.Equal(sent, portal.AllRequests);
        Assert.Equal(1, portal.DataRequests);
    }

    [Fact]
    public async Task A_403_during_a_renewal_is_one_login_attempt_and_every_waiting_caller_gets_EglBlocked()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var portal = new FakePortal { ExpiresIn = 300 };
        portal.LoginResponse = n => n == 1
            ? Answer(HttpStatusCode.NoContent, string.Empty, "EGLSESSIONID=abc123; Path=/")
            : Answer(HttpStatusCode.Forbidden, "<html>Request Rejected</html>");
        var session = portal.Session(time);
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(290));
        var reads = Enumerable.Range(0, 4).Select(_ => session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None)).ToList();
        foreach (var read in reads) await Assert.ThrowsAsync<EglBlockedException>(() => read);
        Assert.Equal(2, portal.Logins);
        Assert.Equal(0, portal.DataRequests);
    }

    [Theory]
    [InlineData(30, 14, 16)]     // a 30 s token: renewed 15 s before expiry, not before every request
    [InlineData(60, 29, 31)]
    [InlineData(3600, 3539, 3541)]
    public async Task Short_tokens_are_renewed_at_half_their_life_before_expiry(int lifetime, int stillValidAt, int renewedAt)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var portal = new FakePortal { ExpiresIn = lifetime };
        var session = portal.Session(time);
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(stillValidAt));
        await session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None);
        await session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None);
        Assert.Equal(1, portal.Logins);
        time.Advance(TimeSpan.FromSeconds(renewedAt - stillValidAt));
        await session.GetDailyVolumesAsync(1895683, Day14, Day15, FastOptions(), CancellationToken.None);
        Assert.Equal(2, portal.Logins);
    }

    [Theory]
    [InlineData(200, """{"code":"SESSION_LIMIT","message":"Le nombre maximum de connexion atteint pour cet utilisateur"}""", "EglSessionLimit", "nombre maximum")]
    [InlineData(409, """{"message":"Nombre maximum de connexion atteint"}""", "EglSessionLimit", "Nombre maximum")]
    [InlineData(200, """{"error":"invalid_credentials","message":"Identifiant ou mot de passe incorrect"}""", "EglAuthenticationFailed", "Identifiant ou mot de passe incorrect")]
    [InlineData(200, """{"success":false,"libelle":"Compte verrouillé"}""", "EglAuthenticationFailed", "Compte verrouillé")]
    [InlineData(200, """{"codeRetour":201,"libelleRetour":"Mot de passe incorrect"}""", "EglAuthenticationFailed", "Mot de passe incorrect")]
    public async Task The_login_answers_body_counts_whatever_the_status(int status, string body, string errorId, string serverText)
    {
        var portal = new FakePortal { LoginResponse = _ => Answer((HttpStatusCode)status, body) };
        var ex = await Assert.ThrowsAnyAsync<EglException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(serverText, ex.Message, StringComparison.Ordinal);
        // Nothing after the login form was sent: the error is the login's own, not a later step's.
        Assert.Equal(1, portal.AllRequests);
    }

    [Theory]
    [InlineData("login?error=access_denied", "access_denied")]
    [InlineData("/application/login?error=access_denied&error_description=Compte+inactif", "Compte inactif")]
    [InlineData("https://agence.eaudugrandlyon.com/autorisation-callback.html#error=server_error", "server_error")]
    public async Task A_redirect_without_a_code_is_EglInvalidResponse_naming_the_OAuth_error(string location, string named)
    {
        var portal = new FakePortal
        {
            AuthorizeResponse = _ =>
            {
                var r = new HttpResponseMessage(HttpStatusCode.Found);
                r.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
                return r;
            },
        };
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => portal.Session().LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Equal("EglInvalidResponse", ex.ErrorId);
    }

    [Theory]
    [InlineData("code=c0de1&state=x", "c0de1")]
    [InlineData("state=x#code=frag%2Bcode", "frag+code")]
    public void The_code_is_read_from_the_query_or_the_fragment_of_an_absolute_or_relative_redirect(string parameters, string code)
    {
        Assert.Equal(code, EglPortalWire.AuthorizationCodeOf(302, new Uri("https://agence.eaudugrandlyon.com/autorisation-callback.html?" + parameters), string.Empty, out _));
        Assert.Equal(code, EglPortalWire.AuthorizationCodeOf(302, new Uri("callback?" + parameters, UriKind.Relative), string.Empty, out _));
    }

    // ---- Bad answers ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_body_without_end_stops_at_the_size_limit_at_once_without_retry()
    {
        int attempts = 0;
        var handler = new EndlessHandler(() => Interlocked.Increment(ref attempts));
        var transport = new EglTransport(new HttpClient(handler), maximumBodyBytes: 1024 * 1024);
        var options = FastOptions();
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => new EglPartnerClient(transport).GetAggregatesAsync(WsBase, Token, 1, Day14, Day15, options, CancellationToken.None));
        Assert.Contains("larger than 1 MiB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempts);
        Assert.Equal(64L * 1024 * 1024, EglTransport.DefaultMaximumBodyBytes);
        Assert.True(handler.BytesServed < 2 * 1024 * 1024, handler.BytesServed.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_declared_length_above_the_limit_is_refused_before_reading()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ =>
        {
            var content = new ByteArrayContent(new byte[10]);
            content.Headers.ContentLength = 100L * 1024 * 1024 * 1024;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        var transport = new EglTransport(mock.ToHttpClient(), maximumBodyBytes: 1024);
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => new EglPartnerClient(transport).GetAggregatesAsync(WsBase, Token, 1, Day14, Day15, FastOptions(), CancellationToken.None));
        Assert.Contains("larger than 1024 bytes", ex.Message, StringComparison.Ordinal);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? setCookie = null)
    {
        var r = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "text/html") };
        if (setCookie is not null) r.Headers.Add("Set-Cookie", setCookie);
        return r;
    }

    /// <summary>A server whose answer never ends: 64 KiB blocks of JSON-looking bytes, forever.</summary>
    private sealed class EndlessHandler(Action onRequest) : HttpMessageHandler
    {
        public long BytesServed => _stream?.Served ?? 0;

        private EndlessStream? _stream;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onRequest();
            _stream = new EndlessStream();
            var content = new StreamContent(_stream);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class EndlessStream : Stream
    {
        public long Served;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, 65536);
            buffer.AsSpan(offset, n).Fill((byte)'[');
            Served += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Errors carry facts; the cmdlet layer says what to do (RecommendedAction). The backends name no cmdlet nor parameter.</summary>
public class ErrorAdviceTests
{
    public static IEnumerable<object[]> ErrorTypes() => typeof(EglException).Assembly.GetTypes()
        .Where(t => typeof(EglException).IsAssignableFrom(t) && !t.IsAbstract)
        .Select(t => new object[] { t.Name });

    [Theory]
    [MemberData(nameof(ErrorTypes))]
    public void Every_error_has_a_category_and_a_recommended_action(string typeName)
    {
        var type = typeof(EglException).Assembly.GetTypes().Single(t => t.Name == typeName);
        var ex = (EglException)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        var (category, action) = EglWater.Commands.EglAdvice.For(ex.ErrorId);
        Assert.NotEqual(System.Management.Automation.ErrorCategory.NotSpecified, category);
        Assert.False(string.IsNullOrWhiteSpace(action), ex.ErrorId);
    }

    [Fact]
    public void The_backends_name_no_cmdlet_nor_parameter_and_the_portal_never_says_codeRetour_or_AuthKey()
    {
        string backends = Path.Combine(RepositoryRoot(), "src", "EglWater.Backends");
        var cmdletOrParameter = new System.Text.RegularExpressions.Regex(@"\b(Connect|Disconnect|Get|Sync|Find|Measure|Export)-Egl\w*|[""' ]-(TimeoutSec|MaximumRetryCount|StartDate|EndDate|SubscriptionNumber|Session|BaseUri|Credential|HistoryPath|ConnectionString)\b");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(backends, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (cmdletOrParameter.IsMatch(lines[i])) offenders.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
                if (file.Contains($"{Path.DirectorySeparatorChar}Portal{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)
                    && (lines[i].Contains("codeRetour", StringComparison.Ordinal) || lines[i].Contains("AuthKey", StringComparison.Ordinal)))
                    offenders.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.Empty(offenders);
        // The portal's failures read as the portal's.
        Assert.DoesNotContain("codeRetour", new EglAuthenticationException("401", "x", EglApiKind.Portal).Message, StringComparison.Ordinal);
        Assert.DoesNotContain("codeRetour", new EglApiException("r", "500", "x", EglApiKind.Portal).Message, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EglPowerShell.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("The repository root (EglPowerShell.sln) is not above " + AppContext.BaseDirectory);
    }
}
