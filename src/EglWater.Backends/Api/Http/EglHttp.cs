using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;

namespace EglWater.Api.Http
{
    /// <summary>The one HttpClient of the process (connection reuse; nothing is created at import).</summary>
    internal static class EglHttp
    {
        private static readonly Lazy<HttpClient> SharedClient = new Lazy<HttpClient>(Create, isThreadSafe: true);

        public static HttpClient Shared => SharedClient.Value;

        public static string Version { get; } =
            typeof(EglHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? typeof(EglHttp).Assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";

        public static ProductInfoHeaderValue UserAgent { get; } = new ProductInfoHeaderValue("EglWater", Version);

        private static HttpClient Create()
        {
            var handler = new HttpClientHandler
            {
                // Cookies belong to a session, not to the process: callers that need them manage them.
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            var client = new HttpClient(handler, disposeHandler: true)
            {
                // Per-attempt time-outs are Polly's job, so that each is cancellable and retried.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
            return client;
        }
    }
}
