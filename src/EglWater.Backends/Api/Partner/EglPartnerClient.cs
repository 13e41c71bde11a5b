using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Api.Http;

namespace EglWater.Api.Partner
{
    /// <summary>The answer of the data route: readings, or the API's refusal.</summary>
    internal sealed class EglAggregatesAnswer
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
    internal sealed class EglPartnerClient
    {
        private readonly EglTransport _transport;

        public EglPartnerClient(HttpClient http, TimeProvider? timeProvider = null)
            : this(new EglTransport(http, timeProvider))
        {
        }

        public EglPartnerClient(EglTransport transport)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        /// <summary>The client over the process's one HttpClient.</summary>
        public static EglPartnerClient Default { get; } = new EglPartnerClient(EglTransport.Default);

        public async Task<EglLoginResult> LoginAsync(Uri baseUri, EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (credential is null) throw new ArgumentNullException(nameof(credential));
            if (options is null) throw new ArgumentNullException(nameof(options));
            options.Log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: login={1}, pass=(hidden), AuthKey header (hidden)", EglPartnerEndpoints.ConnectRoute, credential.UserName));
            var response = await PostFormAsync(
                baseUri,
                EglPartnerEndpoints.ConnectRoute,
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
            var result = EglPartnerWire.ParseLogin(EglPartnerEndpoints.ConnectRoute, response.Status, response.ContentType, response.Text, secrets);
            return result;
        }

        public async Task<EglAggregatesAnswer> GetAggregatesAsync(
            Uri baseUri, string token, long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            options.Log.Debug(string.Format(
                CultureInfo.InvariantCulture,
                "{0}: num_abt={1}, date_debut={2}, date_fin={3}, token=(hidden)",
                EglPartnerEndpoints.AggregatesRoute,
                subscriptionNumber,
                EglPartnerWire.FormatDate(from),
                EglPartnerWire.FormatDate(to)));
            var response = await PostFormAsync(
                baseUri,
                EglPartnerEndpoints.AggregatesRoute,
                () => new[]
                {
                    new KeyValuePair<string, string>("token", token),
                    new KeyValuePair<string, string>("num_abt", subscriptionNumber.ToString(CultureInfo.InvariantCulture)),
                    new KeyValuePair<string, string>("date_debut", EglPartnerWire.FormatDate(from)),
                    new KeyValuePair<string, string>("date_fin", EglPartnerWire.FormatDate(to)),
                },
                null,
                options,
                cancellationToken).ConfigureAwait(false);
            var readings = EglPartnerWire.ParseAggregates(
                EglPartnerEndpoints.AggregatesRoute, response.Status, response.ContentType, response.Text, subscriptionNumber, out var code, out var message, new[] { token });
            return new EglAggregatesAnswer(readings, code, message);
        }

        internal Task<EglHttpAnswer> PostFormAsync(
            Uri baseUri,
            string route,
            Func<IEnumerable<KeyValuePair<string, string>>> form,
            Action<HttpRequestMessage>? decorate,
            EglRequestOptions options,
            CancellationToken cancellationToken)
        {
            Uri uri = EglServers.Combine(baseUri, route);
            return _transport.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form()) };
                    decorate?.Invoke(request);
                    return request;
                },
                route,
                options,
                cancellationToken);
        }
    }
}
