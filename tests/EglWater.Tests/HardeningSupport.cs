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
internal sealed class StallingStream : Stream
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
    /// Moves fake time forward in small steps until the task completes, giving the thread pool a
    /// moment between steps: retries and time-outs happen without any real sleeping of their length.
    /// </summary>
    public static async Task<T> Drive<T>(FakeTimeProvider time, Task<T> task, TimeSpan? step = null, int maxSteps = 2000)
    {
        for (int i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            time.Advance(step ?? TimeSpan.FromMilliseconds(500));
        }

        Assert.True(task.IsCompleted, "the call did not complete while fake time was advanced");
        return await task;
    }

    public static async Task Drive(FakeTimeProvider time, Task task, TimeSpan? step = null) =>
        await Drive(time, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), step);

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
