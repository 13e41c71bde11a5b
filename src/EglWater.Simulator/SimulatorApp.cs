using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EglWater.Simulator;

/// <summary>
/// The EGL partner API as the seed documents it: form-encoded POSTs, the AuthKey header on
/// connect.asp, the codeRetour / libelleRetour / resultatRetour envelope, MM/DD/YYYY dates, one row
/// per day at Paris midnight. The codeRetour values other than 100 are the simulator's own choice:
/// the real ones are not documented, and the module treats every non-100 value alike.
/// </summary>
public static class SimulatorApp
{
    public const int CodeOk = 100;
    public const int CodeBadLogin = 201;
    public const int CodeBadAuthKey = 202;
    public const int CodeBadToken = 300;
    public const int CodeBadRequest = 400;

    private static readonly JsonSerializerOptions Json = new()
    {
        // Like the real server: "Connecté" written as is, not as \u00e9.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static WebApplication Build(string[] args, SimulatorOptions? options = null, Action<SimulatorState>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        options ??= SimulatorOptions.FromConfiguration(builder.Configuration);
        var state = new SimulatorState(options);
        configure?.Invoke(state);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        Map(app, state);
        return app;
    }

    /// <summary>Starts a simulator in this process on a free loopback port (for xunit) and returns it with its API base URI.</summary>
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(SimulatorOptions options, Action<SimulatorState>? configure = null)
    {
        var app = Build(["--urls", "http://127.0.0.1:0"], options, configure);
        await app.StartAsync();
        return (app, BaseUriOf(app, options));
    }

    public static Uri BaseUriOf(WebApplication app, SimulatorOptions options)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + options.NormalizedPrefix);
    }

    private static void Map(WebApplication app, SimulatorState state)
    {
        var options = state.Options;
        var api = app.MapGroup(options.NormalizedPrefix);
        api.MapPost("/connect.asp", (HttpContext http) => ConnectAsync(http, state));
        api.MapPost("/getAllAgregatsByAbonnement.aspx", (HttpContext http) => AggregatesAsync(http, state));

        // Not part of the EGL API: the simulator's own truth, for tests that compare values.
        app.MapGet("/_simulator/rows", (string login, long? subscription) =>
        {
            var account = state.Find(login);
            if (account is null) return Results.NotFound();
            var rows = account.Rows(subscription ?? account.SubscriptionNumber, state.Today);
            // The portal's signals of the day, for the accounts that have them (DebitMin in L/h, LeakLiters in litres).
            return Results.Json(rows.Select(r =>
            {
                var (debitMin, leak) = account.Signals?.Invoke(r.Day) ?? (double.NaN, double.NaN);
                return new
                {
                    Day = r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    r.Type,
                    r.Index,
                    DebitMin = account.Signals is null ? (double?)null : debitMin,
                    LeakLiters = account.Signals is null ? (double?)null : leak,
                };
            }));
        });
        Faults.MapControl(app, state);
        Portal.Map(app, state);
        app.MapGet("/_simulator/health", () => Results.Json(new { today = state.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
    }

    private static async Task ConnectAsync(HttpContext http, SimulatorState state)
    {
        await Latency(state);
        if (!http.Request.HasFormContentType)
        {
            await Envelope(http, CodeBadRequest, "Requête invalide : formulaire attendu", null);
            return;
        }

        var form = await http.Request.ReadFormAsync();
        var account = state.Find(form["login"]);
        state.Faults.Record(http, Faults.RouteConnect, account?.Login ?? form["login"], form);
        string? authKey = http.Request.Headers["AuthKey"];
        if (await state.Faults.BeforeAnswerAsync(http, Faults.RouteConnect, account?.Login, form)) return;
        if (account is null || !string.Equals(account.Password, form["pass"], StringComparison.Ordinal))
        {
            await Envelope(http, CodeBadLogin, "Identifiant ou mot de passe incorrect", null);
            return;
        }

        if (!string.Equals(account.AuthKey, authKey, StringComparison.Ordinal))
        {
            await Envelope(http, CodeBadAuthKey, "Clé d'authentification invalide", null);
            return;
        }

        var result = new Dictionary<string, object>
        {
            ["num_abt"] = account.SubscriptionNumber,
            ["token"] = state.IssueToken(account),
        };
        if (account.OtherSubscriptions.Length > 0)
            result["list_num_abt"] = new[] { account.SubscriptionNumber }.Concat(account.OtherSubscriptions).ToArray();
        await Envelope(http, CodeOk, "Connecté", result);
    }

    private static async Task AggregatesAsync(HttpContext http, SimulatorState state)
    {
        await Latency(state);
        if (!http.Request.HasFormContentType)
        {
            await Envelope(http, CodeBadRequest, "Requête invalide : formulaire attendu", null);
            return;
        }

        var form = await http.Request.ReadFormAsync();
        string? login = state.LoginOf(form["token"]);
        state.Faults.Record(http, Faults.RouteData, login, form);
        var account = state.FromToken(form["token"]);
        if (account is null)
        {
            // The login behind an expired token still gets its faults (charset, script).
            if (await state.Faults.BeforeAnswerAsync(http, Faults.RouteData, login, form)) return;
        }

        if (account is null)
        {
            await Envelope(http, CodeBadToken, "Jeton invalide ou expiré", null);
            return;
        }

        if (!long.TryParse(form["num_abt"], NumberStyles.None, CultureInfo.InvariantCulture, out long subscription)
            || (subscription != account.SubscriptionNumber && !account.OtherSubscriptions.Contains(subscription)))
        {
            await Envelope(http, CodeBadRequest, "Numéro d'abonnement inconnu", null);
            return;
        }

        if (!TryDate(form["date_debut"], out var from) || !TryDate(form["date_fin"], out var to))
        {
            await Envelope(http, CodeBadRequest, "Les dates doivent être des dates valides (MM/JJ/AAAA)", null);
            return;
        }

        if (await state.Faults.BeforeAnswerAsync(http, Faults.RouteData, account.Login, form, subscription, from)) return;
        if (from > to)
        {
            await Envelope(http, CodeBadRequest, "La date de début est postérieure à la date de fin", null);
            return;
        }

        var last = Faults.Overreach(http) ? to.AddDays(Faults.OverreachDays) : to;
        var rows = account.Rows(subscription, state.Today)
            .Where(r => r.Day >= from && r.Day <= last)
            .Select(r => new Dictionary<string, object>
            {
                ["DateReleve"] = Paris.DateReleve(r.Day),
                ["TypeAgregat"] = r.Type,
                ["ValeurIndex"] = r.Index,
            })
            .ToList();
        await Envelope(http, CodeOk, "L'opération a réussi", rows);
    }

    private static bool TryDate(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static Task Latency(SimulatorState state) =>
        state.Options.LatencyMs > 0 ? Task.Delay(state.Options.LatencyMs) : Task.CompletedTask;

    private static Task Envelope(HttpContext http, int code, string message, object? result) => WriteEnvelopeAsync(http, code, message, result);

    /// <summary>Writes the API's envelope in the charset of the login's fault plan (cut in the middle for the "truncate" fault).</summary>
    public static async Task WriteEnvelopeAsync(HttpContext http, int code, string message, object? result)
    {
        var body = new Dictionary<string, object?> { ["codeRetour"] = code, ["libelleRetour"] = message, ["resultatRetour"] = result };
        var state = http.RequestServices.GetRequiredService<SimulatorState>();
        var encoding = state.Faults.EncodingFor(http.Items[LoginKey] as string);
        byte[] bytes = encoding.GetBytes(JsonSerializer.Serialize(body, Json));
        if (Faults.Truncate(http)) bytes = bytes[..(bytes.Length / 2)];
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json; charset=" + encoding.WebName;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes);
    }

    internal const string LoginKey = "eglwater.login";
}
