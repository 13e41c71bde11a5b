using System.Net;
using System.Net.Http;
using System.Text;
using EglWater.Api;
using RichardSzalay.MockHttp;
using static EglWater.Tests.Hardening;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>Base URIs, headers, charsets and the tolerant-but-strict wire format, through the client.</summary>
public class TransportTests
{
    [Theory]
    [InlineData("https://agence.example.test/ws", "https://agence.example.test/ws/")]
    [InlineData("https://agence.example.test/ws/", "https://agence.example.test/ws/")]
    [InlineData("https://agence.example.test", "https://agence.example.test/")]
    [InlineData("https://agence.example.test/a/b", "https://agence.example.test/a/b/")]
    [InlineData("https://agence.example.test:8443/ws?x=1#f", "https://agence.example.test:8443/ws/")]
    public async Task Both_routes_are_reached_under_the_base_whatever_its_form(string baseUri, string expectedBase)
    {
        var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.Expect(HttpMethod.Post, expectedBase + "connect.asp").Respond("application/json", LoginOk);
        mock.Expect(HttpMethod.Post, expectedBase + "getAllAgregatsByAbonnement.aspx").Respond("application/json", TwoRows);
        mock.Fallback.Respond(req => throw new InvalidOperationException("unexpected request to " + req.RequestUri));
        var session = new EglPartnerSession(new EglPartnerClient(mock.ToHttpClient()), new Uri(baseUri), Credential());

        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var rows = await session.GetReadingsAsync(1895683, new DateTime(2020, 7, 1), new DateTime(2020, 7, 2), FastOptions(), CancellationToken.None);

        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(2, rows.Count);
        Assert.Equal(expectedBase, session.BaseUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("/ws")]
    public void A_relative_base_is_refused(string relative)
    {
        var ex = Assert.Throws<ArgumentException>(() => EglServers.Normalize(new Uri(relative, UriKind.Relative)));
        Assert.Contains("not absolute", ex.Message);
    }

    [Fact]
    public void A_base_that_is_not_http_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EglServers.Normalize(new Uri("ftp://agence.example.test/ws")));
    }

    [Fact]
    public async Task Every_request_carries_the_module_User_Agent_on_the_wire()
    {
        var mock = new MockHttpMessageHandler();
        string expected = "EglWater/" + EglHttp.Version;
        mock.Expect(HttpMethod.Post, "*/connect.asp").WithHeaders("User-Agent", expected).Respond("application/json", LoginOk);
        mock.Expect(HttpMethod.Post, "*/getAllAgregatsByAbonnement.aspx").WithHeaders("User-Agent", expected).Respond("application/json", TwoRows);
        var client = new EglPartnerClient(mock.ToHttpClient());

        await client.LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None);
        await client.GetAggregatesAsync(WsBase, Token, 1, new DateTime(2020, 7, 1), new DateTime(2020, 7, 2), FastOptions(), CancellationToken.None);

        mock.VerifyNoOutstandingExpectation();
        Assert.Matches(@"^\d+\.\d+\.\d+", EglHttp.Version);
    }

    [Fact]
    public async Task The_partner_client_and_the_portal_transport_of_the_process_share_one_connection_and_keep_no_cookie()
    {
        // What "one shared client" means, seen from a real server: Connect-Egl's partner client (EglPartnerClient.Default)
        // and portal transport (EglTransport.Default) send over the same pooled connection, with the User-Agent,
        // no cookie kept by the process (cookies belong to a session) and no redirect followed (the portal's login
        // reads its 302s). Two separate clients would come on two connections.
        await using var server = await LoopbackServer.StartAsync();
        var options = FastOptions();
        var login = await EglPartnerClient.Default.LoginAsync(server.Ws, Credential(), options, CancellationToken.None);
        Assert.Equal(1895683, login.SubscriptionNumber);
        var answer = await EglTransport.Default.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "redirect")), "redirect", options, CancellationToken.None);
        Assert.Equal(302, answer.Status);
        Assert.Equal("/elsewhere", answer.Location?.OriginalString);

        var seen = server.Requests.ToList();
        Assert.Equal(["/ws/connect.asp", "/redirect"], seen.Select(r => r.Path));
        Assert.Equal(seen[0].ConnectionId, seen[1].ConnectionId);
        Assert.All(seen, r => Assert.Equal("EglWater/" + EglHttp.Version, r.UserAgent));
        Assert.Null(seen[1].Cookie); // the first answer set PROCESSWIDE=leak: the process did not keep it
        Assert.Equal(Timeout.InfiniteTimeSpan, EglHttp.Shared.Timeout); // per-attempt time-outs are Polly's
    }

    private static async Task<EglAuthenticationException> RefusedLogin(byte[] body, string contentType)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => Bytes(body, contentType));
        var client = new EglPartnerClient(mock.ToHttpClient());
        return await Assert.ThrowsAsync<EglAuthenticationException>(() => client.LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None));
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=ISO-8859-1")]
    [InlineData("application/json; charset=\"iso-8859-1\"")]
    [InlineData("text/html; charset=windows-1252")]
    [InlineData("application/json")]
    public async Task A_Latin1_answer_decodes_Connecte(string contentType)
    {
        byte[] body = Encoding.Latin1.GetBytes("""{"codeRetour":201,"libelleRetour":"Connecté ? Non : clé refusée","resultatRetour":null}""");
        var ex = await RefusedLogin(body, contentType);
        Assert.Equal("Connecté ? Non : clé refusée", ex.ApiMessage);
    }

    [Fact]
    public async Task A_Windows_1252_answer_decodes_its_own_characters()
    {
        // 0x92 is ’ and 0x80 is € in Windows-1252 (control characters in ISO-8859-1).
        byte[] body = Encoding.Latin1.GetBytes("""{"codeRetour":201,"libelleRetour":"Connecté : l_accès coûte 0 _","resultatRetour":null}""");
        body[Array.IndexOf(body, (byte)'_')] = 0x92;
        body[Array.LastIndexOf(body, (byte)'_')] = 0x80;
        var ex = await RefusedLogin(body, "application/json; charset=windows-1252");
        Assert.Equal("Connecté : l’accès coûte 0 €", ex.ApiMessage);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json")]
    public async Task A_UTF8_BOM_is_tolerated(string contentType)
    {
        byte[] body = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(LoginOk)];
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => Bytes(body, contentType));
        var result = await new EglPartnerClient(mock.ToHttpClient()).LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None);
        Assert.Equal(1895683, result.SubscriptionNumber);
        Assert.Equal(Token, result.Token);
    }

    [Fact]
    public void Numbers_as_strings_or_decimals_are_accepted_and_unknown_fields_ignored()
    {
        var login = EglPartnerWire.ParseLogin("connect.asp", 200, null, """
            {"codeRetour":"100","libelleRetour":"Connecté","extra":{"a":[1,2]},"resultatRetour":
              {"num_abt":"1895683","token":"T0K3N-abc","list_num_abt":["1895683",2000002.0,"2000003"],"nom":"X"}}
            """);
        Assert.Equal(1895683, login.SubscriptionNumber);
        Assert.Equal([1895683L, 2000002L, 2000003L], login.Subscriptions);

        var rows = EglPartnerWire.ParseAggregates("r", 200, null, """
            {"codeRetour":100.0,"libelleRetour":"ok","resultatRetour":[
              {"DateReleve":"2020-07-01T00:00:00+02:00","TypeAgregat":"R","ValeurIndex":562362.0,"Inconnu":true},
              {"DateReleve":"2020-07-02T00:00:00+02:00","TypeAgregat":"R","ValeurIndex":"562432"}]}
            """, 1, out var code, out _)!;
        Assert.Equal("100", code);
        Assert.Equal([562362.0, 562432.0], rows.Select(r => r.Index));
    }

    [Theory]
    [InlineData("""{"libelleRetour":"ok","resultatRetour":{"num_abt":1,"token":"t"}}""", "codeRetour")]
    [InlineData("""{"codeRetour":100,"libelleRetour":"ok","resultatRetour":{"token":"t"}}""", "num_abt")]
    [InlineData("""{"codeRetour":100,"libelleRetour":"ok","resultatRetour":{"num_abt":1}}""", "token")]
    [InlineData("""{"codeRetour":100,"libelleRetour":"ok","resultatRetour":{"num_abt":"abc","token":"t"}}""", "num_abt")]
    [InlineData("""{"codeRetour":100,"libelleRetour":"ok"}""", "resultatRetour")]
    public void A_login_answer_missing_a_required_field_is_EglInvalidResponse(string json, string field)
    {
        var ex = Assert.Throws<EglInvalidResponseException>(() => EglPartnerWire.ParseLogin("connect.asp", 200, "application/json", json));
        Assert.Contains(field, ex.Message);
        Assert.Equal("EglInvalidResponse", ex.ErrorId);
    }

    [Theory]
    [InlineData("""{"DateReleve":"2020-07-01T00:00:00+02:00","TypeAgregat":"R"}""", "ValeurIndex")]
    [InlineData("""{"TypeAgregat":"R","ValeurIndex":1}""", "DateReleve")]
    [InlineData("""{"DateReleve":"hier","TypeAgregat":"R","ValeurIndex":1}""", "DateReleve")]
    [InlineData("""{"DateReleve":"2020-07-01T00:00:00+02:00","ValeurIndex":"beaucoup"}""", "ValeurIndex")]
    public void A_row_missing_a_required_field_is_EglInvalidResponse(string row, string field)
    {
        string json = "{\"codeRetour\":100,\"libelleRetour\":\"ok\",\"resultatRetour\":[" + row + "]}";
        var ex = Assert.Throws<EglInvalidResponseException>(() => EglPartnerWire.ParseAggregates("getAllAgregatsByAbonnement.aspx", 200, "application/json", json, 1, out _, out _));
        Assert.Contains(field, ex.Message);
    }

    [Theory]
    [InlineData(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Erreur</title></head>\n<body><h1>Erreur du serveur dans l'application '/ws'.</h1></body></html>", "an HTML or XML page")]
    [InlineData(500, "text/html", "<html><body><h1>Erreur du serveur</h1><p>Runtime Error</p></body></html>", "an HTML or XML page")]
    [InlineData(200, "application/json", """{"codeRetour":100,"libelleRetour":"Connecté","resultatRetour":{"num_ab""", "truncated or malformed JSON")]
    [InlineData(200, "application/json", "", "an empty body")]
    public async Task A_body_that_is_not_the_documented_JSON_names_route_status_type_and_a_clean_excerpt(int status, string contentType, string body, string reason)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => Bytes(Encoding.UTF8.GetBytes(body), contentType, (HttpStatusCode)status));
        var client = new EglPartnerClient(mock.ToHttpClient());
        var options = FastOptions();
        options.MaximumRetryCount = 0;

        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => client.LoginAsync(WsBase, Credential(), options, CancellationToken.None));

        Assert.Equal("connect.asp", ex.Route);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("'connect.asp'", ex.Message);
        Assert.Contains($"HTTP {status}", ex.Message);
        Assert.Contains($"Content-Type '{contentType}'", ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain("<", ex.Excerpt);
        Assert.DoesNotContain("\n", ex.Excerpt);
        Assert.True(ex.Excerpt.Length <= 121, ex.Excerpt);
        if (body.Contains("Erreur du serveur")) Assert.Contains("Erreur du serveur", ex.Excerpt);
    }

    [Fact]
    public async Task Secrets_echoed_by_the_server_are_masked_in_the_excerpt_and_the_API_message()
    {
        var mock = new MockHttpMessageHandler();
        // A careless error page echoing the request (raw and URL-encoded) and a field named like a secret.
        string echo = $"<html><body>login={Login}&pass={Uri.EscapeDataString(Password)} AuthKey: {AuthKey} ({Password})</body></html>";
        mock.When("*/connect.asp").Respond(_ => Bytes(Encoding.UTF8.GetBytes(echo), "text/html", HttpStatusCode.InternalServerError));
        var client = new EglPartnerClient(mock.ToHttpClient());
        var options = FastOptions();
        options.MaximumRetryCount = 0;
        var login = await Assert.ThrowsAsync<EglInvalidResponseException>(() => client.LoginAsync(WsBase, Credential(), options, CancellationToken.None));
        AssertClean(login);
        Assert.Contains(Login, login.Message);
        Assert.Contains(EglRedactor.Mask, login.Excerpt); // the fault fired: the echo reached the excerpt, masked

        // A refused login whose message echoes the password.
        var mock2 = new MockHttpMessageHandler();
        mock2.When("*").Respond("application/json", $$"""{"codeRetour":201,"libelleRetour":"Mot de passe {{Password}} incorrect pour la clé {{AuthKey}}","resultatRetour":null}""");
        var refused = await Assert.ThrowsAsync<EglAuthenticationException>(() => new EglPartnerClient(mock2.ToHttpClient()).LoginAsync(WsBase, Credential(), options, CancellationToken.None));
        AssertClean(refused);
        Assert.Contains("incorrect", refused.Message);
        Assert.Contains(EglRedactor.Mask, refused.ApiMessage);

        // A truncated login answer: the token is unknown to the client yet, its field is masked.
        var mock3 = new MockHttpMessageHandler();
        mock3.When("*").Respond("application/json", $$"""{"codeRetour":100,"resultatRetour":{"num_abt":1,"token":"{{Token}}""");
        var truncated = await Assert.ThrowsAsync<EglInvalidResponseException>(() => new EglPartnerClient(mock3.ToHttpClient()).LoginAsync(WsBase, Credential(), options, CancellationToken.None));
        AssertClean(truncated);

        // A data answer echoing the token it was sent.
        var mock4 = new MockHttpMessageHandler();
        mock4.When("*").Respond(_ => Bytes(Encoding.UTF8.GetBytes($"<p>Jeton {Token} inconnu; token={Token}</p>"), "text/html", HttpStatusCode.InternalServerError));
        var data = await Assert.ThrowsAsync<EglInvalidResponseException>(() => new EglPartnerClient(mock4.ToHttpClient()).GetAggregatesAsync(WsBase, Token, 1, DateTime.Today, DateTime.Today, options, CancellationToken.None));
        AssertClean(data);
        Assert.Contains("Jeton " + EglRedactor.Mask, data.Excerpt);
    }

    internal static void AssertClean(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            foreach (string secret in new[] { Password, Uri.EscapeDataString(Password), AuthKey, Token })
            {
                Assert.DoesNotContain(secret, e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, e.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Redaction_masks_known_secrets_and_secret_named_fields_only()
    {
        string text = "token=ABCDEF&num_abt=12 \"pass\":\"hunter2\" AuthKey: k3y jeton=XYZ date_debut=01/01/2025 my-secret-value";
        string clean = EglRedactor.Redact(text, ["my-secret-value"]);
        Assert.Equal("token=***&num_abt=12 \"pass\":\"***\" AuthKey: *** jeton=*** date_debut=01/01/2025 ***", clean);
    }
}
