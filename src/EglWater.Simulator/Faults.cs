using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EglWater.Simulator;

/// <summary>
/// How the simulator misbehaves for one login. Set at start-up (options apply to every account),
/// per account (the fault accounts below), or at run time with POST /_simulator/faults?login=….
/// </summary>
/// <remarks>
/// Steps (of <see cref="Script"/> and <see cref="Rules"/>): "ok"; an HTTP status such as "503",
/// "500", "408" or "429" (a short text body; 429 carries Retry-After); "html200" / "html500" (an
/// HTML error page); "echo500" (an HTML page of status 500 that echoes the request's form fields and
/// AuthKey header, as careless servers do); "truncate" (the real answer cut in the middle);
/// "hang" (no answer for <see cref="HangMs"/> or until the client gives up); "code300" (an envelope
/// with codeRetour 300, the expired-token answer); "delay:N" (N ms, then the real answer); "overreach"
/// (the real answer plus the rows of the 40 days after date_fin, which the client did not ask for).
/// </remarks>
public sealed class FaultPlan
{
    /// <summary>Delay before every API answer of the login.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Steps consumed one per request on <see cref="ScriptRoute"/>; then normal answers.</summary>
    public List<string> Script { get; set; } = [];

    /// <summary>Where the script applies: "connect", "data" or "any".</summary>
    public string ScriptRoute { get; set; } = "data";

    /// <summary>Start the script again when it is used up (a server that keeps flapping).</summary>
    public bool RepeatScript { get; set; }

    /// <summary>The Retry-After of a 429, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Data requests a token serves before the API calls it expired (codeRetour 300).</summary>
    public int? TokenLifetimeRequests { get; set; }

    /// <summary>Seconds a token lives before the API calls it expired.</summary>
    public double? TokenLifetimeSeconds { get; set; }

    /// <summary>"utf-8" (default) or "iso-8859-1": the charset of every answer, declared in Content-Type.</summary>
    public string Charset { get; set; } = "utf-8";

    /// <summary>How long a "hang" lasts (the client usually gives up first).</summary>
    public int HangMs { get; set; } = 60_000;

    /// <summary>Data-route steps chosen by subscription and/or by the request's date_debut.</summary>
    public List<FaultRule> Rules { get; set; } = [];

    public FaultPlan Clone()
    {
        var c = (FaultPlan)MemberwiseClone();
        c.Script = [.. Script];
        c.Rules = [.. Rules];
        return c;
    }

    /// <summary>Start-up options: --charset, --token-lifetime-requests, --token-lifetime-seconds, --fault-script "503,503", --fault-route.</summary>
    public static FaultPlan FromConfiguration(IConfiguration config)
    {
        var p = new FaultPlan();
        if (config["charset"] is { Length: > 0 } charset) p.Charset = charset;
        if (config["token-lifetime-requests"] is { Length: > 0 } n) p.TokenLifetimeRequests = int.Parse(n, CultureInfo.InvariantCulture);
        if (config["token-lifetime-seconds"] is { Length: > 0 } s) p.TokenLifetimeSeconds = double.Parse(s, CultureInfo.InvariantCulture);
        if (config["fault-script"] is { Length: > 0 } script) p.Script = [.. script.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (config["fault-route"] is { Length: > 0 } route) p.ScriptRoute = route;
        if (config["retry-after"] is { Length: > 0 } ra) p.RetryAfterSeconds = int.Parse(ra, CultureInfo.InvariantCulture);
        return p;
    }
}

/// <summary>A data-route step for the requests that match (every condition given must hold).</summary>
public sealed class FaultRule
{
    public long? Subscription { get; set; }

    /// <summary>Matches a request whose date_debut is on or after this day.</summary>
    public DateOnly? FromOnOrAfter { get; set; }

    /// <summary>Matches a request whose date_debut is before this day.</summary>
    public DateOnly? FromBefore { get; set; }

    public string Step { get; set; } = "html500";

    public bool Matches(long subscription, DateOnly from) =>
        (Subscription is null || Subscription == subscription)
        && (FromOnOrAfter is null || from >= FromOnOrAfter)
        && (FromBefore is null || from < FromBefore);
}

/// <summary>One API request as the simulator saw it (for tests: counts, User-Agent).</summary>
public sealed record RecordedRequest(string Route, string? Login, string? UserAgent, string? Subscription, string? From, string? To);

/// <summary>The fault machinery: plans per login, the scripts' progress, the request log, token ages.</summary>
public sealed class Faults
{
    public const string RouteConnect = "connect";
    public const string RouteData = "data";

    /// <summary>Logins of the fault accounts (password and AuthKey are the demo's).</summary>
    public const string FlakyLogin = "flaky@eglwater.test";
    public const string HangLogin = "hang@eglwater.test";
    public const string Latin1Login = "latin1@eglwater.test";
    public const string MultiLogin = "multi@eglwater.test";
    public const string ExpiringLogin = "expiring@eglwater.test";
    public const long MultiMain = 3_100_001;
    public static readonly long[] MultiOthers = [3_100_002, 3_100_003];

    private readonly ConcurrentDictionary<string, FaultPlan> _plans = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FaultPlan> _defaults = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _scriptPosition = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly object _scriptLock = new();

    public Faults(FaultPlan startup) => Startup = startup;

    /// <summary>The plan of every login that has none of its own (from the start-up options).</summary>
    public FaultPlan Startup { get; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();

    public FaultPlan PlanFor(string? login) =>
        login is not null && _plans.TryGetValue(login, out var p) ? p : Startup;

    /// <summary>The plan a fault account starts with (and returns to on DELETE /_simulator/faults).</summary>
    public void SetDefault(string login, FaultPlan plan)
    {
        _defaults[login] = plan;
        _plans[login] = plan.Clone();
    }

    public void Set(string login, FaultPlan plan)
    {
        lock (_scriptLock)
        {
            _plans[login] = plan;
            _scriptPosition.TryRemove(login, out _);
        }
    }

    public void Reset(string login)
    {
        lock (_scriptLock)
        {
            if (_defaults.TryGetValue(login, out var d)) _plans[login] = d.Clone();
            else _plans.TryRemove(login, out _);
            _scriptPosition.TryRemove(login, out _);
        }
    }

    public Encoding EncodingFor(string? login) =>
        PlanFor(login).Charset.Trim().ToLowerInvariant() is "iso-8859-1" or "latin1" or "latin-1" ? Encoding.Latin1 : Encoding.UTF8;

    /// <summary>Adds the fault accounts: flaky, hang, latin1, multi, expiring.</summary>
    public static void AddAccounts(SimulatorState state)
    {
        Account Like(string login, long subscription, long[]? others = null) => new()
        {
            Login = login,
            Password = SimulatorState.DemoPassword,
            AuthKey = SimulatorState.DemoAuthKey,
            SubscriptionNumber = subscription,
            OtherSubscriptions = others ?? [],
            Rows = (sub, today) => sub == SimulatorState.DemoSubscription
                ? SimulatorState.DemoRows(today, state.Options.PublishLagDays)
                : MeterData.Generate(MeterData.HistoryStart, today.AddDays(-state.Options.PublishLagDays), 100_000 * (sub % 100), sub),
        };

        state.Add(Like(FlakyLogin, SimulatorState.DemoSubscription));
        state.Faults.SetDefault(FlakyLogin, new FaultPlan { Script = ["503", "503", "ok"], RepeatScript = true });
        state.Add(Like(HangLogin, SimulatorState.DemoSubscription));
        state.Faults.SetDefault(HangLogin, new FaultPlan { Rules = [new FaultRule { Step = "hang" }] });
        state.Add(Like(Latin1Login, SimulatorState.DemoSubscription));
        state.Faults.SetDefault(Latin1Login, new FaultPlan { Charset = "iso-8859-1" });
        state.Add(Like(MultiLogin, MultiMain, MultiOthers));
        state.Add(Like(ExpiringLogin, SimulatorState.DemoSubscription));
        state.Faults.SetDefault(ExpiringLogin, new FaultPlan { TokenLifetimeRequests = 1 });
    }

    /// <summary>
    /// Applies the login's plan to one API request. Returns true when the fault wrote the answer
    /// (the route must then stop); false to answer normally (possibly truncated, see <see cref="Truncate"/>).
    /// </summary>
    public async Task<bool> BeforeAnswerAsync(HttpContext http, string route, string? login, IFormCollection form, long? subscription = null, DateOnly? from = null)
    {
        var plan = PlanFor(login);
        if (plan.LatencyMs > 0) await Task.Delay(plan.LatencyMs, http.RequestAborted).ContinueWith(_ => { });

        string? step = null;
        if (route == RouteData && subscription is { } sub && from is { } day)
            step = plan.Rules.FirstOrDefault(r => r.Matches(sub, day))?.Step;
        step ??= NextScriptStep(login, plan, route);
        return step is null ? false : await RunStepAsync(http, step, plan, form);
    }

    /// <summary>Logs one API request (every one, valid or not), with the login it belongs to.</summary>
    public void Record(HttpContext http, string route, string? login, IFormCollection form)
    {
        http.Items[SimulatorApp.LoginKey] = login;
        _requests.Enqueue(new RecordedRequest(route, login, http.Request.Headers.UserAgent.ToString(), form["num_abt"], form["date_debut"], form["date_fin"]));
    }

    private string? NextScriptStep(string? login, FaultPlan plan, string route)
    {
        if (login is null || plan.Script.Count == 0) return null;
        if (!string.Equals(plan.ScriptRoute, "any", StringComparison.OrdinalIgnoreCase) && !string.Equals(plan.ScriptRoute, route, StringComparison.OrdinalIgnoreCase)) return null;
        lock (_scriptLock)
        {
            int i = _scriptPosition.GetValueOrDefault(login);
            if (i >= plan.Script.Count)
            {
                if (!plan.RepeatScript) return null;
                i = 0;
            }

            _scriptPosition[login] = i + 1;
            return plan.Script[i];
        }
    }

    private static async Task<bool> RunStepAsync(HttpContext http, string step, FaultPlan plan, IFormCollection form)
    {
        step = step.Trim().ToLowerInvariant();
        if (step == "ok") return false;
        if (step.StartsWith("delay:", StringComparison.Ordinal))
        {
            await Task.Delay(int.Parse(step[6..], CultureInfo.InvariantCulture), http.RequestAborted).ContinueWith(_ => { });
            return false;
        }

        if (step == "truncate")
        {
            http.Items[TruncateKey] = true;
            return false;
        }

        if (step == "overreach")
        {
            http.Items[OverreachKey] = true;
            return false;
        }

        if (step == "hang")
        {
            // Keeps the client waiting; ends early when the client goes away (time-out, Ctrl+C).
            await Task.Delay(plan.HangMs, http.RequestAborted).ContinueWith(_ => { });
            if (http.RequestAborted.IsCancellationRequested) return true;
            return false;
        }

        if (step == "code300")
        {
            await SimulatorApp.WriteEnvelopeAsync(http, SimulatorApp.CodeBadToken, "Jeton invalide ou expiré", null);
            return true;
        }

        if (step is "html200" or "html500" or "echo500")
        {
            string echo = step == "echo500"
                ? $"<p>Request: {string.Join("&", form.Select(f => f.Key + "=" + f.Value))}</p><p>AuthKey: {http.Request.Headers["AuthKey"]}</p>"
                : string.Empty;
            string html = $"<!DOCTYPE html><html><head><title>Erreur d'exécution</title></head><body><h1>Erreur du serveur dans l'application '/ws'.</h1>{echo}<p>Description : une exception non gérée s'est produite.</p></body></html>";
            http.Response.StatusCode = step == "html200" ? 200 : 500;
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(html, Encoding.UTF8);
            return true;
        }

        if (int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            http.Response.StatusCode = status;
            if (status == 429) http.Response.Headers.RetryAfter = plan.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"HTTP {status}", Encoding.UTF8);
            return true;
        }

        throw new InvalidOperationException($"Unknown fault step '{step}'.");
    }

    internal const string TruncateKey = "eglwater.truncate";
    internal const string OverreachKey = "eglwater.overreach";

    /// <summary>Days past date_fin the "overreach" step adds to an answer.</summary>
    public const int OverreachDays = 40;

    /// <summary>True when the answer must include days after date_fin (the "overreach" step).</summary>
    public static bool Overreach(HttpContext http) => http.Items.ContainsKey(OverreachKey);

    /// <summary>True when the answer must be cut in the middle (the "truncate" step).</summary>
    public static bool Truncate(HttpContext http) => http.Items.ContainsKey(TruncateKey);

    /// <summary>The control routes under /_simulator (outside the API prefix).</summary>
    public static void MapControl(WebApplication app, SimulatorState state)
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        app.MapPost("/_simulator/faults", async (HttpContext http, string login) =>
        {
            var plan = await JsonSerializer.DeserializeAsync<FaultPlan>(http.Request.Body, web) ?? new FaultPlan();
            state.Faults.Set(login, plan);
            return Results.Json(plan, web);
        });
        app.MapGet("/_simulator/faults", (string login) => Results.Json(state.Faults.PlanFor(login), web));
        app.MapDelete("/_simulator/faults", (string login) =>
        {
            state.Faults.Reset(login);
            return Results.NoContent();
        });
        app.MapGet("/_simulator/requests", (string? login) =>
            Results.Json(state.Faults.Requests.Where(r => login is null || string.Equals(r.Login, login, StringComparison.OrdinalIgnoreCase)), web));
        app.MapGet("/_simulator/tokens", (string login) => Results.Json(state.TokensOf(login), web));
        app.MapPost("/_simulator/expire", (string login) => Results.Json(new { expired = state.ExpireTokens(login) }, web));
        // Moves the simulator's "today" (days get published, pending days become final), while it runs.
        app.MapPost("/_simulator/today", (string date) =>
        {
            state.Options.Today = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return Results.Json(new { today = date }, web);
        });
    }
}
