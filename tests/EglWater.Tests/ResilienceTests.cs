using System.Net;
using System.Net.Http;
using EglWater.Api;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;
using static EglWater.Tests.Hardening;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>Retries, back-off, Retry-After, per-attempt time-outs and cancellation, on a fake clock.</summary>
public class ResilienceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    private static (EglPartnerClient Client, MockHttpMessageHandler Mock, ProbedTimeProvider Time) Setup()
    {
        var mock = new MockHttpMessageHandler();
        var time = new ProbedTimeProvider(Start);
        return (new EglPartnerClient(mock.ToHttpClient(), time), mock, time);
    }

    /// <summary>Answers the given statuses in turn, then the login success.</summary>
    private static Func<HttpRequestMessage, HttpResponseMessage> Sequence(params int[] statuses)
    {
        int i = 0;
        return _ =>
        {
            int n = Interlocked.Increment(ref i) - 1;
            return n < statuses.Length ? Status(statuses[n], statuses[n] == 429 ? TimeSpan.FromSeconds(2) : null) : Json(LoginOk);
        };
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_statuses_are_retried_with_one_verbose_line_per_retry(int status)
    {
        var (client, mock, time) = Setup();
        var route = mock.When(HttpMethod.Post, "*/connect.asp").Respond(Sequence(status, status));
        var log = new ListLog();

        var result = await Drive(time, client.LoginAsync(WsBase, Credential(), Options(log), CancellationToken.None));

        Assert.Equal(1895683, result.SubscriptionNumber);
        Assert.Equal(3, mock.GetMatchCount(route));
        var retries = log.Lines.Where(l => l.StartsWith("V: Retry", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Contains($"after HTTP {status}", retries[0]);
        Assert.StartsWith("V: Retry 1/3 of connect.asp", retries[0]);
        Assert.StartsWith("V: Retry 2/3 of connect.asp", retries[1]);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Other_statuses_are_not_retried_and_name_the_status(int status)
    {
        var (client, mock, time) = Setup();
        var route = mock.When(HttpMethod.Post, "*").Respond(Sequence(status, status, status));
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), Options(), CancellationToken.None)));
        Assert.Equal(1, mock.GetMatchCount(route));
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains($"HTTP {status}", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task MaximumRetryCount_bounds_the_attempts(int retries)
    {
        var (client, mock, time) = Setup();
        var route = mock.When(HttpMethod.Post, "*").Respond(_ => Status(503));
        var log = new ListLog();
        var ex = await Assert.ThrowsAsync<EglInvalidResponseException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), Options(log, retries), CancellationToken.None)));
        Assert.Equal(retries + 1, mock.GetMatchCount(route));
        Assert.Equal(retries, log.Lines.Count(l => l.StartsWith("V: Retry", StringComparison.Ordinal)));
        Assert.Equal(503, ex.StatusCode);
    }

    [Fact]
    public void The_default_retry_count_is_three()
    {
        Assert.Equal(3, new EglRequestOptions().MaximumRetryCount);
    }

    [Theory]
    [InlineData(7, "7.0")]
    [InlineData(3600, "60.0")]
    public async Task Retry_After_is_honoured_up_to_a_cap(int seconds, string expected)
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ => Interlocked.Increment(ref calls) == 1 ? Status(429, TimeSpan.FromSeconds(seconds)) : Json(LoginOk));
        var log = new ListLog();
        await Drive(time, client.LoginAsync(WsBase, Credential(), Options(log), CancellationToken.None));
        Assert.Contains(log.Lines, l => l.StartsWith("V: Retry 1/3", StringComparison.Ordinal) && l.Contains($"in {expected} s after HTTP 429"));
        Assert.Contains(TimeSpan.FromSeconds(Math.Min(seconds, 60)), time.Created); // the wait really was on the clock
    }

    [Fact]
    public async Task A_retry_waits_for_the_delay_on_the_clock_it_is_given()
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ => Interlocked.Increment(ref calls) == 1 ? Status(429, TimeSpan.FromSeconds(10)) : Json(LoginOk));
        var log = new ListLog();
        var task = client.LoginAsync(WsBase, Credential(), Options(log), CancellationToken.None);
        // Deterministic (was: a 200 ms real sleep before advancing, which a loaded machine could outrun, so the
        // clock moved before the wait began): wait for the event "the 10 s timer exists", then move the clock.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9.9));
        // Advance fires due timers synchronously: the 10 s one is still waiting, so no retry can have been sent.
        Assert.True(time.IsWaiting(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(task.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(time.IsWaiting(TimeSpan.FromSeconds(10)));
        await task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Back_off_without_Retry_After_grows_and_stays_under_the_cap()
    {
        var (client, mock, time) = Setup();
        mock.When(HttpMethod.Post, "*").Respond(_ => Status(503));
        var log = new ListLog();
        var options = Options(log, retries: 6);
        await Assert.ThrowsAsync<EglInvalidResponseException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), options, CancellationToken.None)));
        var delays = log.Lines.Where(l => l.StartsWith("V: Retry", StringComparison.Ordinal))
            .Select(l => double.Parse(System.Text.RegularExpressions.Regex.Match(l, @" in ([0-9.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(6, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, 0.0, 30.0));
        Assert.True(delays.Skip(3).Max() > delays[0], $"exponential back-off expected: {string.Join(", ", delays)}");
    }

    [Fact]
    public async Task Network_errors_are_retried_then_reported_as_EglConnectionFailed()
    {
        var (client, mock, time) = Setup();
        var route = mock.When(HttpMethod.Post, "*").Throw(new HttpRequestException("Connection refused"));
        var log = new ListLog();
        var ex = await Assert.ThrowsAsync<EglConnectionException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), Options(log, 2), CancellationToken.None)));
        Assert.Equal(3, mock.GetMatchCount(route));
        Assert.Equal("EglConnectionFailed", ex.ErrorId);
        Assert.Contains("3 attempt(s)", ex.Message);
        Assert.Contains("https://agence.example.test", ex.Message);
        Assert.Equal(2, log.Lines.Count(l => l.StartsWith("V: Retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_body_that_breaks_off_is_retried_then_EglConnectionFailed()
    {
        var (client, mock, time) = Setup();
        var route = mock.When(HttpMethod.Post, "*").Respond(HttpStatusCode.OK, "application/json", _ => new BrokenStream());
        var ex = await Assert.ThrowsAsync<EglConnectionException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), Options(null, 1), CancellationToken.None)));
        Assert.Equal(2, mock.GetMatchCount(route));
        Assert.Contains("ended prematurely", ex.Message);
    }

    [Fact]
    public async Task Each_attempt_has_its_own_time_out_then_EglTimeout()
    {
        var time = new ProbedTimeProvider(Start);
        int attempts = 0, cancelled = 0;
        // A handler of our own (not MockHttp's relay) so that it sees the attempt's own cancellation token.
        var client = new EglPartnerClient(new HttpClient(new AsyncResponder(async (_, ct) =>
        {
            Interlocked.Increment(ref attempts);
            time.Poke();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return Json(LoginOk);
        })), time);
        var log = new ListLog();
        // An attempt's time-out fires only once that attempt reached the handler (deterministic on a loaded machine).
        var ex = await Assert.ThrowsAsync<EglTimeoutException>(() => Drive(time, client.LoginAsync(WsBase, Credential(), Options(log, 2, timeoutSec: 5), CancellationToken.None), fired => Volatile.Read(ref attempts) > fired, TimeSpan.FromSeconds(5)));
        Assert.Equal(3, attempts);
        Assert.Equal(3, cancelled);
        Assert.Equal("EglTimeout", ex.ErrorId);
        Assert.Contains("within 5 s", ex.Message);
        Assert.DoesNotContain("-TimeoutSec", ex.Message, StringComparison.Ordinal);   // the facts; the advice is the cmdlet's
        Assert.Contains("-TimeoutSec", EglWater.Commands.EglAdvice.For(ex.ErrorId).Action, StringComparison.Ordinal);
        Assert.Equal(2, log.Lines.Count(l => l.Contains("after no answer in time")));
    }

    [Fact]
    public async Task The_time_out_also_covers_a_body_that_stalls_after_the_headers()
    {
        var (client, mock, time) = Setup();
        int stalls = 0;
        var route = mock.When(HttpMethod.Post, "*").Respond(HttpStatusCode.OK, "application/json", _ => new StallingStream(() =>
        {
            Interlocked.Increment(ref stalls);
            time.Poke();
        }));
        var task = client.LoginAsync(WsBase, Credential(), Options(null, 1, timeoutSec: 5), CancellationToken.None);
        // The time-out fires once the body stalls, not before (deterministic on a loaded machine).
        var ex = await Assert.ThrowsAsync<EglTimeoutException>(() => Drive(time, task, fired => Volatile.Read(ref stalls) > fired, TimeSpan.FromSeconds(5)));
        Assert.Equal(2, stalls);
        Assert.Equal(2, mock.GetMatchCount(route));
        Assert.Equal("EglTimeout", ex.ErrorId);
    }

    [Fact]
    public async Task Cancelling_stops_the_request_in_flight_and_is_not_reported_as_a_failure()
    {
        var started = new TaskCompletionSource();
        var sawCancel = new TaskCompletionSource();
        var client = new EglPartnerClient(new HttpClient(new AsyncResponder(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                sawCancel.TrySetResult();
            }

            return Json(LoginOk);
        })));
        using var cts = new CancellationTokenSource();
        var task = client.LoginAsync(WsBase, Credential(), Options(), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
        await sawCancel.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the request in flight saw the cancellation
        Assert.IsNotType<TimeoutException>(ex);
    }

    private static HttpResponseMessage StatusUntil(int status, DateTimeOffset date)
    {
        var r = Status(status);
        r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(date);
        return r;
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_in_the_future_is_waited_for_on_the_clock()
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ => Interlocked.Increment(ref calls) == 1 ? StatusUntil(503, Start.AddSeconds(20)) : Json(LoginOk));
        var log = new ListLog();
        var task = client.LoginAsync(WsBase, Credential(), Options(log), CancellationToken.None);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.Equal(1, Volatile.Read(ref calls));
        time.Advance(TimeSpan.FromSeconds(0.1));
        await task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, calls);
        Assert.Contains(log.Lines, l => l.Contains("Retry 1/3 of connect.asp in 20.0 s after HTTP 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_in_the_past_retries_at_once()
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ => Interlocked.Increment(ref calls) == 1 ? StatusUntil(503, Start.AddSeconds(-30)) : Json(LoginOk));
        var log = new ListLog();
        // No fake time is ever advanced: the retry must go out without any wait.
        await client.LoginAsync(WsBase, Credential(), Options(log), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, calls);
        Assert.Equal(Start, time.GetUtcNow());
        Assert.All(time.Created, due => Assert.Equal(EglRequestOptions.DefaultTimeout, due)); // only the attempts' time-outs
        Assert.Contains(log.Lines, l => l.Contains("Retry 1/3 of connect.asp in 0.0 s after HTTP 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_beyond_the_cap_waits_the_cap()
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ => Interlocked.Increment(ref calls) == 1 ? StatusUntil(429, Start.AddHours(1)) : Json(LoginOk));
        var task = client.LoginAsync(WsBase, Credential(), Options(), CancellationToken.None);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(TimeSpan.FromHours(1), time.Created);
        time.Advance(TimeSpan.FromSeconds(59.9));
        Assert.Equal(1, Volatile.Read(ref calls));
        time.Advance(TimeSpan.FromSeconds(0.1));
        await task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Cancelling_during_a_back_off_wait_ends_the_wait_at_once_and_sends_nothing_more()
    {
        var (client, mock, time) = Setup();
        int calls = 0;
        mock.When(HttpMethod.Post, "*").Respond(_ =>
        {
            Interlocked.Increment(ref calls);
            return Status(503, TimeSpan.FromSeconds(30));
        });
        using var cts = new CancellationTokenSource();
        var task = client.LoginAsync(WsBase, Credential(), Options(), cts.Token);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(Start, time.GetUtcNow()); // no fake time passed: the wait ended on the cancellation, not the clock
        Assert.False(time.IsWaiting(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, Volatile.Read(ref calls));
    }
}
