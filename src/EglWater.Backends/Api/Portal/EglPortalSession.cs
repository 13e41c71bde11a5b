using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Api.Http;
using EglWater.Sources;

namespace EglWater.Api.Portal
{
    /// <summary>
    /// A logged-in connection to the customer portal: the bearer token and its expiry (renewed 60 s before it,
    /// half its life for short tokens, and once on a 401), the contracts, and what the session offers to read.
    /// The HTTP flows are <see cref="EglPortalClient"/>'s. Safe to share between threads.
    /// </summary>
    internal sealed class EglPortalSession : IEglBackend
    {
        /// <summary>How long before the token's expiry the session logs in again (at most; see <see cref="RenewalMargin"/>).</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

        private readonly EglPortalClient _client;
        private readonly EglCredential _credential;
        private readonly EglTokenGate _gate;
        private Dictionary<long, EglPortalContract> _contracts = new Dictionary<long, EglPortalContract>();
        private IReadOnlyList<EglPortalContract> _contractList = Array.Empty<EglPortalContract>();
        private DateTimeOffset _expiresAt;
        private TimeSpan _renewBefore = RenewBefore;

        public EglPortalSession(EglTransport transport, Uri baseUri, EglCredential credential)
        {
            _client = new EglPortalClient(transport, baseUri);
            _credential = credential ?? throw new ArgumentNullException(nameof(credential));
            _gate = new EglTokenGate(NotConnected);
        }

        public Uri BaseUri => _client.BaseUri;

        public string UserName => _credential.UserName;

        public EglApiKind Api => EglApiKind.Portal;

        public long SubscriptionNumber { get; private set; }

        public IReadOnlyList<long> Subscriptions { get; private set; } = Array.Empty<long>();

        public IReadOnlyList<EglSubscription> SubscriptionDetails => _contractList
            .GroupBy(c => c.SubscriptionNumber)
            .Select(g => g.First())
            .Select(c => new EglSubscription(c.SubscriptionNumber, EglApiKind.Portal, c.Reference, c.Status, c.MeterDiameter, c.Residents, c.Usage, c.MeterBatteryOk))
            .ToList();

        public int LoginCount => _gate.LoginCount;

        public bool IsConnected => _gate.Token is not null;

        /// <summary>How many secret values the session holds for masking (bounded: see <see cref="EglSecretSet"/>).</summary>
        internal int SecretCount => _client.SecretCount;

        /// <summary>The portal's 2026 answers carry the meter's index; older ones do not: known once read.</summary>
        public EglIndexAvailability Indexes => EglIndexAvailability.Sometimes;

        /// <summary>
        /// How long before expiry a token is renewed: 60 s, or half its lifetime for tokens that live 2 minutes
        /// or less (a 30 s token is renewed 15 s before it expires, not before every request).
        /// </summary>
        public static TimeSpan RenewalMargin(TimeSpan lifetime)
        {
            var half = TimeSpan.FromTicks(lifetime.Ticks / 2);
            return half < RenewBefore ? half : RenewBefore;
        }

        public Task LoginAsync(EglRequestOptions options, CancellationToken cancellationToken) =>
            _gate.LoginAsync(ct => LoginCoreAsync(options, ct), cancellationToken);

        /// <summary>90 days per request, as the public clients ask.</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => EglRangeFetcher.SplitFor(EglApiKind.Portal, from, to);

        /// <summary>The days of one subscription between two Paris calendar days (inclusive), one request.</summary>
        public async Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (!_contracts.TryGetValue(subscriptionNumber, out var contract))
                throw new ArgumentException($"The subscription {subscriptionNumber.ToString(CultureInfo.InvariantCulture)} is not one of this login's contracts.", nameof(subscriptionNumber));
            string route = EglPortalEndpoints.DailyVolumesRoute(contract.Id);
            string query = "?dateDebut=" + Uri.EscapeDataString(EglPortalWire.FormatInstant(EglParisTime.Midnight(from)))
                + "&dateFin=" + Uri.EscapeDataString(EglPortalWire.FormatInstant(EglParisTime.Midnight(to)));
            var answer = await GetWithTokenAsync(route, query, options, cancellationToken).ConfigureAwait(false);
            var days = EglPortalWire.ParseDays("consommationsJournalieres", answer.Status, answer.ContentType, answer.Text, subscriptionNumber, options.Log, _client.Secrets(_credential));
            return days.Where(d => d.Date >= from.Date && d.Date <= to.Date).ToList();
        }

        /// <summary>The days' volumes only (the days whose volume the portal gave).</summary>
        public async Task<IReadOnlyList<EglDailyVolume>> GetDailyVolumesAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var days = await ReadDaysAsync(subscriptionNumber, from, to, options, cancellationToken).ConfigureAwait(false);
            return days.Where(d => d.Liters.HasValue).Select(d => new EglDailyVolume(d.Date, d.Liters!.Value)).ToList();
        }

        /// <summary>Forgets the token for good: every later request fails with EglNotConnected, and no login is sent.</summary>
        public void Close() => _gate.Close();

        /// <summary>
        /// Closes the session and revokes its token (POST /auth/revoke), which frees one of the server's limited
        /// sessions. Best effort: a failure is one verbose line.
        /// </summary>
        public async Task CloseAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            string? token = _gate.Token;
            _gate.Close();
            if (token is null) return;
            try
            {
                await _client.RevokeAsync(token, _credential, options, cancellationToken).ConfigureAwait(false);
                options.Log.Verbose("The portal revoked the session's access token");
            }
            catch (EglException ex)
            {
                options.Log.Verbose("The portal did not revoke the session's access token (" + ex.Message + "); it expires by itself");
            }
        }

        private EglNotConnectedException NotConnected() =>
            new EglNotConnectedException($"The EGL session of {UserName} at {BaseUri} was closed.");

        public override string ToString() => $"{UserName} @ {BaseUri}";

        private async Task<EglHttpAnswer> GetWithTokenAsync(string route, string query, EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = await CurrentTokenAsync(options, cancellationToken).ConfigureAwait(false);
            var answer = await _client.GetAsync(route, query, token, options, cancellationToken).ConfigureAwait(false);
            if (answer.Status == 401)
            {
                options.Log.Verbose($"{route} answered 401; logging in again once and retrying");
                token = await _gate.RenewAsync(token, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false);
                answer = await _client.GetAsync(route, query, token, options, cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401) throw new EglAuthenticationException("401", "the portal refused a fresh access token", EglApiKind.Portal);
            }

            _client.EnsureSuccess(route, answer, _credential);
            return answer;
        }

        private async Task<string> CurrentTokenAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = _gate.RequireToken();
            if (_client.TimeProvider.GetUtcNow() < _expiresAt - _renewBefore) return token;
            options.Log.Verbose(string.Format(CultureInfo.InvariantCulture, "The portal access token expires within {0:0} s; logging in again", _renewBefore.TotalSeconds));
            return await _gate.RenewAsync(token, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false);
        }

        private async Task<string> LoginCoreAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            var (accessToken, expiresIn) = await _client.LoginAsync(_credential, options, cancellationToken).ConfigureAwait(false);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            _renewBefore = RenewalMargin(lifetime);
            _expiresAt = _client.TimeProvider.GetUtcNow() + lifetime;

            var contracts = await _client.GetContractsAsync(accessToken, _credential, options, cancellationToken).ConfigureAwait(false);
            if (contracts.Count == 0)
                throw new EglApiException(EglPortalEndpoints.ContractsRoute, null, "no contract is attached to this login", EglApiKind.Portal);
            _contractList = contracts;
            _contracts = contracts.GroupBy(c => c.SubscriptionNumber).ToDictionary(g => g.Key, g => g.First());
            Subscriptions = contracts.Select(c => c.SubscriptionNumber).Distinct().ToList();
            SubscriptionNumber = Subscriptions[0];
            return accessToken;
        }
    }
}
