using System.Net;
using System.Net.Http;
using System.Text;
using EglWater.Api;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace EglWater.Tests;

/// <summary>A MockHttp responder that may wait (and observe the request's cancellation).</summary>
internal sealed class AsyncResponder(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => respond(request, cancellationToken);
}

/// <summary>A body that sends its first bytes then stalls until cancelled (a server that hangs mid-answer).</summary>
internal sealed class StallingStream(Action? onStall = null) : Stream
{
    private bool _sentFirst;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => 0; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (!_sentFirst)
        {
            _sentFirst = true;
            buffer[offset] = (byte)'{';
            return 1;
        }

        onStall?.Invoke();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A body whose read fails half-way (the connection dropped).</summary>
internal sealed class BrokenStream : MemoryStream
{
    public BrokenStream() : base(Encoding.UTF8.GetBytes("{\"codeRetour\":1")) { }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromException<int>(new IOException("The response ended prematurely."));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<int>(new IOException("The response ended prematurely."));

    public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The response ended prematurely.");
}

internal static class Hardening
{
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Bytes(byte[] body, string contentType, HttpStatusCode status = HttpStatusCode.OK)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    public static HttpResponseMessage Status(int status, TimeSpan? retryAfter = null)
    {
        var r = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("Service Unavailable", Encoding.UTF8, "text/plain") };
        if (retryAfter is { } ra) r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ra);
        return r;
    }

    public static string Rows(string token) => TestSupport.TwoRows;

    public static Dictionary<string, string> FormOf(HttpRequestMessage request)
    {
        string body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
        return body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : string.Empty));
    }

    /// <summary>
    /// Moves fake time forward until the task completes, deterministically: fake time jumps to the next waiting
    /// timer only (a back-off delay), and when none is waiting Drive waits for an event (a timer created, the task
    /// done), never for a length of real time. An attempt's time-out (a timer of <paramref name="attemptTimeout"/>)
    /// fires only when <paramref name="mayFireTimeout"/> says the attempt is where the test wants it (given the
    /// time-outs fired so far): a loaded machine can no longer time out an attempt that was merely slow to run.
    /// </summary>
    public static async Task<T> Drive<T>(ProbedTimeProvider time, Task<T> task, Func<int, bool>? mayFireTimeout = null, TimeSpan? attemptTimeout = null)
    {
        var timeout = attemptTimeout ?? EglRequestOptions.DefaultTimeout;
        int fired = 0;
        for (int steps = 0; !task.IsCompleted; steps++)
        {
            Assert.True(steps < 10_000, "the call did not complete while fake time was advanced");
            var changed = time.Changed;
            var next = time.NextDue(due => due != timeout || (mayFireTimeout?.Invoke(fired) ?? false));
            if (next is { } at)
            {
                if (at.Due == timeout) fired++;
                time.Advance(at.At > time.GetUtcNow() ? at.At - time.GetUtcNow() : TimeSpan.Zero);
                continue;
            }

            // Nothing may fire yet: wait for the next event. The bound only turns a hang into a failure.
            var woke = await Task.WhenAny(task, changed, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(woke != null && (woke == task || woke == changed), "nothing happened for 60 s of real time");
        }

        return await task;
    }

    public static async Task Drive(ProbedTimeProvider time, Task task, Func<int, bool>? mayFireTimeout = null, TimeSpan? attemptTimeout = null) =>
        await Drive(time, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), mayFireTimeout, attemptTimeout);

    /// <summary>Waits (really) until a condition holds, failing after a generous bound.</summary>
    public static async Task Until(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("condition not reached in time");
            await Task.Delay(5);
        }
    }

    public static EglRequestOptions Options(ListLog? log = null, int retries = 3, int timeoutSec = 100) => new()
    {
        MaximumRetryCount = retries,
        Timeout = TimeSpan.FromSeconds(timeoutSec),
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        Log = log ?? (IEglLog)NullEglLog.Instance,
    };
}

/// <summary>
/// A fake clock that knows its waiting timers (created and neither fired nor disposed) and signals every change,
/// so that a test waits for "the back-off timer exists" on an event instead of sleeping and hoping.
/// </summary>
internal sealed class ProbedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly List<ProbedTimer> _waiting = [];
    private readonly List<TimeSpan> _created = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change (a timer created, changed, fired or disposed, or a <see cref="Poke"/>).</summary>
    public Task Changed { get { lock (_gate) return _changed.Task; } }

    /// <summary>The due time of every timer set so far (created or changed, not infinite), in order.</summary>
    public IReadOnlyList<TimeSpan> Created { get { lock (_gate) return _created.ToList(); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ProbedTimer(this);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fire(period);
                callback(s);
            },
            state,
            dueTime,
            period);
        timer.Set(dueTime);
        return timer;
    }

    /// <summary>Wakes a waiting <see cref="Drive{T}"/> (a test's handler reached the point it waits for).</summary>
    public void Poke() => Signal();

    /// <summary>The earliest waiting timer whose due time the filter accepts.</summary>
    public (DateTimeOffset At, TimeSpan Due)? NextDue(Func<TimeSpan, bool> accept)
    {
        lock (_gate)
        {
            var candidates = _waiting.Where(t => accept(t.Due)).OrderBy(t => t.At).ToList();
            return candidates.Count == 0 ? null : (candidates[0].At, candidates[0].Due);
        }
    }

    /// <summary>Whether a timer of this due time is waiting.</summary>
    public bool IsWaiting(TimeSpan due)
    {
        lock (_gate) return _waiting.Any(t => t.Due == due);
    }

    /// <summary>Waits (on events, not on time) until a timer of this due time is waiting; fails after a generous real bound.</summary>
    public async Task WaitForTimerAsync(TimeSpan due)
    {
        var deadline = Task.Delay(TimeSpan.FromSeconds(60));
        while (true)
        {
            var changed = Changed;
            if (IsWaiting(due)) return;
            if (await Task.WhenAny(changed, deadline) == deadline) Assert.Fail($"no timer of {due} was created (created: {string.Join(", ", Created)})");
        }
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private sealed class ProbedTimer(ProbedTimeProvider owner) : ITimer
    {
        public ITimer Inner = null!;

        public DateTimeOffset At { get; private set; }

        public TimeSpan Due { get; private set; }

        public void Set(TimeSpan due)
        {
            lock (owner._gate)
            {
                owner._waiting.Remove(this);
                Due = due;
                if (due != Timeout.InfiniteTimeSpan)
                {
                    owner._created.Add(due);
                    At = owner.GetUtcNow() + due;
                    owner._waiting.Add(this);
                }
            }

            owner.Signal();
        }

        public void Fire(TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._waiting.Remove(this);
                if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
                {
                    At = owner.GetUtcNow() + period;
                    owner._waiting.Add(this);
                }
            }

            owner.Signal();
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = Inner.Change(dueTime, period);
            Set(dueTime);
            return changed;
        }

        public void Dispose()
        {
            Inner.Dispose();
            lock (owner._gate) owner._waiting.Remove(this);
            owner.Signal();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
