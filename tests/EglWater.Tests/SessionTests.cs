using System.Net.Http;
using EglWater.Api;
using RichardSzalay.MockHttp;
using static EglWater.Tests.Hardening;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>The session: one re-authentication on a refused data answer, shared safely between threads.</summary>
public class SessionTests
{
    private const string Expired = """{"codeRetour":300,"libelleRetour":"Jeton invalide ou expiré","resultatRetour":null}""";

    private static string LoginWith(string token) =>
        "{\"codeRetour\":100,\"libelleRetour\":\"Connecté\",\"resultatRetour\":{\"num_abt\":1895683,\"token\":\"" + token + "\",\"list_num_abt\":[1895683,2000002]}}";

    /// <summary>A server issuing tokens T1, T2, … and accepting only those <paramref name="accepts"/> says yes to.</summary>
    private sealed class TokenServer
    {
        private int _logins;
        private int _data;

        public TokenServer(Func<string, bool> accepts, MockHttpMessageHandler? mock = null, Func<string, Task>? beforeDataAnswer = null)
        {
            Mock = mock ?? new MockHttpMessageHandler();
            Mock.When(HttpMethod.Post, "*/connect.asp").Respond(_ => Json(LoginWith("T" + Interlocked.Increment(ref _logins))));
            Mock.When(HttpMethod.Post, "*/getAllAgregatsByAbonnement.aspx").Respond(new AsyncResponder(async (req, _) =>
            {
                Interlocked.Increment(ref _data);
                string token = FormOf(req)["token"];
                if (beforeDataAnswer is not null) await beforeDataAnswer(token);
                return Json(accepts(token) ? TwoRows : Expired);
            }));
        }

        public MockHttpMessageHandler Mock { get; }
        public int Logins => Volatile.Read(ref _logins);
        public int DataRequests => Volatile.Read(ref _data);

        public EglPartnerSession Session() => new(new EglPartnerClient(Mock.ToHttpClient()), WsBase, Credential());
    }

    [Fact]
    public async Task The_login_lists_every_subscription_with_the_main_one_first()
    {
        var server = new TokenServer(_ => true);
        var session = server.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(1895683, session.SubscriptionNumber);
        Assert.Equal([1895683L, 2000002L], session.Subscriptions);
        Assert.True(session.IsConnected);
    }

    [Fact]
    public async Task An_expired_token_is_renewed_once_and_the_request_retried()
    {
        var server = new TokenServer(t => t != "T1");
        var session = server.Session();
        var log = new ListLog();
        await session.LoginAsync(FastOptions(), CancellationToken.None);

        var rows = await session.GetReadingsAsync(1895683, new DateTime(2020, 7, 1), new DateTime(2020, 7, 2), FastOptions(log), CancellationToken.None);

        Assert.Equal(2, rows.Count);
        Assert.Equal(2, server.Logins);
        Assert.Equal(2, session.LoginCount);
        Assert.Equal(2, server.DataRequests);
        Assert.Contains(log.Lines, l => l.Contains("codeRetour 300; logging in again once"));
    }

    [Fact]
    public async Task A_second_refusal_is_EglApiError_with_the_code_and_the_text()
    {
        var server = new TokenServer(_ => false);
        var session = server.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<EglApiException>(() => session.GetReadingsAsync(1895683, new DateTime(2020, 7, 1), new DateTime(2020, 7, 2), FastOptions(), CancellationToken.None));

        Assert.Equal("EglApiError", ex.ErrorId);
        Assert.Equal("300", ex.Code);
        Assert.Equal("Jeton invalide ou expiré", ex.ApiMessage);
        Assert.Contains("codeRetour 300: Jeton invalide ou expiré", ex.Message);
        Assert.Equal(2, server.Logins);
        Assert.Equal(2, server.DataRequests);
        TransportTests.AssertClean(ex);
    }

    [Fact]
    public async Task Concurrent_requests_refused_together_renew_the_token_once()
    {
        const int parallel = 4;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int withOldToken = 0;
        var server = new TokenServer(
            t => t != "T1",
            beforeDataAnswer: async token =>
            {
                if (token != "T1") return;
                // Hold every request with the old token until all of them are in flight: they are all refused together.
                if (Interlocked.Increment(ref withOldToken) == parallel) allArrived.TrySetResult();
                await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            });
        var session = server.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, parallel).Select(i =>
            Task.Run(() => session.GetReadingsAsync(1895683, new DateTime(2020 + i, 7, 1), new DateTime(2020 + i, 7, 2), FastOptions(), CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(2, r.Count));
        Assert.Equal(parallel, withOldToken);
        Assert.Equal(2, server.Logins);
        Assert.Equal(2 * parallel, server.DataRequests);
    }

    [Fact]
    public async Task A_closed_session_is_EglNotConnected_before_any_request()
    {
        var server = new TokenServer(_ => true);
        var session = server.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        session.Close();
        Assert.False(session.IsConnected);
        var ex = await Assert.ThrowsAsync<EglNotConnectedException>(() => session.GetReadingsAsync(1895683, DateTime.Today, DateTime.Today, FastOptions(), CancellationToken.None));
        Assert.Equal("EglNotConnected", ex.ErrorId);
        Assert.Equal(0, server.DataRequests);
    }

    [Fact]
    public async Task No_public_text_of_the_session_shows_a_secret()
    {
        var server = new TokenServer(_ => true);
        var session = server.Session();
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        var login = await new EglPartnerClient(server.Mock.ToHttpClient()).LoginAsync(WsBase, Credential(), FastOptions(), CancellationToken.None);
        foreach (string text in new[] { session.ToString(), Credential().ToString(), login.ToString() })
        {
            Assert.DoesNotContain(Password, text);
            Assert.DoesNotContain(AuthKey, text);
            Assert.DoesNotContain("T1", text);
            Assert.DoesNotContain(login.Token, text);
        }

        // Nothing public on the session or the credential exposes them either.
        foreach (var type in new[] { typeof(EglPartnerSession), typeof(EglCredential), typeof(EglLoginResult), typeof(EglSession) })
        {
            foreach (var p in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.PropertyType != typeof(bool)))
                Assert.DoesNotMatch("(?i)token|password|pass$|authkey|secret", p.Name);
        }
    }
}

/// <summary>Chunks of at most a year, bounded parallelism, date order.</summary>
public class RangeFetcherTests
{
    [Theory]
    [InlineData("2022-11-01", "2026-03-14")]
    [InlineData("2024-01-01", "2024-12-31")]
    [InlineData("2024-02-29", "2025-03-01")]
    [InlineData("2025-06-01", "2025-06-01")]
    [InlineData("2015-01-01", "2025-12-31")]
    public void Chunks_are_at_most_a_year_contiguous_and_cover_the_range(string fromText, string toText)
    {
        var from = DateTime.Parse(fromText, System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTime.Parse(toText, System.Globalization.CultureInfo.InvariantCulture);
        var chunks = EglRangeFetcher.Split(from, to);
        Assert.Equal(from, chunks[0].From);
        Assert.Equal(to, chunks[^1].To);
        for (int i = 0; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].From <= chunks[i].To);
            Assert.InRange((chunks[i].To - chunks[i].From).TotalDays + 1, 1, 365);
            if (i > 0) Assert.Equal(chunks[i - 1].To.AddDays(1), chunks[i].From);
        }

        Assert.Equal((int)Math.Ceiling(((to - from).TotalDays + 1) / 365), chunks.Count);
    }

    [Theory]
    [InlineData(4, 10)]
    [InlineData(2, 5)]
    [InlineData(1, 3)]
    public async Task At_most_the_given_number_of_chunks_are_in_flight(int parallelism, int years)
    {
        int inFlight = 0, maxInFlight = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var overflow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = EglRangeFetcher.Start<EglIndexReading>(
            async (start, end, ct) =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                if (now > parallelism) overflow.TrySetResult();
                await release.Task;
                await Task.Delay(5);
                Interlocked.Decrement(ref inFlight);
                return [new EglIndexReading(1, start, 1, "R"), new EglIndexReading(1, end, 2, "R")];
            },
            new DateTime(2015, 1, 1),
            new DateTime(2015, 1, 1).AddDays(365 * years - 1),
            CancellationToken.None,
            parallelism: parallelism);

        await Hardening.Until(() => Volatile.Read(ref inFlight) == Math.Min(parallelism, years));
        // A margin, not a sleep that decides: "no further chunk starts" can only be watched for a while. A correct gate
        // never trips the overflow event, so the window only bounds how long a broken one has to show itself (the
        // former 100 ms could pass on a loaded machine before the extra chunk was even scheduled).
        await Task.WhenAny(overflow.Task, Task.Delay(500));
        Assert.False(overflow.Task.IsCompleted, "more chunks in flight than the parallelism");
        Assert.Equal(Math.Min(parallelism, years), Volatile.Read(ref maxInFlight));
        release.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(years, results.Length);
        Assert.Equal(Math.Min(parallelism, years), maxInFlight);
        var firstDays = results.Select(r => r[0].Date).ToList();
        Assert.Equal(firstDays.OrderBy(d => d), firstDays);
    }

    [Fact]
    public void The_default_parallelism_is_four_and_chunks_a_year()
    {
        Assert.Equal(4, EglRangeFetcher.DefaultParallelism);
        Assert.Equal(365, EglRangeFetcher.DefaultChunkDays);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
