using System.Net;
using System.Net.Http;
using EglWater.Api;
using RichardSzalay.MockHttp;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

public class WireTests
{
    [Theory]
    [InlineData("https://agence.example.test/ws", "https://agence.example.test/ws/connect.asp")]
    [InlineData("https://agence.example.test/ws/", "https://agence.example.test/ws/connect.asp")]
    [InlineData("https://agence.example.test", "https://agence.example.test/connect.asp")]
    [InlineData("https://agence.example.test/a/b", "https://agence.example.test/a/b/connect.asp")]
    public void Combine_keeps_the_base_path_prefix(string baseUri, string expected)
    {
        Assert.Equal(expected, EglServers.Combine(new Uri(baseUri), "connect.asp").AbsoluteUri);
        Assert.Equal(expected, EglServers.Combine(new Uri(baseUri), "/connect.asp").AbsoluteUri);
    }

    [Fact]
    public async Task Login_posts_the_form_and_the_AuthKey_header_to_the_route_under_ws()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://agence.example.test/ws/connect.asp")
            .WithHeaders("AuthKey", AuthKey)
            .WithHeaders("Content-Type", "application/x-www-form-urlencoded")
            .WithFormData(new Dictionary<string, string> { ["login"] = Login, ["pass"] = Password })
            .Respond("application/json", LoginOk);
        var client = new EglPartnerClient(mock.ToHttpClient());

        var result = await client.LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None);

        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(1895683, result.SubscriptionNumber);
        Assert.Equal(Token, result.Token);
        Assert.Equal([1895683L], result.Subscriptions);
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("en-US")]
    [InlineData("ar-SA")]
    [InlineData("th-TH")]
    public async Task Data_request_sends_token_subscription_and_month_first_dates_whatever_the_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://agence.example.test/ws/getAllAgregatsByAbonnement.aspx")
            .WithFormData(new Dictionary<string, string>
            {
                ["token"] = Token,
                ["num_abt"] = "1895683",
                ["date_debut"] = "07/01/2020",
                ["date_fin"] = "12/31/2020",
            })
            .Respond("application/json", TwoRows);
        var client = new EglPartnerClient(mock.ToHttpClient());

        var answer = await client.GetAggregatesAsync(WsBase, Token, 1895683, new DateTime(2020, 7, 1), new DateTime(2020, 12, 31), FastOptions(), CancellationToken.None);

        mock.VerifyNoOutstandingExpectation();
        Assert.True(answer.IsSuccess);
        Assert.Equal(2, answer.Readings!.Count);
    }

    [Fact]
    public void The_documented_answer_parses_into_calendar_days_and_litres()
    {
        var rows = EglPartnerWire.ParseAggregates("r", 200, "application/json", TwoRows, 42, out var code, out _)!;
        Assert.Equal("100", code);
        Assert.Equal(new DateTime(2020, 7, 1), rows[0].Date);
        Assert.Equal(562362, rows[0].Index);
        Assert.Equal("R", rows[0].RawType);
        Assert.Equal(EglReadingType.Real, rows[0].Type);
        Assert.Equal(42, rows[0].SubscriptionNumber);
        Assert.Equal(new DateTime(2020, 7, 2), rows[1].Date);
    }

    [Theory]
    [InlineData("2020-07-01T00:00:00+02:00", "2020-07-01")]
    [InlineData("2020-01-01T00:00:00+01:00", "2020-01-01")]
    [InlineData("2025-03-30T00:00:00+01:00", "2025-03-30")]
    [InlineData("2025-03-31T00:00:00+02:00", "2025-03-31")]
    [InlineData("2020-07-01T23:30:00-10:00", "2020-07-01")]
    public void The_calendar_day_is_the_one_written_in_the_string(string text, string expected)
    {
        Assert.True(EglPartnerWire.TryParseCalendarDay(text, out var day));
        Assert.Equal(expected, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Unspecified, day.Kind);
    }

    [Fact]
    public void Every_TypeAgregat_letter_maps_and_unknown_ones_keep_their_letter()
    {
        string json = """
            {"codeRetour":100,"libelleRetour":"ok","resultatRetour":[
              {"DateReleve":"2020-07-01T00:00:00+02:00","TypeAgregat":"R","ValeurIndex":1},
              {"DateReleve":"2020-07-02T00:00:00+02:00","TypeAgregat":"A","ValeurIndex":2},
              {"DateReleve":"2020-07-03T00:00:00+02:00","TypeAgregat":"D","ValeurIndex":3},
              {"DateReleve":"2020-07-04T00:00:00+02:00","TypeAgregat":"T","ValeurIndex":4},
              {"DateReleve":"2020-07-05T00:00:00+02:00","TypeAgregat":"V","ValeurIndex":5},
              {"DateReleve":"2020-07-06T00:00:00+02:00","TypeAgregat":"X","ValeurIndex":6},
              {"DateReleve":"2020-07-07T00:00:00+02:00","TypeAgregat":"Q","ValeurIndex":7}]}
            """;
        var rows = EglPartnerWire.ParseAggregates("r", 200, null, json, 1, out _, out _)!;
        Assert.Equal(
            [EglReadingType.Real, EglReadingType.Anomaly, EglReadingType.MeterChange, EglReadingType.Pending, EglReadingType.Unknown, EglReadingType.Unknown, EglReadingType.Unknown],
            rows.Select(r => r.Type));
        Assert.Equal(["R", "A", "D", "T", "V", "X", "Q"], rows.Select(r => r.RawType));
    }

    [Fact]
    public void A_refused_data_answer_returns_the_code_and_message_instead_of_rows()
    {
        var rows = EglPartnerWire.ParseAggregates("r", 200, null, """{"codeRetour":300,"libelleRetour":"Jeton expiré","resultatRetour":null}""", 1, out var code, out var message);
        Assert.Null(rows);
        Assert.Equal("300", code);
        Assert.Equal("Jeton expiré", message);
    }

    [Fact]
    public async Task A_refused_login_is_an_authentication_error_with_the_API_message()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", """{"codeRetour":201,"libelleRetour":"Identifiant ou mot de passe incorrect","resultatRetour":null}""");
        var client = new EglPartnerClient(mock.ToHttpClient());
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => client.LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None));
        Assert.Equal("EglAuthenticationFailed", ex.ErrorId);
        Assert.Contains("Identifiant ou mot de passe incorrect", ex.Message);
        Assert.Equal("201", ex.Code);
    }

    [Fact]
    public async Task Requests_carry_the_module_user_agent_on_the_shared_client()
    {
        // On the wire, through the process's shared client: exactly one product, the module's, whatever the route.
        await using var server = await LoopbackServer.StartAsync();
        await EglPartnerClient.Default.LoginAsync(server.Ws, Credential(), FastOptions(), CancellationToken.None);
        await EglPartnerClient.Default.GetAggregatesAsync(server.Ws, Token, 1, new DateTime(2020, 7, 1), new DateTime(2020, 7, 2), FastOptions(), CancellationToken.None)
            .ContinueWith(_ => { }, TaskScheduler.Default); // the server's "ok" is not JSON: only the request matters here
        var seen = server.Requests.ToList();
        Assert.Equal(["/ws/connect.asp", "/ws/getAllAgregatsByAbonnement.aspx"], seen.Select(r => r.Path));
        Assert.All(seen, r => Assert.Equal("EglWater/" + EglHttp.Version, r.UserAgent));
        Assert.Matches(@"^\d+\.\d+\.\d+", EglHttp.Version);
    }
}
