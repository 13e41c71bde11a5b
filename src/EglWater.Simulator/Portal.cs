using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EglWater.Simulator;

/// <summary>How a household's portal login behaves in the simulator.</summary>
public sealed class PortalProfile
{
    /// <summary>The unit of consommationsJournalieres: "m3" (the usual one) or "l".</summary>
    public string Unit { get; init; } = "m3";

    /// <summary>expires_in of the access tokens, in seconds.</summary>
    public int ExpiresInSeconds { get; init; } = 3600;

    /// <summary>Answer every request with the provider's firewall page (HTTP 403).</summary>
    public bool Firewall { get; init; }

    /// <summary>Refuse the login with "nombre maximum de connexion atteint" (HTTP 400).</summary>
    public bool SessionCap { get; init; }

    /// <summary>Refuse the login with the session cap as a 200 answer whose JSON body carries the error, as portals do.</summary>
    public bool SessionCapAs200 { get; init; }

    /// <summary>Let the login through, then answer the data routes with the firewall page (HTTP 403).</summary>
    public bool FirewallOnData { get; init; }

    /// <summary>Answer the data routes with an HTTP 500 page that echoes the request's Authorization and Cookie headers, as careless servers do.</summary>
    public bool EchoOnData { get; init; }

    /// <summary>The opaque contract id of the household (one per subscription).</summary>
    public string ContractId { get; init; } = "8GYAWlhGtDHS.hhF9";
}

/// <summary>
/// The customer portal API (https://agence.eaudugrandlyon.com/application), strictly:
/// a cookie session from the login form, the client role activated by PUT, an authorization code
/// given by a redirect, a token exchange that checks the PKCE S256 verifier and refuses a reused
/// code, the contract list and the daily volumes with 0-based months. Every request must carry
/// the header "entreprise: EPGL". Observed behaviour of public clients, not operator documentation.
/// </summary>
public static class Portal
{
    public const string Prefix = "/application";
    public const string ClientId = "kwnOk0B_aqlOI6p_GVxrbf6";
    public const string RedirectUri = "https://agence.eaudugrandlyon.com/autorisation-callback.html";
    public const string CookieName = "EGLSESSIONID";
    public const string FirewallLogin = "waf@eglwater.test";
    public const string SessionCapLogin = "busy@eglwater.test";
    public const string LitresLogin = "litres@eglwater.test";
    public const string ShortLivedLogin = "shortlived@eglwater.test";
    public const string SessionCap200Login = "busy200@eglwater.test";
    public const string FirewallOnDataLogin = "wafdata@eglwater.test";
    public const string EchoLogin = "echo@eglwater.test";

    private sealed class CookieSession
    {
        public required Account Account { get; init; }
        public bool ClientRoleActive { get; set; }
    }

    private sealed class PendingCode
    {
        public required Account Account { get; init; }
        public required string Challenge { get; init; }
        public required string RedirectUri { get; init; }
        public int Used;
    }

    private sealed class AccessToken
    {
        public required Account Account { get; init; }
        public required DateTimeOffset ExpiresAt { get; init; }
    }

    /// <summary>What the simulator saw, per login: for tests (no secret in it).</summary>
    public sealed class Stats
    {
        public int Logins;
        public int TokenExchanges;
        public int Unauthorized;
        public int DataRequests;
    }

    private sealed class PortalState
    {
        public readonly ConcurrentDictionary<string, PortalProfile> Profiles = new(StringComparer.OrdinalIgnoreCase);
        public readonly ConcurrentDictionary<string, CookieSession> Cookies = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, PendingCode> Codes = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, AccessToken> Tokens = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, Stats> Stats = new(StringComparer.OrdinalIgnoreCase);
    }

    public static void Map(WebApplication app, SimulatorState state)
    {
        var portal = new PortalState();
        portal.Profiles[SimulatorState.DemoLogin] = new PortalProfile();
        foreach (var (login, profile) in new[]
        {
            (FirewallLogin, new PortalProfile { Firewall = true }),
            (SessionCapLogin, new PortalProfile { SessionCap = true }),
            (LitresLogin, new PortalProfile { Unit = "l" }),
            (ShortLivedLogin, new PortalProfile { ExpiresInSeconds = 30 }),
            (SessionCap200Login, new PortalProfile { SessionCapAs200 = true }),
            (FirewallOnDataLogin, new PortalProfile { FirewallOnData = true }),
            (EchoLogin, new PortalProfile { EchoOnData = true }),
        })
        {
            state.Add(new Account
            {
                Login = login,
                Password = SimulatorState.DemoPassword,
                AuthKey = SimulatorState.DemoAuthKey,
                SubscriptionNumber = SimulatorState.DemoSubscription,
                Rows = (_, today) => SimulatorState.DemoRows(today, state.Options.PublishLagDays),
            });
            portal.Profiles[login] = profile;
        }

        var g = app.MapGroup(Prefix);
        g.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            if (!string.Equals(http.Request.Headers["entreprise"], "EPGL", StringComparison.Ordinal))
                return Results.Json(new { message = "En-tête entreprise manquant" }, statusCode: 400);
            if (CookieAccount(http, portal) is { } a && Profile(portal, a).Firewall) return Firewall();
            return await next(ctx);
        });

        g.MapPost("/auth/externe/authentification", async (HttpContext http) =>
        {
            if (!http.Request.HasFormContentType) return Results.Json(new { message = "Formulaire attendu" }, statusCode: 400);
            var form = await http.Request.ReadFormAsync();
            if (form["client_id"] != ClientId) return Results.Json(new { message = "client_id inconnu" }, statusCode: 400);
            var account = state.Find(form["username"]);
            if (account is null || !portal.Profiles.ContainsKey(account.Login) || form["password"] != account.Password)
                return Results.Json(new { message = "Identifiant ou mot de passe incorrect" }, statusCode: 401);
            var profile = Profile(portal, account);
            if (profile.Firewall) return Firewall();
            if (profile.SessionCap) return Results.Json(new { message = "Le nombre maximum de connexion atteint pour cet utilisateur" }, statusCode: 400);
            if (profile.SessionCapAs200) return Results.Json(new { code = "ERR_SESSION", message = "Le nombre maximum de connexion atteint pour cet utilisateur" }, statusCode: 200);
            string cookie = Random(24);
            portal.Cookies[cookie] = new CookieSession { Account = account };
            StatsOf(portal, account).Logins++;
            http.Response.Cookies.Append(CookieName, cookie, new CookieOptions { Path = "/", HttpOnly = true, Secure = false });
            return Results.NoContent();
        });

        g.MapGet("/auth/externe/utilisateur/roles", (HttpContext http) =>
            Session(http, portal) is { } s ? Results.Json(Roles(s)) : Results.Json(new { message = "Session expirée" }, statusCode: 401));

        g.MapPut("/auth/externe/utilisateur/roles", async (HttpContext http) =>
        {
            if (Session(http, portal) is not { } s) return Results.Json(new { message = "Session expirée" }, statusCode: 401);
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            bool asksClient = doc.RootElement.ValueKind == JsonValueKind.Array
                && doc.RootElement.EnumerateArray().Any(e => e.TryGetProperty("id", out var id) && id.GetString() == "client");
            if (!asksClient) return Results.Json(new { message = "Rôle inconnu" }, statusCode: 400);
            s.ClientRoleActive = true;
            return Results.Json(Roles(s));
        });

        g.MapGet("/auth/authorize-internet", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (Session(http, portal) is not { } s) return Results.Json(new { message = "Session expirée" }, statusCode: 401);
            if (!s.ClientRoleActive) return Results.Json(new { message = "Rôle client non activé" }, statusCode: 401);
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
                || string.IsNullOrEmpty(q["code_challenge"]) || q["redirect_uri"] != RedirectUri)
                return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            string code = Random(16).ToLowerInvariant();
            portal.Codes[code] = new PendingCode { Account = s.Account, Challenge = q["code_challenge"]!, RedirectUri = q["redirect_uri"]! };
            return Results.Redirect($"{RedirectUri}?code={code}");
        });

        g.MapPost("/auth/tokenUtilisateurInternet", async (HttpContext http) =>
        {
            if (!http.Request.HasFormContentType) return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            var form = await http.Request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId)
                return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            if (!portal.Codes.TryGetValue(form["code"].ToString(), out var pending))
                return InvalidGrant("Code d'autorisation inconnu");
            if (Interlocked.Exchange(ref pending.Used, 1) == 1)
                return InvalidGrant("Code d'autorisation déjà utilisé");
            if (form["redirect_uri"] != pending.RedirectUri) return InvalidGrant("redirect_uri différent");
            if (S256(form["code_verifier"].ToString()) != pending.Challenge) return InvalidGrant("code_verifier invalide");
            var profile = Profile(portal, pending.Account);
            string token = "eyJ" + Random(32);
            portal.Tokens[token] = new AccessToken { Account = pending.Account, ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(profile.ExpiresInSeconds) };
            StatsOf(portal, pending.Account).TokenExchanges++;
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = profile.ExpiresInSeconds });
        });

        g.MapGet("/rest/produits/contrats", (HttpContext http) =>
        {
            if (Bearer(http, portal) is not { } account) return Unauthorized();
            var profile = Profile(portal, account);
            return Results.Json(new[]
            {
                new { id = profile.ContractId, reference = account.SubscriptionNumber.ToString(CultureInfo.InvariantCulture), statut = "ACTIF" },
            });
        });

        g.MapGet("/rest/produits/contrats/{id}/consommationsJournalieres", async (HttpContext http, string id) =>
        {
            // The start-up latency (--latency-ms) applies to the data route; the token is checked after it,
            // as a real server checks it when it gets to the request.
            if (state.Options.LatencyMs > 0) await Task.Delay(state.Options.LatencyMs);
            if (Bearer(http, portal) is not { } account) return Unauthorized();
            var profile = Profile(portal, account);
            StatsOf(portal, account).DataRequests++;
            if (profile.FirewallOnData) return Firewall();
            if (profile.EchoOnData)
            {
                string echo = $"<html><body><h1>Erreur interne</h1><p>Authorization: {http.Request.Headers.Authorization}</p><p>Cookie: {http.Request.Headers.Cookie}</p><p>{http.Request.QueryString}</p></body></html>";
                return Results.Content(echo, "text/html", Encoding.UTF8, 500);
            }
            if (id != profile.ContractId) return Results.Json(new { message = "Contrat inconnu" }, statusCode: 404);
            if (!TryInstant(http.Request.Query["dateDebut"], out var from) || !TryInstant(http.Request.Query["dateFin"], out var to) || from > to)
                return Results.Json(new { message = "Dates invalides" }, statusCode: 400);
            // The portal publishes a volume for a day once the day is final and follows a known day:
            // pending days, gaps and the day of a meter change are absent, as on the real portal.
            var byDay = new SortedDictionary<DateOnly, MeterRow>();
            foreach (var r in account.Rows(account.SubscriptionNumber, state.Today))
            {
                if (!byDay.TryGetValue(r.Day, out var seen) || seen.Type == "T") byDay[r.Day] = r;
            }

            var data = new List<object>();
            foreach (var (day, row) in byDay)
            {
                if (day < from || day > to || row.Type is "T" or "D" || !byDay.TryGetValue(day.AddDays(-1), out var previous)) continue;
                long liters = row.Index - previous.Index;
                if (liters < 0) continue;
                object value = profile.Unit == "l" ? liters : Math.Round(liters / 1000.0, 3);
                data.Add(new { consommation = value, annee = day.Year, mois = day.Month - 1, jour = day.Day });
            }

            return Results.Json(new { postes = new[] { new { data } }, unites = new { consommation = profile.Unit } });
        });

        app.MapGet("/_simulator/portal/stats", (string login) =>
            portal.Stats.TryGetValue(login, out var s) ? Results.Json(new { s.Logins, s.TokenExchanges, s.Unauthorized, s.DataRequests }) : Results.Json(new { Logins = 0, TokenExchanges = 0, Unauthorized = 0, DataRequests = 0 }));
        // Every secret value issued to a login (cookies, codes, tokens), so that tests can prove none leaks.
        app.MapGet("/_simulator/portal/secrets", (string login) => Results.Json(
            portal.Cookies.Where(kv => Is(kv.Value.Account, login)).Select(kv => kv.Key)
                .Concat(portal.Codes.Where(kv => Is(kv.Value.Account, login)).Select(kv => kv.Key))
                .Concat(portal.Tokens.Where(kv => Is(kv.Value.Account, login)).Select(kv => kv.Key))
                .ToArray()));
        app.MapPost("/_simulator/portal/expire-tokens", (string login) =>
        {
            foreach (var kv in portal.Tokens.Where(kv => string.Equals(kv.Value.Account.Login, login, StringComparison.OrdinalIgnoreCase)).ToList())
                portal.Tokens[kv.Key] = new AccessToken { Account = kv.Value.Account, ExpiresAt = DateTimeOffset.MinValue };
            return Results.NoContent();
        });
    }

    /// <summary>The Paris day of a UTC instant written as the public clients write it ("2025-01-13T23:00:00.000Z").</summary>
    private static bool TryInstant(string? text, out DateOnly parisDay)
    {
        parisDay = default;
        if (text is null || !text.EndsWith('Z')) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return false;
        parisDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris.Zone).DateTime);
        return true;
    }

    private static bool Is(Account a, string login) => string.Equals(a.Login, login, StringComparison.OrdinalIgnoreCase);

    private static object Roles(CookieSession s) => new[] { new { id = "client", libelle = "client", actif = s.ClientRoleActive } };

    private static IResult Firewall() => Results.Content(
        "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consult with your administrator.<br>Your support ID is: 1234567890</body></html>",
        "text/html",
        Encoding.UTF8,
        403);

    private static IResult InvalidGrant(string description) =>
        Results.Json(new { error = "invalid_grant", error_description = description }, statusCode: 400);

    private static IResult Unauthorized() => Results.Json(new { message = "Jeton invalide ou expiré" }, statusCode: 401);

    private static PortalProfile Profile(PortalState portal, Account account) =>
        portal.Profiles.TryGetValue(account.Login, out var p) ? p : new PortalProfile();

    private static Stats StatsOf(PortalState portal, Account account) => portal.Stats.GetOrAdd(account.Login, _ => new Stats());

    private static Account? CookieAccount(HttpContext http, PortalState portal) => Session(http, portal)?.Account;

    private static CookieSession? Session(HttpContext http, PortalState portal) =>
        http.Request.Cookies.TryGetValue(CookieName, out var c) && c is not null && portal.Cookies.TryGetValue(c, out var s) ? s : null;

    private static Account? Bearer(HttpContext http, PortalState portal)
    {
        string auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
        if (!portal.Tokens.TryGetValue(auth["Bearer ".Length..], out var t)) return null;
        if (t.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            StatsOf(portal, t.Account).Unauthorized++;
            return null;
        }

        return t.Account;
    }

    public static string S256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Random(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
}
