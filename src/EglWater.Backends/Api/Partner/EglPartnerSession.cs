using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EglWater;
using EglWater.Api;
using EglWater.Api.Http;
using EglWater.Sources;

namespace EglWater.Api.Partner
{
    /// <summary>
    /// A logged-in connection to the partner API: the base URI, the credential (in memory only), the
    /// current token and the subscriptions. Safe to share between threads and runspaces: a token that
    /// the API no longer accepts is renewed once, by one caller, and the others reuse the new one.
    /// </summary>
    internal sealed class EglPartnerSession : IEglBackend
    {
        private readonly EglPartnerClient _client;
        private readonly EglCredential _credential;
        private readonly EglTokenGate _gate;

        public EglPartnerSession(EglPartnerClient client, Uri baseUri, EglCredential credential)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            BaseUri = EglServers.Normalize(baseUri);
            _credential = credential ?? throw new ArgumentNullException(nameof(credential));
            _gate = new EglTokenGate(NotConnected);
        }

        public Uri BaseUri { get; }

        public string UserName => _credential.UserName;

        public long SubscriptionNumber { get; private set; }

        public IReadOnlyList<long> Subscriptions { get; private set; } = Array.Empty<long>();

        /// <summary>How many logins this session has made (the first one and any renewal).</summary>
        public int LoginCount => _gate.LoginCount;

        public bool IsConnected => _gate.Token is not null;

        public Task LoginAsync(EglRequestOptions options, CancellationToken cancellationToken) =>
            _gate.LoginAsync(ct => LoginCoreAsync(options, ct), cancellationToken);

        private async Task<string> LoginCoreAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            var result = await _client.LoginAsync(BaseUri, _credential, options, cancellationToken).ConfigureAwait(false);
            SubscriptionNumber = result.SubscriptionNumber;
            Subscriptions = result.Subscriptions;
            return result.Token;
        }

        /// <summary>
        /// Readings of one subscription between two calendar days (inclusive), one request.
        /// When the API refuses the request, the session logs in again once and retries; a second
        /// refusal is an <see cref="EglApiException"/>.
        /// </summary>
        public async Task<IReadOnlyList<EglIndexReading>> GetReadingsAsync(
            long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = _gate.RequireToken();
            var answer = await _client.GetAggregatesAsync(BaseUri, token, subscriptionNumber, from.Date, to.Date, options, cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess) return answer.Readings!;

            options.Log.Verbose(string.Format(
                CultureInfo.InvariantCulture,
                "{0} answered codeRetour {1}; logging in again once and retrying",
                EglPartnerEndpoints.AggregatesRoute,
                answer.Code));
            // Another caller may have renewed it already: then its new token is used.
            token = await _gate.RenewAsync(token, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false);
            answer = await _client.GetAggregatesAsync(BaseUri, token, subscriptionNumber, from.Date, to.Date, options, cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess) return answer.Readings!;
            throw new EglApiException(EglPartnerEndpoints.AggregatesRoute, answer.Code, answer.Message);
        }

        private EglNotConnectedException NotConnected() =>
            new EglNotConnectedException($"The EGL session of {UserName} at {BaseUri} was closed.");

        /// <summary>Forgets the token for good: every later request fails with EglNotConnected, and no login is sent.</summary>
        public void Close() => _gate.Close();

        /// <summary>The partner API has no logout: closing forgets the token.</summary>
        public Task CloseAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            Close();
            return Task.CompletedTask;
        }

        public EglApiKind Api => EglApiKind.Partner;

        public IReadOnlyList<EglSubscription> SubscriptionDetails =>
            Subscriptions.Select(n => new EglSubscription(n, EglApiKind.Partner, null, null, null, null, null, null)).ToList();

        /// <summary>The partner API gives index readings, always.</summary>
        public EglIndexAvailability Indexes => EglIndexAvailability.Always;

        /// <summary>One request per calendar year (a year read with the day before it is one request).</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => EglRangeFetcher.SplitFor(EglApiKind.Partner, from, to);

        public async Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var readings = await GetReadingsAsync(subscriptionNumber, from, to, options, cancellationToken).ConfigureAwait(false);
            var records = new EglDayRecord[readings.Count];
            for (int i = 0; i < records.Length; i++) records[i] = EglDayRecord.FromReading(readings[i]);
            return records;
        }

        public override string ToString() => $"{UserName} @ {BaseUri}";
    }
}
