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
    public sealed class EglPortalSession : IEglBackendSession
    {
        /// <summary>How long before the token's expiry the session logs in again.</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

        private readonly EglTransport _transport;
        private readonly EglCredential _credential;
        private readonly CookieContainer _cookies = new CookieContainer();
        private readonly EglTokenGate _gate = new EglTokenGate();
        private Dictionary<long, EglPortalContract> _contracts = new Dictionary<long, EglPortalContract>();
        private readonly List<string> _issued = new List<string>();
        private DateTimeOffset _expiresAt;

        public EglPortalSession(EglTransport transport, Uri baseUri, EglCredential credential)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            BaseUri = EglEndpoints.Normalize(baseUri);
            _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        }

        public Uri BaseUri { get; }

        public string UserName => _credential.UserName;

        public long SubscriptionNumber { get; private set; }

        public IReadOnlyList<long> Subscriptions { get; private set; } = Array.Empty<long>();

        public int LoginCount => _gate.LoginCount;

        public bool IsConnected => _gate.Token is not null;

        /// <summary>When the current bearer token expires.</summary>
        public DateTimeOffset TokenExpiresAt => _expiresAt;

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

        public void Close() => _gate.Clear();

        /// <summary>Every secret this session knows: masked in any server text that reaches a message.</summary>
        private IEnumerable<string?> Secrets()
        {
            lock (_issued) return new List<string?>(_issued) { _credential.RevealPassword() };
        }

        private void Remember(string secret)
        {
            lock (_issued) _issued.Add(secret);
        }

        public override string ToString() => $"{UserName} @ {BaseUri}";

        private async Task<EglHttpAnswer> GetWithTokenAsync(string route, string query, EglRequestOptions options, CancellationToken cancellationToken)
        {
            string token = await CurrentTokenAsync(options, cancellationToken).ConfigureAwait(false);
            var answer = await SendAsync(HttpMethod.Get, route, query, null, token, options, cancellationToken).ConfigureAwait(false);
            if (answer.Status == 401)
            {
                options.Log.Verbose($"{route} answered 401; logging in again once and retrying");
                token = await RenewAsync(token, options, cancellationToken).ConfigureAwait(false);
                answer = await SendAsync(HttpMethod.Get, route, query, null, token, options, cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401) throw new EglAuthenticationException("401", "the portal refused a fresh access token");
            }

            EnsureSuccess(route, answer);
            return answer;
        }

        private async Task<string> CurrentTokenAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            string? token = _gate.Token;
            if (token is not null && _transport.TimeProvider.GetUtcNow() < _expiresAt - RenewBefore) return token;
            options.Log.Verbose("The portal access token expires within 60 s; logging in again");
            return await RenewAsync(token, options, cancellationToken).ConfigureAwait(false);
        }

        private async Task<string> RenewAsync(string? staleToken, EglRequestOptions options, CancellationToken cancellationToken) =>
            await _gate.RenewAsync(staleToken, ct => LoginCoreAsync(options, ct), cancellationToken).ConfigureAwait(false)
                ?? throw new EglNotConnectedException($"The EGL session of {UserName} at {BaseUri} was closed by Disconnect-Egl. Run Connect-Egl again.");

        private async Task<string> LoginCoreAsync(EglRequestOptions options, CancellationToken cancellationToken)
        {
            options.Log.Debug($"Portal login for {UserName}: password, authorization code, code verifier and token hidden");

            // 1. The login form opens a cookie session.
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
            if (login.Status == 403) throw new EglBlockedException(EglPortalEndpoints.LoginRoute);
            if (login.Status >= 400)
            {
                string? message = MessageOf(login.Text);
                if (message is not null && message.IndexOf("nombre maximum de connexion", StringComparison.OrdinalIgnoreCase) >= 0)
                    throw new EglSessionLimitException(EglRedactor.Redact(message, Secrets()));
                if (login.Status == 400 || login.Status == 401)
                    throw new EglAuthenticationException(login.Status.ToString(CultureInfo.InvariantCulture), message is null ? "the portal refused the login" : EglRedactor.Redact(message, Secrets()));
            }

            EnsureSuccess(EglPortalEndpoints.LoginRoute, login);

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
            Remember(verifier);
            string query = "?redirect_uri=" + Uri.EscapeDataString(EglPortalEndpoints.RedirectUri)
                + "&response_type=code"
                + "&code_challenge=" + Uri.EscapeDataString(EglPkce.Challenge(verifier))
                + "&code_challenge_method=S256"
                + "&client_id=" + Uri.EscapeDataString(EglPortalEndpoints.ClientId);
            var authorize = await SendAsync(HttpMethod.Get, EglPortalEndpoints.AuthorizeRoute, query, null, null, options, cancellationToken).ConfigureAwait(false);
            if (authorize.Status == 403) throw new EglBlockedException(EglPortalEndpoints.AuthorizeRoute);
            string code = CodeOf(authorize)
                ?? throw new EglInvalidResponseException(EglPortalEndpoints.AuthorizeRoute, authorize.Status, authorize.ContentType, "no authorization code in the redirect", EglWire.Excerpt(EglRedactor.Redact(authorize.Location?.GetLeftPart(UriPartial.Path) ?? authorize.Text, Secrets())));
            Remember(code);

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
            if (tokenAnswer.Status == 403) throw new EglBlockedException(EglPortalEndpoints.TokenRoute);
            if (tokenAnswer.Status == 400 || tokenAnswer.Status == 401)
            {
                var (error, description) = OAuthErrorOf(tokenAnswer.Text);
                throw new EglAuthenticationException(error ?? tokenAnswer.Status.ToString(CultureInfo.InvariantCulture), EglRedactor.Redact($"the portal refused the authorization code ({description ?? error ?? "no detail"})", Secrets()));
            }

            EnsureSuccess(EglPortalEndpoints.TokenRoute, tokenAnswer);
            var (accessToken, expiresIn) = EglPortalWire.ParseToken(EglPortalEndpoints.TokenRoute, tokenAnswer.Status, tokenAnswer.ContentType, tokenAnswer.Text, Secrets());
            Remember(accessToken);
            _expiresAt = _transport.TimeProvider.GetUtcNow().AddSeconds(expiresIn);

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

        private Task<EglHttpAnswer> SendAsync(
            HttpMethod method, string route, string query, Func<HttpContent>? content, string? bearer, EglRequestOptions options, CancellationToken cancellationToken)
        {
            Uri uri = new Uri(EglEndpoints.Combine(BaseUri, route).AbsoluteUri + query);
            return SendAndKeepCookiesAsync(uri, method, route, content, bearer, options, cancellationToken);
        }

        private async Task<EglHttpAnswer> SendAndKeepCookiesAsync(
            Uri uri, HttpMethod method, string route, Func<HttpContent>? content, string? bearer, EglRequestOptions options, CancellationToken cancellationToken)
        {
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
                    foreach (Cookie c in _cookies.GetCookies(uri))
                    {
                        if (c.Value.Length >= 8) Remember(c.Value);
                    }
                }
                catch (CookieException)
                {
                    options.Log.Verbose($"{route}: a cookie the portal set could not be read; ignored");
                }
            }

            return answer;
        }

        private void EnsureSuccess(string route, EglHttpAnswer answer)
        {
            if (answer.Status == 403) throw new EglBlockedException(route);
            if (answer.Status < 200 || answer.Status >= 300)
            {
                string? message = MessageOf(answer.Text);
                if (message is not null) throw new EglApiException(route, answer.Status.ToString(CultureInfo.InvariantCulture), EglRedactor.Redact(message, Secrets()));
                throw new EglInvalidResponseException(route, answer.Status, answer.ContentType, "an unexpected HTTP status", EglWire.Excerpt(EglRedactor.Redact(answer.Text, Secrets())));
            }
        }

        private static string? CodeOf(EglHttpAnswer authorize)
        {
            string? fromQuery(string? text)
            {
                if (text is null) return null;
                int q = text.IndexOf('?');
                if (q < 0) return null;
                foreach (var part in text.Substring(q + 1).Split('&', '#'))
                {
                    if (part.StartsWith("code=", StringComparison.Ordinal)) return Uri.UnescapeDataString(part.Substring(5));
                }

                return null;
            }

            if (authorize.Status >= 300 && authorize.Status < 400) return fromQuery(authorize.Location?.OriginalString);
            if (authorize.Status == 200)
            {
                try
                {
                    using var doc = JsonDocument.Parse(authorize.Text);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
                }
                catch (JsonException)
                {
                }

                var m = System.Text.RegularExpressions.Regex.Match(authorize.Text, "[?&]code=([A-Za-z0-9._~-]+)");
                if (m.Success) return m.Groups[1].Value;
            }

            return null;
        }

        private static string? MessageOf(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return null;
                foreach (var name in new[] { "message", "error_description", "libelle", "error" })
                {
                    if (root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String) return m.GetString();
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        private static (string? Error, string? Description) OAuthErrorOf(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return (null, null);
                string? error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                string? description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return (error, description);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
    }
}
