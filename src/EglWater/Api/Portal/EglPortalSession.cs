using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace EglWater.Api.Portal
{
    /// <summary>
    /// A logged-in connection to the customer portal API: the OAuth2 authorization-code flow with
    /// PKCE S256 over a cookie session of its own, the bearer token and its expiry (renewed 60 s
    /// before it, and once on a 401), and the contracts. Safe to share between threads.
    /// </summary>
    internal sealed class EglPortalSession : IEglBackendSession
    {
        /// <summary>How long before the token's expiry the session logs in again (at most; see <see cref="RenewalMargin"/>).</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

        /// <summary>How long the session refuses to send anything after the portal's firewall answered 403.</summary>
        public static readonly TimeSpan BlockedFor = TimeSpan.FromMinutes(15);

        private readonly EglTransport _transport;
        private readonly EglCredential _credential;
        private readonly CookieContainer _cookies = new CookieContainer();
        private readonly EglTokenGate _gate;
        private readonly EglSecretSet _secrets = new EglSecretSet();
        private Dictionary<long, EglPortalContract> _contracts = new Dictionary<long, EglPortalContract>();
        private DateTimeOffset _expiresAt;
        private TimeSpan _renewBefore = RenewBefore;
        private EglBlockedException? _blocked;
        private DateTimeOffset _blockedUntil;

        public EglPortalSession(EglTransport transport, Uri baseUri, EglCredential credential)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            BaseUri = EglEndpoints.Normalize(baseUri);
            _credential = credential ?? throw new ArgumentNullException(nameof(credential));
            _gate = new EglTokenGate(NotConnected);
        }

        public Uri BaseUri { get; }

        public string UserName => _credential.UserName;

        public long SubscriptionNumber { get; private set; }

        public IReadOnlyList<long> Subscriptions { get; private set; } = Array.Empty<long>();

        public int LoginCount => _gate.LoginCount;

        public bool IsConnected => _gate.Token is not null;

        /// <summary>How many secret values the session holds for masking (bounded: see <see cref="EglSecretSet"/>).</summary>
        internal int SecretCount => _secrets.Count;

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

        /// <summary>Daily volumes of one subscription between two Paris calendar days (inclusive), one request.</summary>
        public async Task<IReadOnlyList<EglDailyVolume>> GetDailyVolumesAsync(
            long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            if (!_contracts.TryGetValue(subscriptionNumber, out var contract))
                throw new ArgumentException($"The subscription {subscriptionNumber.ToString(CultureInfo.InvariantCulture)} is not one of this login's contracts.", nameof(subscriptionNumber));
            string route = EglPortalEndpoints.DailyVolumesRoute(contract.Id);
            string query = "?dateDebut=" + Uri.EscapeDataString(EglPortalWire.FormatInstant(EglParisTime.Midnight(from)))
                + "&dateFin=" + Uri.EscapeDataString(EglPortalWire.FormatInstant(EglParisTime.Midnight(to)));
            var answer = await GetWithTokenAsync(route, query, options, cancellationToken).ConfigureAwait(false);
            var volumes = EglPortalWire.ParseDailyVolumes("consommationsJournalieres", answer.Status, answer.ContentType, answer.Text, Secrets());
            return volumes.Where(v => v.Date >= from.Date && v.Date <= to.Date).ToList();
        }

        /// <summary>Forgets the token for good: every later request fails with EglNotConnected, and no login is sent.</summary>
        public void Close() => _gate.Close();

        public EglApiKind Api => EglApiKind.Portal;

        /// <summary>The portal's daily answers give volumes.</summary>
        public EglIndexAvailability Indexes => EglIndexAvailability.Never;

        /// <summary>90 days per request, as the public clients ask.</summary>
        public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => EglRangeFetcher.Split(from, to, EglPortalEndpoints.ChunkDays);

        public async Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var volumes = await GetDailyVolumesAsync(subscriptionNumber, from, to, options, cancellationToken).ConfigureAwait(false);
            return volumes.Select(v => new EglDayRecord(subscriptionNumber, v.Date, null, EglReadingType.Real, string.Empty, v.Liters)).ToList();
        }

        /// <summary>Every secret this session knows: masked in any server text that reaches a message.</summary>
        private IReadOnlyList<string?> Secrets() => _secrets.Snapshot(_credential.RevealPassword());

        private EglNotConnectedException NotConnected() =>
            new EglNotConnectedException($"The EGL session of {UserName} at {BaseUri} was closed by Disconnect-Egl. Run Connect-Egl again.");

        public override string ToString() => $"{UserName} @ {BaseUri}";

        private async Task<EglHttpAnswer> GetWithTokenAsync(string route, string query, EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = await CurrentTokenAsync(options, cancellationToken).ConfigureAwait(false);
            var answer = await SendAsync(HttpMethod.Get, route, query, null, token, options, cancellationToken).ConfigureAwait(false);
            if (answer.Status == 401)
            {
                options.Log.Verbose($"{route} answered 401; logging in again once and retrying");
                token = await _gate.RenewAsync(token, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false);
                answer = await SendAsync(HttpMethod.Get, route, query, null, token, options, cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401) throw new EglAuthenticationException("401", "the portal refused a fresh access token");
            }

            EnsureSuccess(route, answer);
            return answer;
        }

        private async Task<string> CurrentTokenAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = _gate.RequireToken();
            if (_transport.TimeProvider.GetUtcNow() < _expiresAt - _renewBefore) return token;
            options.Log.Verbose(string.Format(CultureInfo.InvariantCulture, "The portal access token expires within {0:0} s; logging in again", _renewBefore.TotalSeconds));
            return await _gate.RenewAsync(token, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false);
        }

        private async Task<string> LoginCoreAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            options.Log.Debug($"Portal login for {UserName}: password, authorization code, code verifier and token hidden");

            // 1. The login form opens a cookie session. Its body counts whatever the status: the portal may
            // answer 200 with an error code and message (the session cap is one such answer).
            var login = await SendAsync(
                HttpMethod.Post,
                EglPortalEndpoints.LoginRoute,
                string.Empty,
                () => new FormUrlEncodedContent(new[]
                {
                    new KeyValuePair<string, string>("username", _credential.UserName),
                    new KeyValuePair<string, string>("password", _credential.RevealPassword()),
                    new KeyValuePair<string, string>("client_id", EglPortalEndpoints.ClientId),
                }),
                null,
                options,
                cancellationToken).ConfigureAwait(false);
            CheckLoginAnswer(login);

            // 2. The client role is activated for that session.
            EnsureSuccess(EglPortalEndpoints.RolesRoute, await SendAsync(HttpMethod.Get, EglPortalEndpoints.RolesRoute, string.Empty, null, null, options, cancellationToken).ConfigureAwait(false));
            EnsureSuccess(EglPortalEndpoints.RolesRoute, await SendAsync(
                new HttpMethod("PUT"),
                EglPortalEndpoints.RolesRoute,
                string.Empty,
                () => new StringContent("[{\"id\":\"client\",\"libelle\":\"client\",\"actif\":false}]", Encoding.UTF8, "application/json"),
                null,
                options,
                cancellationToken).ConfigureAwait(false));
            EnsureSuccess(EglPortalEndpoints.RolesRoute, await SendAsync(HttpMethod.Get, EglPortalEndpoints.RolesRoute, string.Empty, null, null, options, cancellationToken).ConfigureAwait(false));

            // 3. Authorization code, bound to a fresh PKCE verifier.
            string verifier = EglPkce.CreateVerifier();
            _secrets.Set("code_verifier", verifier);
            string query = "?redirect_uri=" + Uri.EscapeDataString(EglPortalEndpoints.RedirectUri)
                + "&response_type=code"
                + "&code_challenge=" + Uri.EscapeDataString(EglPkce.Challenge(verifier))
                + "&code_challenge_method=S256"
                + "&client_id=" + Uri.EscapeDataString(EglPortalEndpoints.ClientId);
            var authorize = await SendAsync(HttpMethod.Get, EglPortalEndpoints.AuthorizeRoute, query, null, null, options, cancellationToken).ConfigureAwait(false);
            if (authorize.Status == 403) throw Blocked(EglPortalEndpoints.AuthorizeRoute);
            string code = EglPortalWire.AuthorizationCodeOf(authorize.Status, authorize.Location, authorize.Text, out string? oauthError)
                ?? throw new EglInvalidResponseException(
                    EglPortalEndpoints.AuthorizeRoute,
                    authorize.Status,
                    authorize.ContentType,
                    oauthError is null ? "no authorization code in the answer" : "no authorization code: the portal answered the OAuth error '" + EglRedactor.Excerpt(oauthError, Secrets(), 60) + "'",
                    EglRedactor.Excerpt(authorize.Location is null ? authorize.Text : authorize.Location.OriginalString, Secrets()));
            _secrets.Set("code", code);

            // 4. Code + verifier for a bearer token.
            var tokenAnswer = await SendAsync(
                HttpMethod.Post,
                EglPortalEndpoints.TokenRoute,
                string.Empty,
                () => new FormUrlEncodedContent(new[]
                {
                    new KeyValuePair<string, string>("client_id", EglPortalEndpoints.ClientId),
                    new KeyValuePair<string, string>("code", code),
                    new KeyValuePair<string, string>("redirect_uri", EglPortalEndpoints.RedirectUri),
                    new KeyValuePair<string, string>("grant_type", "authorization_code"),
                    new KeyValuePair<string, string>("code_verifier", verifier),
                }),
                null,
                options,
                cancellationToken).ConfigureAwait(false);
            if (tokenAnswer.Status == 403) throw Blocked(EglPortalEndpoints.TokenRoute);
            if (tokenAnswer.Status == 400 || tokenAnswer.Status == 401)
            {
                var (error, description) = EglPortalWire.OAuthErrorOf(tokenAnswer.Text);
                throw new EglAuthenticationException(
                    error is null ? tokenAnswer.Status.ToString(CultureInfo.InvariantCulture) : EglRedactor.Redact(error, Secrets()),
                    EglRedactor.Redact($"the portal refused the authorization code ({description ?? error ?? "no detail"})", Secrets()));
            }

            EnsureSuccess(EglPortalEndpoints.TokenRoute, tokenAnswer);
            // The token joins the masked secrets before anything of its answer can reach a message.
            _secrets.Set("access_token", EglPortalWire.AccessTokenOf(tokenAnswer.Text));
            var (accessToken, expiresIn) = EglPortalWire.ParseToken(EglPortalEndpoints.TokenRoute, tokenAnswer.Status, tokenAnswer.ContentType, tokenAnswer.Text, Secrets());
            _secrets.Set("access_token", accessToken);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            _renewBefore = RenewalMargin(lifetime);
            _expiresAt = _transport.TimeProvider.GetUtcNow() + lifetime;

            // 5. The contracts become the session's subscriptions.
            var contractsAnswer = await SendAsync(HttpMethod.Get, EglPortalEndpoints.ContractsRoute, string.Empty, null, accessToken, options, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(EglPortalEndpoints.ContractsRoute, contractsAnswer);
            var contracts = EglPortalWire.ParseContracts(EglPortalEndpoints.ContractsRoute, contractsAnswer.Status, contractsAnswer.ContentType, contractsAnswer.Text, Secrets());
            if (contracts.Count == 0)
                throw new EglApiException(EglPortalEndpoints.ContractsRoute, "0", "no contract is attached to this login");
            _contracts = contracts.GroupBy(c => c.SubscriptionNumber).ToDictionary(g => g.Key, g => g.First());
            Subscriptions = contracts.Select(c => c.SubscriptionNumber).Distinct().ToList();
            SubscriptionNumber = Subscriptions[0];
            return accessToken;
        }

        /// <summary>
        /// The login form's answer: the firewall, the session cap and bad credentials are recognised in the
        /// body as well as by the status, and reported with the server's own (redacted) message.
        /// </summary>
        private void CheckLoginAnswer(EglHttpAnswer login)
        {
            if (login.Status == 403) throw Blocked(EglPortalEndpoints.LoginRoute);
            var refusal = EglPortalWire.LoginRefusalOf(login.Status, login.Text);
            if (refusal.SessionCap) throw new EglSessionLimitException(refusal.Message is null ? null : EglRedactor.Redact(refusal.Message, Secrets()));
            if (refusal.Refused)
            {
                throw new EglAuthenticationException(
                    refusal.Code is null ? login.Status.ToString(CultureInfo.InvariantCulture) : EglRedactor.Redact(refusal.Code, Secrets()),
                    refusal.Message is null ? "the portal refused the login" : EglRedactor.Redact(refusal.Message, Secrets()));
            }

            EnsureSuccess(EglPortalEndpoints.LoginRoute, login);
        }

        /// <summary>Records a firewall block: nothing more is sent through this session for <see cref="BlockedFor"/>.</summary>
        private EglBlockedException Blocked(string route)
        {
            var blocked = new EglBlockedException(route);
            lock (_cookies)
            {
                _blocked = blocked;
                _blockedUntil = _transport.TimeProvider.GetUtcNow() + BlockedFor;
            }

            return blocked;
        }

        private void ThrowIfBlocked()
        {
            lock (_cookies)
            {
                if (_blocked is not null && _transport.TimeProvider.GetUtcNow() < _blockedUntil) throw new EglBlockedException(_blocked.Route);
            }
        }

        private Task<EglHttpAnswer> SendAsync(
            HttpMethod method, string route, string query, Func<HttpContent>? content, string? bearer, EglRequestOptions options, CancellationToken cancellationToken)
        {
            Uri uri = new Uri(EglEndpoints.Combine(BaseUri, route).AbsoluteUri + query);
            return SendAndKeepCookiesAsync(uri, method, route, content, bearer, options, cancellationToken);
        }

        private async Task<EglHttpAnswer> SendAndKeepCookiesAsync(
            Uri uri, HttpMethod method, string route, Func<HttpContent>? content, string? bearer, EglRequestOptions options, CancellationToken cancellationToken)
        {
            // After a firewall block, nothing more is sent (a retry prolongs the block).
            ThrowIfBlocked();
            var answer = await _transport.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(method, uri);
                    if (content is not null) request.Content = content();
                    request.Headers.TryAddWithoutValidation(EglPortalEndpoints.EntrepriseHeader, EglPortalEndpoints.Entreprise);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    string cookie = _cookies.GetCookieHeader(uri);
                    if (cookie.Length > 0) request.Headers.TryAddWithoutValidation("Cookie", cookie);
                    if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    return request;
                },
                route,
                options,
                cancellationToken).ConfigureAwait(false);
            foreach (string setCookie in answer.SetCookies)
            {
                try
                {
                    _cookies.SetCookies(uri, setCookie);
                    foreach (Cookie c in _cookies.GetCookies(uri)) _secrets.Set("cookie:" + c.Name, c.Value);
                }
                catch (CookieException)
                {
                    options.Log.Verbose($"{route}: a cookie the portal set could not be read; ignored");
                }
            }

            if (answer.Status == 403) throw Blocked(route);
            return answer;
        }

        private void EnsureSuccess(string route, EglHttpAnswer answer)
        {
            if (answer.Status == 403) throw Blocked(route);
            if (answer.Status < 200 || answer.Status >= 300)
            {
                string? message = EglPortalWire.MessageOf(answer.Text);
                if (message is not null) throw new EglApiException(route, answer.Status.ToString(CultureInfo.InvariantCulture), EglRedactor.Redact(message, Secrets()));
                throw new EglInvalidResponseException(route, answer.Status, answer.ContentType, "an unexpected HTTP status", EglRedactor.Excerpt(answer.Text, Secrets()));
            }
        }
    }
}
