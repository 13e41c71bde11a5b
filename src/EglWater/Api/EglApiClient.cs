using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EglWater;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EglWater.Api
{
    /// <summary>An answer read whole inside one attempt (so that the per-attempt time-out covers the body).</summary>
    internal sealed class EglRawResponse
    {
        public EglRawResponse(int status, string? mediaType, string? charset, TimeSpan? retryAfter, byte[] body)
        {
            Status = status;
            MediaType = mediaType;
            Charset = charset;
            RetryAfter = retryAfter;
            Body = body;
        }

        public int Status { get; }
        public string? MediaType { get; }
        public string? Charset { get; }
        public TimeSpan? RetryAfter { get; }
        public byte[] Body { get; }
        public string ContentType => Charset is null ? MediaType ?? string.Empty : $"{MediaType}; charset={Charset}";
        public string Text => EglTextDecoder.Decode(Body, Charset);
    }

    /// <summary>The answer of the data route: readings, or the API's refusal.</summary>
    public sealed class EglAggregatesAnswer
    {
        internal EglAggregatesAnswer(IReadOnlyList<EglIndexReading>? readings, string? code, string? message)
        {
            Readings = readings;
            Code = code;
            Message = message;
        }

        public IReadOnlyList<EglIndexReading>? Readings { get; }
        public string? Code { get; }
        public string? Message { get; }
        public bool IsSuccess => Readings is not null;
    }

    /// <summary>
    /// The HTTP side of the partner API: routes, form bodies, headers, retries and time-outs.
    /// Stateless apart from its HttpClient; knows nothing of PowerShell.
    /// </summary>
    public sealed class EglApiClient
    {
        private readonly HttpClient _http;
        private readonly TimeProvider _time;

        public EglApiClient(HttpClient http, TimeProvider? timeProvider = null)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            _time = timeProvider ?? TimeProvider.System;
        }

        /// <summary>The client over the process's one HttpClient.</summary>
        public static EglApiClient Default { get; } = new EglApiClient(EglHttp.Shared);

        public async Task<EglLoginResult> LoginAsync(Uri baseUri, EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (credential is null) throw new ArgumentNullException(nameof(credential));
            if (options is null) throw new ArgumentNullException(nameof(options));
            options.Log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: login={1}, pass=(hidden), AuthKey header (hidden)", EglEndpoints.ConnectRoute, credential.UserName));
            var response = await PostFormAsync(
                baseUri,
                EglEndpoints.ConnectRoute,
                () => new[]
                {
                    new KeyValuePair<string, string>("login", credential.UserName),
                    new KeyValuePair<string, string>("pass", credential.RevealPassword()),
                },
                request => request.Headers.TryAddWithoutValidation("AuthKey", credential.RevealAuthKey()),
                options,
                cancellationToken).ConfigureAwait(false);
            // Servers echo things: the secrets of this request never reach an exception's text.
            var secrets = new[] { credential.RevealPassword(), credential.RevealAuthKey() };
            var result = EglWire.ParseLogin(EglEndpoints.ConnectRoute, response.Status, response.ContentType, response.Text, secrets);
            return result;
        }

        public async Task<EglAggregatesAnswer> GetAggregatesAsync(
            Uri baseUri, string token, long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            options.Log.Debug(string.Format(
                CultureInfo.InvariantCulture,
                "{0}: num_abt={1}, date_debut={2}, date_fin={3}, token=(hidden)",
                EglEndpoints.AggregatesRoute,
                subscriptionNumber,
                EglWire.FormatDate(from),
                EglWire.FormatDate(to)));
            var response = await PostFormAsync(
                baseUri,
                EglEndpoints.AggregatesRoute,
                () => new[]
                {
                    new KeyValuePair<string, string>("token", token),
                    new KeyValuePair<string, string>("num_abt", subscriptionNumber.ToString(CultureInfo.InvariantCulture)),
                    new KeyValuePair<string, string>("date_debut", EglWire.FormatDate(from)),
                    new KeyValuePair<string, string>("date_fin", EglWire.FormatDate(to)),
                },
                null,
                options,
                cancellationToken).ConfigureAwait(false);
            var readings = EglWire.ParseAggregates(
                EglEndpoints.AggregatesRoute, response.Status, response.ContentType, response.Text, subscriptionNumber, out var code, out var message, new[] { token });
            return new EglAggregatesAnswer(readings, code, message);
        }

        internal async Task<EglRawResponse> PostFormAsync(
            Uri baseUri,
            string route,
            Func<IEnumerable<KeyValuePair<string, string>>> form,
            Action<HttpRequestMessage>? decorate,
            EglRequestOptions options,
            CancellationToken cancellationToken)
        {
            Uri uri = EglEndpoints.Combine(baseUri, route);
            var log = options.Log;
            var pipeline = BuildPipeline(options, route);
            int attempt = 0;
            try
            {
                return await pipeline.ExecuteAsync(
                    async token =>
                    {
                        attempt++;
                        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form()) };
                        if (!_http.DefaultRequestHeaders.UserAgent.Contains(EglHttp.UserAgent)) request.Headers.UserAgent.Add(EglHttp.UserAgent);
                        decorate?.Invoke(request);
                        long started = _time.GetTimestamp();
                        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                        byte[] body = await ReadBodyAsync(response, token).ConfigureAwait(false);
                        var elapsed = _time.GetElapsedTime(started);
                        log.Verbose(string.Format(
                            CultureInfo.InvariantCulture,
                            "POST {0} -> {1} ({2} bytes, {3} ms)",
                            uri.AbsolutePath,
                            (int)response.StatusCode,
                            body.Length,
                            (long)elapsed.TotalMilliseconds));
                        return new EglRawResponse(
                            (int)response.StatusCode,
                            response.Content.Headers.ContentType?.MediaType,
                            response.Content.Headers.ContentType?.CharSet,
                            RetryAfterOf(response),
                            body);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EglTimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "The EGL API did not answer '{0}' within {1} s ({2} attempt(s)). Try again later, or give a larger -TimeoutSec.", route, options.Timeout.TotalSeconds, attempt),
                    ex);
            }
            catch (Exception ex) when ((ex is HttpRequestException || ex is System.IO.IOException) && !cancellationToken.IsCancellationRequested)
            {
                throw new EglConnectionException(
                    string.Format(CultureInfo.InvariantCulture, "Could not reach the EGL API at {0} ({1} attempt(s)): {2} Check the network and the base URI, then try again.", uri.GetLeftPart(UriPartial.Authority), attempt, Innermost(ex).Message),
                    ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own time-out, or a handler that gave up: not the caller's cancellation.
                throw new EglTimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "The request to '{0}' was cancelled before the EGL API answered ({1} attempt(s)). Try again later, or give a larger -TimeoutSec.", route, attempt),
                    ex);
            }
        }

        /// <summary>Reads the whole body within the attempt: cancelling the token (time-out, Ctrl+C) aborts a stalled body too.</summary>
        private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken token)
        {
            using (token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
            {
                try
                {
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    using var buffer = new System.IO.MemoryStream();
                    await stream.CopyToAsync(buffer, 81920, token).ConfigureAwait(false);
                    token.ThrowIfCancellationRequested();
                    return buffer.ToArray();
                }
                catch (Exception ex) when (token.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    // Disposing the response under a cancelled token surfaces as ObjectDisposed/IO errors.
                    throw new OperationCanceledException("The answer's body was not read in time.", ex, token);
                }
            }
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException is not null) ex = ex.InnerException;
            return ex;
        }

        internal static bool IsTransient(int status) => status >= 500 || status == 408 || status == 429;

        private TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var ra = response.Headers.RetryAfter;
            if (ra is null) return null;
            if (ra.Delta is { } delta) return delta;
            if (ra.Date is { } date) return date - _time.GetUtcNow();
            return null;
        }

        private ResiliencePipeline<EglRawResponse> BuildPipeline(EglRequestOptions options, string route)
        {
            var builder = new ResiliencePipelineBuilder<EglRawResponse> { TimeProvider = _time };
            if (options.MaximumRetryCount > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<EglRawResponse>
                {
                    MaxRetryAttempts = options.MaximumRetryCount,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldHandle = new PredicateBuilder<EglRawResponse>()
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

            if (options.Timeout > TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                builder.AddTimeout(options.Timeout);
            return builder.Build();
        }
    }
}
