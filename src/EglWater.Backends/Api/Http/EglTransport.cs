using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using EglWater.Api;

namespace EglWater.Api.Http
{
    /// <summary>An answer read whole inside one attempt, with the headers its callers need.</summary>
    internal sealed class EglHttpAnswer
    {
        internal EglHttpAnswer(int status, string? mediaType, string? charset, TimeSpan? retryAfter, Uri? location, IReadOnlyList<string> setCookies, byte[] body)
        {
            Status = status;
            MediaType = mediaType;
            Charset = charset;
            RetryAfter = retryAfter;
            Location = location;
            SetCookies = setCookies;
            Body = body;
        }

        public int Status { get; }
        public string? MediaType { get; }
        public string? Charset { get; }
        public TimeSpan? RetryAfter { get; }
        public Uri? Location { get; }
        internal IReadOnlyList<string> SetCookies { get; }
        internal byte[] Body { get; }
        public string ContentType => Charset is null ? MediaType ?? string.Empty : $"{MediaType}; charset={Charset}";
        public string Text => EglTextDecoder.Decode(Body, Charset);
    }

    /// <summary>
    /// Sends one logical request through Polly: transient failures (network errors, 5xx, 408, 429)
    /// are retried with exponential back-off and jitter, Retry-After is honoured up to a cap, each
    /// attempt has its own time-out, and the caller's token cancels at once. Knows nothing of
    /// PowerShell; logs one line per attempt and per retry, never a header or a body.
    /// </summary>
    internal sealed class EglTransport
    {
        /// <summary>
        /// The largest answer read (after decompression). A year of daily rows is about 40 KB and the biggest
        /// page any EGL route is known to send is far smaller; 64 MiB leaves room for any real answer while a
        /// server that streams without end (or a decompression bomb) stops early instead of exhausting memory.
        /// </summary>
        public const long DefaultMaximumBodyBytes = 64L * 1024 * 1024;

        private readonly HttpClient _http;
        private readonly TimeProvider _time;

        public EglTransport(HttpClient http, TimeProvider? timeProvider = null, long maximumBodyBytes = DefaultMaximumBodyBytes)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            _time = timeProvider ?? TimeProvider.System;
            if (maximumBodyBytes < 1) throw new ArgumentOutOfRangeException(nameof(maximumBodyBytes));
            MaximumBodyBytes = maximumBodyBytes;
        }

        /// <summary>The largest answer body read; past it the request fails with EglInvalidResponse, without retry.</summary>
        public long MaximumBodyBytes { get; }

        public static EglTransport Default { get; } = new EglTransport(EglHttp.Shared);

        public TimeProvider TimeProvider => _time;

        /// <param name="createRequest">Builds a fresh request for each attempt.</param>
        /// <param name="route">The route's name, for messages.</param>
        public async Task<EglHttpAnswer> SendAsync(Func<HttpRequestMessage> createRequest, string route, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (createRequest is null) throw new ArgumentNullException(nameof(createRequest));
            if (options is null) throw new ArgumentNullException(nameof(options));
            var pipeline = BuildPipeline(options, route);
            int attempt = 0;
            Uri? uri = null;
            try
            {
                return await pipeline.ExecuteAsync(
                    async token =>
                    {
                        attempt++;
                        using var request = createRequest();
                        uri = request.RequestUri;
                        // The module's product token, once (a browser User-Agent set by the caller already carries it).
                        if (!_http.DefaultRequestHeaders.UserAgent.Contains(EglHttp.UserAgent) && !request.Headers.UserAgent.Any(p => p.Product?.Name == EglHttp.UserAgent.Product!.Name))
                            request.Headers.UserAgent.Add(EglHttp.UserAgent);
                        long started = _time.GetTimestamp();
                        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                        byte[] body = await ReadBodyAsync(response, MaximumBodyBytes, route, token).ConfigureAwait(false);
                        options.Log.Verbose(string.Format(
                            CultureInfo.InvariantCulture,
                            "{0} {1} -> {2} ({3} bytes, {4} ms)",
                            request.Method.Method,
                            request.RequestUri?.AbsolutePath,
                            (int)response.StatusCode,
                            body.Length,
                            (long)_time.GetElapsedTime(started).TotalMilliseconds));
                        return new EglHttpAnswer(
                            (int)response.StatusCode,
                            response.Content.Headers.ContentType?.MediaType,
                            response.Content.Headers.ContentType?.CharSet,
                            RetryAfterOf(response, _time),
                            response.Headers.Location,
                            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : new List<string>(),
                            body);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EglTimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "The EGL server did not answer '{0}' within {1} s ({2} attempt(s)).", route, options.Timeout.TotalSeconds, attempt),
                    ex);
            }
            catch (Exception ex) when ((ex is HttpRequestException || ex is System.IO.IOException) && !cancellationToken.IsCancellationRequested)
            {
                throw new EglConnectionException(
                    string.Format(CultureInfo.InvariantCulture, "Could not reach the EGL server at {0} ({1} attempt(s)): {2}", uri?.GetLeftPart(UriPartial.Authority), attempt, Innermost(ex).Message),
                    ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own time-out, or a handler that gave up: not the caller's cancellation.
                throw new EglTimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "The request to '{0}' ended before the EGL server answered ({1} attempt(s)).", route, attempt),
                    ex);
            }
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException is not null) ex = ex.InnerException;
            return ex;
        }

        internal static bool IsTransient(int status) => status >= 500 || status == 408 || status == 429;

        private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
        {
            var ra = response.Headers.RetryAfter;
            if (ra is null) return null;
            if (ra.Delta is { } delta) return delta;
            if (ra.Date is { } date) return date - time.GetUtcNow();
            return null;
        }

        /// <summary>Reads the whole body within the attempt: cancelling the token (time-out, Ctrl+C) aborts a stalled body too.</summary>
        private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, long limit, string route, CancellationToken token)
        {
            if (response.Content.Headers.ContentLength is { } declared && declared > limit) throw TooLarge(response, limit, route);
            using (token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
            {
                try
                {
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    using var buffer = new System.IO.MemoryStream();
                    var chunk = new byte[81920];
                    int read;
                    while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false)) > 0)
                    {
                        if (buffer.Length + read > limit) throw TooLarge(response, limit, route);
                        buffer.Write(chunk, 0, read);
                    }

                    token.ThrowIfCancellationRequested();
                    return buffer.ToArray();
                }
                catch (EglInvalidResponseException)
                {
                    throw;
                }
                catch (Exception ex) when (token.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    // Disposing the response under a cancelled token surfaces as ObjectDisposed/IO errors.
                    throw new OperationCanceledException("The answer's body was not read in time.", ex, token);
                }
            }
        }

        private static EglInvalidResponseException TooLarge(HttpResponseMessage response, long limit, string route) => new EglInvalidResponseException(
            route,
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            string.Format(CultureInfo.InvariantCulture, "an answer larger than {0}, which no EGL route sends; it was not read further", limit >= 1024 * 1024 ? (limit / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB" : limit.ToString(CultureInfo.InvariantCulture) + " bytes"),
            string.Empty);

        private ResiliencePipeline<EglHttpAnswer> BuildPipeline(EglRequestOptions options, string route)
        {
            var builder = new ResiliencePipelineBuilder<EglHttpAnswer> { TimeProvider = _time };
            if (options.MaximumRetryCount > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<EglHttpAnswer>
                {
                    MaxRetryAttempts = options.MaximumRetryCount,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldHandle = new PredicateBuilder<EglHttpAnswer>()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutRejectedException>()
                        .Handle<System.IO.IOException>()
                        .HandleResult(r => IsTransient(r.Status)),
                    DelayGenerator = args =>
                    {
                        if (args.Outcome.Result?.RetryAfter is { } retryAfter)
                        {
                            if (retryAfter < TimeSpan.Zero) retryAfter = TimeSpan.Zero;
                            if (retryAfter > options.MaximumRetryAfter) retryAfter = options.MaximumRetryAfter;
                            return new ValueTask<TimeSpan?>(retryAfter);
                        }

                        return new ValueTask<TimeSpan?>((TimeSpan?)null);
                    },
                    OnRetry = args =>
                    {
                        string why = args.Outcome.Exception switch
                        {
                            TimeoutRejectedException => "no answer in time",
                            Exception e => Innermost(e).GetType().Name,
                            null => "HTTP " + args.Outcome.Result!.Status.ToString(CultureInfo.InvariantCulture),
                        };
                        options.Log.Verbose(string.Format(
                            CultureInfo.InvariantCulture,
                            "Retry {0}/{1} of {2} in {3:0.0} s after {4}",
                            args.AttemptNumber + 1,
                            options.MaximumRetryCount,
                            route,
                            args.RetryDelay.TotalSeconds,
                            why));
                        return default;
                    },
                });
            }

            if (options.Timeout > TimeSpan.Zero && options.Timeout != Timeout.InfiniteTimeSpan)
                builder.AddTimeout(options.Timeout);
            return builder.Build();
        }
    }
}
