using System.Net;
using System.Net.Http;
using System.Text;
using EglWater.Api;
using EglWater.Api.Portal;
using EglWater.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>The portal's OAuth2 + PKCE flow on the wire, with MockHttp.</summary>
public class PortalFlowTests
{
    private const string Base = FakePortal.Base;
    private const string Cookie = FakePortal.Cookie;

    [Fact]
    public async Task The_flow_sends_entreprise_on_every_request_reuses_the_cookie_and_proves_PKCE_S256()
    {
        var portal = new FakePortal();
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);

        Assert.All(portal.Requests, r => Assert.Equal("EPGL", r.Headers.GetValues("entreprise").Single()));
        Assert.All(portal.Requests.Skip(1).Where(r => r.Headers.Authorization is null), r => Assert.Contains(Cookie, r.Headers.GetValues("Cookie").Single()));
        Assert.Single(portal.Requests, r => r.Method == HttpMethod.Put);
        Assert.Contains("\"id\":\"client\"", portal.PutBody);
        Assert.NotNull(portal.Verifier);
        Assert.Equal(Pkce.S256(portal.Verifier!), portal.Challenge); // computed here, not by EglPkce
        Assert.Equal([1895683L, 42L], session.Subscriptions);
        Assert.Equal(1895683, session.SubscriptionNumber);
        var contracts = portal.Requests.Single(r => r.RequestUri!.AbsolutePath.EndsWith("/contrats", StringComparison.Ordinal));
        Assert.Equal("Bearer", contracts.Headers.Authorization!.Scheme);
    }

    [Fact]
    public async Task Each_login_uses_a_fresh_code_verifier()
    {
        var portal = new FakePortal();
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        string first = portal.Verifier!;
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.NotEqual(first, portal.Verifier);
        Assert.Equal(Pkce.S256(portal.Verifier!), portal.Challenge); // computed here, not by EglPkce
    }

    [Theory]
    [InlineData("m3")]
    [InlineData("l")]
    public async Task Volumes_come_in_litres_whatever_the_unit_with_0_based_months(string unit)
    {
        var portal = new FakePortal { Unit = unit };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var v = await session.GetDailyVolumesAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None);
        Assert.Equal([new DateTime(2025, 1, 14), new DateTime(2025, 1, 15)], v.Select(x => x.Date));
        Assert.Equal([231.0, 300.0], v.Select(x => x.Liters));
        var data = portal.Requests.Last();
        Assert.Equal("Bearer tok1", data.Headers.Authorization!.ToString());
        var q = System.Web.HttpUtility.ParseQueryString(data.RequestUri!.Query);
        Assert.Equal("2025-01-13T23:00:00.000Z", q["dateDebut"]);
        Assert.Equal("2025-01-14T23:00:00.000Z", q["dateFin"]);
    }

    [Fact]
    public async Task The_token_is_renewed_60_seconds_before_it_expires_not_earlier()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var portal = new FakePortal { ExpiresIn = 300 };
        var session = portal.Session(time);
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(1, portal.Logins);

        time.Advance(TimeSpan.FromSeconds(239));
        await session.GetDailyVolumesAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None);
        Assert.Equal(1, portal.Logins);

        time.Advance(TimeSpan.FromSeconds(2));
        await session.GetDailyVolumesAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None);
        Assert.Equal(2, portal.Logins);
        Assert.Equal("Bearer tok2", portal.Requests.Last().Headers.Authorization!.ToString());
    }

    [Fact]
    public async Task A_401_logs_in_again_once_and_retries()
    {
        var portal = new FakePortal { DataStatus = n => n == 1 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var v = await session.GetDailyVolumesAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None);
        Assert.Equal(2, v.Count);
        Assert.Equal(2, portal.Logins);
        Assert.Equal(2, portal.DataRequests);
    }

    [Fact]
    public async Task A_second_401_is_an_error_not_a_loop()
    {
        var portal = new FakePortal { DataStatus = _ => HttpStatusCode.Unauthorized };
        var session = portal.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => session.GetDailyVolumesAsync(1895683, new DateTime(2025, 1, 14), new DateTime(2025, 1, 15), FastOptions(), CancellationToken.None));
        Assert.Equal(2, portal.DataRequests);
        Assert.DoesNotContain("tok1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_firewall_403_is_EglBlocked_at_once_without_retries()
    {
        var mock = new MockHttpMessageHandler();
        var request = mock.When("*").Respond(HttpStatusCode.Forbidden, "text/html", "<html>Request Rejected</html>");
        var session = new EglPortalSession(new EglTransport(mock.ToHttpClient()), new Uri(Base), new EglCredential(Login, Secure(Password), null));
        var ex = await Assert.ThrowsAsync<EglBlockedException>(() => session.LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Equal("EglBlocked", ex.ErrorId);
        Assert.Contains("HTTP 403", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Wait at least 15 minutes", EglWater.Commands.EglAdvice.For(ex.ErrorId).Action, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(request));
    }

    [Fact]
    public async Task A_refused_code_is_an_authentication_error_that_masks_echoed_secrets()
    {
        var portal = new FakePortal();
        string? echoed = null;
        var mock = new MockHttpMessageHandler();
        mock.Fallback.Respond(r => portal.Mock.ToHttpClient().SendAsync(Clone(r)).Result);
        mock.When(HttpMethod.Post, Base + "auth/tokenUtilisateurInternet").Respond(r =>
        {
            var form = System.Web.HttpUtility.ParseQueryString(r.Content!.ReadAsStringAsync().Result);
            echoed = form["code"] + " " + form["code_verifier"];
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent($$"""{"error":"invalid_grant","error_description":"code {{form["code"]}} with verifier {{form["code_verifier"]}} for {{Password}}"}""", Encoding.UTF8, "application/json"),
            };
        });
        var session = new EglPortalSession(new EglTransport(mock.ToHttpClient()), new Uri(Base), new EglCredential(Login, Secure(Password), null));
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => session.LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Equal("EglAuthenticationFailed", ex.ErrorId);
        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(echoed);
        foreach (var secret in echoed!.Split(' ').Append(Password)) Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Clone(HttpRequestMessage r)
    {
        var c = new HttpRequestMessage(r.Method, r.RequestUri);
        foreach (var h in r.Headers) c.Headers.TryAddWithoutValidation(h.Key, h.Value);
        if (r.Content is not null)
        {
            c.Content = new ByteArrayContent(r.Content.ReadAsByteArrayAsync().Result);
            foreach (var h in r.Content.Headers) c.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        return c;
    }

    [Fact]
    public async Task The_session_cap_is_a_clear_error()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.BadRequest, "application/json", """{"message":"Le nombre maximum de connexion atteint pour cet utilisateur"}""");
        var session = new EglPortalSession(new EglTransport(mock.ToHttpClient()), new Uri(Base), new EglCredential(Login, Secure(Password), null));
        var ex = await Assert.ThrowsAsync<EglSessionLimitException>(() => session.LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains("too many open sessions", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The portal flow against the simulator, which checks it strictly.</summary>
public sealed class PortalSimulatorTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private WebApplication _app = null!;
    private Uri _portal = null!;

    public async Task InitializeAsync()
    {
        (_app, var api) = await SimulatorApp.StartAsync(new SimulatorOptions { Today = Today });
        _portal = new Uri(api.GetLeftPart(UriPartial.Authority) + Portal.Prefix);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private EglPortalSession Session(string login = SimulatorState.DemoLogin, string password = SimulatorState.DemoPassword) =>
        new(new EglTransport(new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })), _portal, new EglCredential(login, Secure(password), null));

    [Fact]
    public async Task Login_and_daily_volumes_match_the_simulator_data()
    {
        var session = Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(SimulatorState.DemoSubscription, session.SubscriptionNumber);
        var volumes = await session.GetDailyVolumesAsync(session.SubscriptionNumber, new DateTime(2025, 3, 28), new DateTime(2025, 4, 2), FastOptions(), CancellationToken.None);
        var truth = SimulatorState.DemoRows(Today, 1).GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(6, volumes.Count);
        foreach (var v in volumes)
        {
            var d = DateOnly.FromDateTime(v.Date);
            Assert.Equal(truth[d].Index - truth[d.AddDays(-1)].Index, v.Liters);
        }
    }

    [Fact]
    public async Task Litres_unit_accounts_give_the_same_litres()
    {
        var m3 = Session();
        var l = Session(Portal.LitresLogin);
        await m3.LoginAsync(FastOptions(), CancellationToken.None);
        await l.LoginAsync(FastOptions(), CancellationToken.None);
        var a = await m3.GetDailyVolumesAsync(m3.SubscriptionNumber, new DateTime(2025, 7, 1), new DateTime(2025, 7, 31), FastOptions(), CancellationToken.None);
        var b = await l.GetDailyVolumesAsync(l.SubscriptionNumber, new DateTime(2025, 7, 1), new DateTime(2025, 7, 31), FastOptions(), CancellationToken.None);
        Assert.Equal(31, a.Count);
        Assert.Equal(a.Select(x => x.Liters), b.Select(x => x.Liters));
    }

    [Fact]
    public async Task Gaps_pending_days_and_the_meter_change_day_are_absent_not_invented()
    {
        var session = Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var rows = SimulatorState.DemoRows(Today, 1);
        var v = await session.GetDailyVolumesAsync(session.SubscriptionNumber, new DateTime(2024, 6, 1), new DateTime(2026, 3, 14), FastOptions(), CancellationToken.None);
        var days = v.Select(x => DateOnly.FromDateTime(x.Date)).ToHashSet();
        var pending = rows.Where(r => r.Type == "T").Select(r => r.Day).Where(d => !rows.Any(r => r.Day == d && r.Type != "T")).ToList();
        var meterChange = rows.Where(r => r.Type == "D").Select(r => r.Day).ToList();
        var calendar = Enumerable.Range(0, new DateOnly(2026, 3, 14).DayNumber - new DateOnly(2024, 6, 1).DayNumber + 1).Select(i => new DateOnly(2024, 6, 1).AddDays(i));
        var absentFromData = calendar.Where(d => !rows.Any(r => r.Day == d)).ToList();
        Assert.NotEmpty(pending);
        Assert.NotEmpty(meterChange);
        Assert.NotEmpty(absentFromData);
        Assert.All(pending.Concat(meterChange).Concat(absentFromData), d => Assert.DoesNotContain(d, days));
        Assert.All(v, x => Assert.True(x.Liters >= 0));
        Assert.Equal(v.Count, days.Count);
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error()
    {
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => Session(password: "wrong").LoginAsync(FastOptions(), CancellationToken.None));
        Assert.Contains("mot de passe", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firewall_and_session_cap_accounts_give_their_errors()
    {
        await Assert.ThrowsAsync<EglBlockedException>(() => Session(Portal.FirewallLogin).LoginAsync(FastOptions(), CancellationToken.None));
        await Assert.ThrowsAsync<EglSessionLimitException>(() => Session(Portal.SessionCapLogin).LoginAsync(FastOptions(), CancellationToken.None));
    }

    [Fact]
    public async Task The_simulator_refuses_a_reused_code_and_a_wrong_verifier()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Add("entreprise", "EPGL");
        string root = _portal.AbsoluteUri.TrimEnd('/') + "/";
        (await http.PostAsync(root + "auth/externe/authentification", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = SimulatorState.DemoLogin,
            ["password"] = SimulatorState.DemoPassword,
            ["client_id"] = Portal.ClientId,
        }))).EnsureSuccessStatusCode();
        (await http.PutAsync(root + "auth/externe/utilisateur/roles", new StringContent("""[{"id":"client","libelle":"client","actif":false}]""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        string verifier = EglPkce.CreateVerifier();
        var authorize = await http.GetAsync(root + "auth/authorize-internet?redirect_uri=" + Uri.EscapeDataString(Portal.RedirectUri)
            + "&response_type=code&code_challenge=" + EglPkce.Challenge(verifier) + "&code_challenge_method=S256&client_id=" + Portal.ClientId);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        string code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;

        Task<HttpResponseMessage> Exchange(string v) => http.PostAsync(root + "auth/tokenUtilisateurInternet", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Portal.ClientId,
            ["code"] = code,
            ["redirect_uri"] = Portal.RedirectUri,
            ["grant_type"] = "authorization_code",
            ["code_verifier"] = v,
        }));

        var wrong = await Exchange(EglPkce.CreateVerifier());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("invalid_grant", await wrong.Content.ReadAsStringAsync());
        var reused = await Exchange(verifier);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("invalid_grant", await reused.Content.ReadAsStringAsync());
    }
}
