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

    /// <summary>
    /// The portal as it answers in 2026 (morgeek's client, a real Téléo capture): the login form and the authorize
    /// step only with a browser's navigation headers (the firewall refuses other requests), no role step (404), the
    /// authorize step redirects twice (the code in the fragment), contracts through POST
    /// /rest/interfaces/ael/contrats/rechercher with their details, daily items with index, debitMin and
    /// volumeEstimeFuite in a poste with a libelle and units per field, and POST /auth/revoke.
    /// </summary>
    public bool Shape2026 { get; init; }

    /// <summary>The 2026 units per field (consommation, index, debitMin, volumeEstimeFuite), as the portal spells them.</summary>
    public IReadOnlyDictionary<string, string> Units2026 { get; init; } = new Dictionary<string, string>
    {
        ["consommation"] = "l",
        ["index"] = "l",
        ["debitMin"] = "L/h",
        ["volumeEstimeFuite"] = "l",
    };

    /// <summary>The authorize step redirects to another host (which a client must never follow).</summary>
    public bool ForeignRedirect { get; init; }

    /// <summary>POST /auth/revoke answers 500 (a client's revoke is best effort).</summary>
    public bool RevokeFails { get; init; }
}

/// <summary>
/// The customer portal API (https://agence.eaudugrandlyon.com/application), strictly:
/// a cookie session from the login form, the client role activated by PUT, an authorization code
/// given by a redirect, a token exchange that checks the PKCE S256 verifier and refuses a reused
/// code, the contract list and the daily volumes with 0-based months. Every request must carry
/// the header "entreprise: EPGL". The 2026 accounts (<see cref="PortalProfile.Shape2026"/>) answer as
/// the portal does today. Observed behaviour of public clients, not operator documentation.
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
    public const string TeleoLogin = "teleo@eglwater.test";
    public const string TeleoM3Login = "teleo-m3@eglwater.test";
    public const string ForeignRedirectLogin = "foreign@eglwater.test";
    public const string ForeignHost = "login.evil.example";
    public const string RechercherRoute = "/rest/interfaces/ael/contrats/rechercher";

    private sealed class CookieSession
    {
        public required Account Account { get; init; }
        public bool ClientRoleActive { get; set; }
        public (string Step, string Code)? PendingRedirect { get; set; }
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
        public int Revokes;
        public int RoleRequests;
        public int ContractSearches;
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
            (TeleoLogin, new PortalProfile { Shape2026 = true, ContractId = "T26-CONTRAT.demo" }),
            (TeleoM3Login, new PortalProfile
            {
                Shape2026 = true,
                ContractId = "T26-CONTRAT.m3",
                RevokeFails = true,
                Units2026 = new Dictionary<string, string> { ["consommation"] = "m³", ["index"] = "m3", ["debitMin"] = "m3/h", ["volumeEstimeFuite"] = "m3" },
            }),
            (ForeignRedirectLogin, new PortalProfile { Shape2026 = true, ForeignRedirect = true }),
        })
        {
            state.Add(new Account
            {
                Login = login,
                Password = SimulatorState.DemoPassword,
                AuthKey = SimulatorState.DemoAuthKey,
                SubscriptionNumber = SimulatorState.DemoSubscription,
                Rows = (_, today) => SimulatorState.DemoRows(today, state.Options.PublishLagDays),
                Signals = day => (Households.NormalDebitMin(day), 0),
            });
            portal.Profiles[login] = profile;
        }

        // The leak and pool households answer the 2026 way.
        portal.Profiles[HouseholdAccounts.LeakLogin] = new PortalProfile { Shape2026 = true, ContractId = "T26-CONTRAT.leak" };
        portal.Profiles[HouseholdAccounts.SpikeLogin] = new PortalProfile { Shape2026 = true, ContractId = "T26-CONTRAT.pool" };

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
            if (profile.Firewall || (profile.Shape2026 && !LooksLikeABrowser(http))) return Firewall();
            if (profile.SessionCap) return Results.Json(new { message = "Le nombre maximum de connexion atteint pour cet utilisateur" }, statusCode: 400);
            if (profile.SessionCapAs200) return Results.Json(new { code = "ERR_SESSION", message = "Le nombre maximum de connexion atteint pour cet utilisateur" }, statusCode: 200);
            string cookie = Random(24);
            portal.Cookies[cookie] = new CookieSession { Account = account };
            StatsOf(portal, account).Logins++;
            http.Response.Cookies.Append(CookieName, cookie, new CookieOptions { Path = "/", HttpOnly = true, Secure = false });
            return Results.NoContent();
        });

        g.MapGet("/auth/externe/utilisateur/roles", (HttpContext http) =>
        {
            var s = Session(http, portal);
            if (s is not null) StatsOf(portal, s.Account).RoleRequests++;
            if (s is not null && Profile(portal, s.Account).Shape2026) return NotFound();
            return s is not null ? Results.Json(Roles(s)) : Results.Json(new { message = "Session expirée" }, statusCode: 401);
        });

        g.MapPut("/auth/externe/utilisateur/roles", async (HttpContext http) =>
        {
            if (Session(http, portal) is not { } s) return Results.Json(new { message = "Session expirée" }, statusCode: 401);
            StatsOf(portal, s.Account).RoleRequests++;
            if (Profile(portal, s.Account).Shape2026) return NotFound();
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
            var profile = Profile(portal, s.Account);
            if (profile.Shape2026 && !LooksLikeABrowser(http)) return Firewall();
            if (!profile.Shape2026 && !s.ClientRoleActive) return Results.Json(new { message = "Rôle client non activé" }, statusCode: 401);
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
                || string.IsNullOrEmpty(q["code_challenge"]) || q["redirect_uri"] != RedirectUri)
                return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            string code = Random(16).ToLowerInvariant();
            portal.Codes[code] = new PendingCode { Account = s.Account, Challenge = q["code_challenge"]!, RedirectUri = q["redirect_uri"]! };
            if (profile.ForeignRedirect) return Results.Redirect($"https://{ForeignHost}/sso?next={Uri.EscapeDataString(RedirectUri)}&code={code}");
            if (!profile.Shape2026) return Results.Redirect($"{RedirectUri}?code={code}");
            // 2026: a first redirect on the portal's own host, which then redirects to the callback (code in the fragment).
            string step = Random(8);
            s.PendingRedirect = (step, code);
            return Results.Redirect($"{Prefix}/auth/authorize-internet/suite?etape={step}");
        });

        g.MapGet("/auth/authorize-internet/suite", (HttpContext http) =>
        {
            if (Session(http, portal) is not { } s || s.PendingRedirect is not { } pending || pending.Step != http.Request.Query["etape"])
                return Results.Json(new { error = "invalid_request", error_description = "Étape inconnue" }, statusCode: 400);
            if (!LooksLikeABrowser(http)) return Firewall();
            s.PendingRedirect = null;
            return Results.Redirect($"{RedirectUri}#state=&code={pending.Code}");
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

        g.MapPost(RechercherRoute, (HttpContext http) =>
        {
            if (Bearer(http, portal) is not { } account) return Unauthorized();
            var profile = Profile(portal, account);
            if (!profile.Shape2026) return NotFound();
            StatsOf(portal, account).ContractSearches++;
            if (string.IsNullOrEmpty(http.Request.Query["expand"]) || string.IsNullOrEmpty(http.Request.Query["select"]))
                return Results.Json(new { message = "Paramètres expand et select attendus" }, statusCode: 400);
            return Results.Json(new
            {
                content = new[]
                {
                    new
                    {
                        id = profile.ContractId,
                        reference = account.SubscriptionNumber.ToString(CultureInfo.InvariantCulture),
                        statutExtrait = "Actif",
                        servicesSouscrits = new[] { new { calibreCompteur = new { code = "15", libelle = "DN15" } } },
                        nombreHabitants = new { libelle = "3" },
                        usage = new { libelle = "Domestique" },
                        pointDeReleve = new { moduleRadio = new { etatPile = "OK" } },
                    },
                },
                totalElements = 1,
            });
        });

        g.MapPost("/auth/revoke", async (HttpContext http) =>
        {
            if (!http.Request.HasFormContentType) return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            var form = await http.Request.ReadFormAsync();
            if (!portal.Tokens.TryRemove(form["token"].ToString(), out var revoked)) return Results.Json(new { error = "invalid_token" }, statusCode: 400);
            StatsOf(portal, revoked.Account).Revokes++;
            if (Profile(portal, revoked.Account).RevokeFails) return Results.Content("<html><body>Erreur interne</body></html>", "text/html", Encoding.UTF8, 500);
            return Results.Json(new { });
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

            if (profile.Shape2026) return Results.Json(Days2026(account, profile, byDay, from, to));
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
        {
            var s = portal.Stats.TryGetValue(login, out var found) ? found : new Stats();
            return Results.Json(new { s.Logins, s.TokenExchanges, s.Unauthorized, s.DataRequests, s.Revokes, s.RoleRequests, s.ContractSearches });
        });
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

    /// <summary>
    /// The 2026 daily answer: one poste "toutes heures", an item per final day (pending days and gaps are absent)
    /// with the index, the day's volume when the day before is known, and the signals, each in its unit.
    /// </summary>
    private static object Days2026(Account account, PortalProfile profile, SortedDictionary<DateOnly, MeterRow> byDay, DateOnly from, DateOnly to)
    {
        double Scale(string field) => profile.Units2026[field].Trim().ToLowerInvariant() switch
        {
            "m3" or "m³" or "m3/h" or "m³/h" => 1000.0,
            _ => 1.0,
        };

        var data = new List<Dictionary<string, object>>();
        foreach (var (day, row) in byDay)
        {
            if (day < from || day > to || row.Type == "T") continue;
            var item = new Dictionary<string, object>
            {
                ["annee"] = day.Year,
                ["mois"] = day.Month - 1,
                ["jour"] = day.Day,
                ["index"] = Math.Round(row.Index / Scale("index"), 3),
            };
            if (row.Type != "D" && byDay.TryGetValue(day.AddDays(-1), out var previous) && row.Index >= previous.Index)
                item["consommation"] = Math.Round((row.Index - previous.Index) / Scale("consommation"), 3);
            var (debitMin, leak) = account.Signals?.Invoke(day) ?? (0, 0);
            item["debitMin"] = Math.Round(debitMin / Scale("debitMin"), 4);
            item["volumeEstimeFuite"] = Math.Round(leak / Scale("volumeEstimeFuite"), 3);
            data.Add(item);
        }

        return new { unites = profile.Units2026, postes = new[] { new { libelle = "toutes heures", data } } };
    }

    /// <summary>The provider's firewall lets through only requests that look like a browser's navigation.</summary>
    private static bool LooksLikeABrowser(HttpContext http) =>
        http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal)
        && http.Request.Headers.AcceptLanguage.Count > 0
        && http.Request.Headers.UserAgent.ToString().Contains("Mozilla/5.0", StringComparison.Ordinal);

    private static IResult NotFound() => Results.Json(new { message = "Ressource introuvable" }, statusCode: 404);

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
