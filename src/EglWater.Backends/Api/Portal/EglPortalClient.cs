using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Api.Http;

namespace EglWater.Api.Portal
{
    /// <summary>
    /// The HTTP side of the customer portal for one session: its cookie jar, the secrets it masks, the firewall
    /// block it remembers, and the flows: the login (form, optional client role, authorize with its redirects,
    /// token exchange with PKCE S256), the contracts, a data request with a bearer token, the revocation.
    /// Holds no token: <see cref="EglPortalSession"/> does.
    /// </summary>
    internal sealed class EglPortalClient
    {
        /// <summary>How long the client refuses to send anything after the portal's firewall answered 403.</summary>
        public static readonly TimeSpan BlockedFor = TimeSpan.FromMinutes(15);

        private readonly EglTransport _transport;
        private readonly CookieContainer _cookies = new CookieContainer();
        private readonly EglSecretSet _secrets = new EglSecretSet();
        private readonly object _gate = new object();
        private string? _blockedRoute;
        private DateTimeOffset _blockedUntil;

        public EglPortalClient(EglTransport transport, Uri baseUri)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            BaseUri = EglServers.Normalize(baseUri);
        }

        public Uri BaseUri { get; }

        public TimeProvider TimeProvider => _transport.TimeProvider;

        /// <summary>How many secret values are held for masking (bounded).</summary>
        public int SecretCount => _secrets.Count;

        /// <summary>Every secret known: masked in any server text that reaches a message.</summary>
        public IReadOnlyList<string?> Secrets(EglCredential credential) => _secrets.Snapshot(credential.RevealPassword());

        /// <summary>Remembers a secret (a token) for masking.</summary>
        public void Remember(string slot, string? value) => _secrets.Set(slot, value);

        /// <summary>The whole login: returns the access token and its lifetime in seconds.</summary>
        public async Task<(string AccessToken, int ExpiresIn)> LoginAsync(EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            options.Log.Debug($"Portal login for {credential.UserName}: password, authorization code, code verifier and token hidden");

            // 1. The login form opens a cookie session. Its body counts whatever the status.
            var login = await SendAsync(
                HttpMethod.Post,
                Route(EglPortalEndpoints.LoginRoute),
                EglPortalEndpoints.LoginRoute,
                () => new FormUrlEncodedContent(new[]
                {
                    new KeyValuePair<string, string>("username", credential.UserName),
                    new KeyValuePair<string, string>("password", credential.RevealPassword()),
                    new KeyValuePair<string, string>("client_id", EglPortalEndpoints.ClientId),
                }),
                null,
                browser: true,
                options,
                cancellationToken).ConfigureAwait(false);
            CheckLoginAnswer(login, credential);

            // 2. The client role, activated where the portal still has that step (404 or 405: it has not).
            await ActivateClientRoleAsync(credential, options, cancellationToken).ConfigureAwait(false);

            // 3. Authorization code, bound to a fresh PKCE verifier.
            string verifier = EglPkce.CreateVerifier();
            _secrets.Set("code_verifier", verifier);
            string code = await AuthorizeAsync(verifier, credential, options, cancellationToken).ConfigureAwait(false);
            _secrets.Set("code", code);

            // 4. Code + verifier for a bearer token.
            var tokenAnswer = await SendAsync(
                HttpMethod.Post,
                Route(EglPortalEndpoints.TokenRoute),
                EglPortalEndpoints.TokenRoute,
                () => new FormUrlEncodedContent(new[]
                {
                    new KeyValuePair<string, string>("client_id", EglPortalEndpoints.ClientId),
                    new KeyValuePair<string, string>("code", code),
                    new KeyValuePair<string, string>("redirect_uri", EglPortalEndpoints.RedirectUri),
                    new KeyValuePair<string, string>("grant_type", "authorization_code"),
                    new KeyValuePair<string, string>("code_verifier", verifier),
                }),
                null,
                browser: false,
                options,
                cancellationToken).ConfigureAwait(false);
            if (tokenAnswer.Status == 400 || tokenAnswer.Status == 401)
            {
                var (error, description) = EglPortalWire.OAuthErrorOf(tokenAnswer.Text);
                throw new EglAuthenticationException(
                    error is null ? tokenAnswer.Status.ToString(CultureInfo.InvariantCulture) : EglRedactor.Redact(error, Secrets(credential)),
                    EglRedactor.Redact($"the portal refused the authorization code ({description ?? error ?? "no detail"})", Secrets(credential)),
                    EglApiKind.Portal);
            }

            EnsureSuccess(EglPortalEndpoints.TokenRoute, tokenAnswer, credential);
            // The token joins the masked secrets before anything of its answer can reach a message.
            _secrets.Set("access_token", EglPortalWire.AccessTokenOf(tokenAnswer.Text));
            var token = EglPortalWire.ParseToken(EglPortalEndpoints.TokenRoute, tokenAnswer.Status, tokenAnswer.ContentType, tokenAnswer.Text, Secrets(credential));
            _secrets.Set("access_token", token.AccessToken);
            return token;
        }

        /// <summary>The contracts: the 2026 search (with details), or the older list where the search does not exist (404).</summary>
        public async Task<IReadOnlyList<EglPortalContract>> GetContractsAsync(string accessToken, EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var search = await SendAsync(
                HttpMethod.Post,
                new Uri(Route(EglPortalEndpoints.ContractSearchRoute).AbsoluteUri + EglPortalEndpoints.ContractSearchQuery),
                EglPortalEndpoints.ContractSearchRoute,
                () => new StringContent("{}", Encoding.UTF8, "application/json"),
                accessToken,
                browser: false,
                options,
                cancellationToken).ConfigureAwait(false);
            if (search.Status != 404)
            {
                EnsureSuccess(EglPortalEndpoints.ContractSearchRoute, search, credential);
                return EglPortalWire.ParseContracts(EglPortalEndpoints.ContractSearchRoute, search.Status, search.ContentType, search.Text, Secrets(credential));
            }

            options.Log.Verbose($"{EglPortalEndpoints.ContractSearchRoute} answered 404; reading {EglPortalEndpoints.ContractsRoute} instead");
            var list = await GetAsync(EglPortalEndpoints.ContractsRoute, string.Empty, accessToken, options, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(EglPortalEndpoints.ContractsRoute, list, credential);
            return EglPortalWire.ParseContracts(EglPortalEndpoints.ContractsRoute, list.Status, list.ContentType, list.Text, Secrets(credential));
        }

        /// <summary>A GET with a bearer token (the status is the caller's to check: 401 means renew).</summary>
        public Task<EglHttpAnswer> GetAsync(string route, string query, string accessToken, EglRequestOptions options, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Get, new Uri(Route(route).AbsoluteUri + query), route, null, accessToken, browser: false, options, cancellationToken);

        /// <summary>Revokes a token (POST /auth/revoke): frees one of the server's limited sessions.</summary>
        public async Task RevokeAsync(string accessToken, EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var answer = await SendAsync(
                HttpMethod.Post,
                Route(EglPortalEndpoints.RevokeRoute),
                EglPortalEndpoints.RevokeRoute,
                () => new FormUrlEncodedContent(new[] { new KeyValuePair<string, string>("token", accessToken) }),
                null,
                browser: false,
                options,
                cancellationToken).ConfigureAwait(false);
            EnsureSuccess(EglPortalEndpoints.RevokeRoute, answer, credential);
        }

        /// <summary>Throws what a non-success answer means: a firewall block, the server's message, or an unexpected status.</summary>
        public void EnsureSuccess(string route, EglHttpAnswer answer, EglCredential credential)
        {
            if (answer.Status == 403) throw Blocked(route);
            if (answer.Status >= 200 && answer.Status < 300) return;
            string? message = EglPortalWire.MessageOf(answer.Text);
            if (message is not null) throw new EglApiException(route, answer.Status.ToString(CultureInfo.InvariantCulture), EglRedactor.Redact(message, Secrets(credential)), EglApiKind.Portal);
            throw new EglInvalidResponseException(route, answer.Status, answer.ContentType, "an unexpected HTTP status", EglRedactor.Excerpt(answer.Text, Secrets(credential)));
        }

        private void CheckLoginAnswer(EglHttpAnswer login, EglCredential credential)
        {
            if (login.Status == 403) throw Blocked(EglPortalEndpoints.LoginRoute);
            var refusal = EglPortalWire.LoginRefusalOf(login.Status, login.Text);
            if (refusal.SessionCap) throw new EglSessionLimitException(refusal.Message is null ? null : EglRedactor.Redact(refusal.Message, Secrets(credential)));
            if (refusal.Refused)
            {
                throw new EglAuthenticationException(
                    refusal.Code is null ? login.Status.ToString(CultureInfo.InvariantCulture) : EglRedactor.Redact(refusal.Code, Secrets(credential)),
                    refusal.Message is null ? "the portal refused the login" : EglRedactor.Redact(refusal.Message, Secrets(credential)),
                    EglApiKind.Portal);
            }

            EnsureSuccess(EglPortalEndpoints.LoginRoute, login, credential);
        }

        private async Task ActivateClientRoleAsync(EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            var roles = await SendAsync(HttpMethod.Get, Route(EglPortalEndpoints.RolesRoute), EglPortalEndpoints.RolesRoute, null, null, browser: false, options, cancellationToken).ConfigureAwait(false);
            if (roles.Status == 404 || roles.Status == 405)
            {
                options.Log.Verbose($"{EglPortalEndpoints.RolesRoute} answered {roles.Status}: no client role to activate on this portal");
                return;
            }

            EnsureSuccess(EglPortalEndpoints.RolesRoute, roles, credential);
            EnsureSuccess(EglPortalEndpoints.RolesRoute, await SendAsync(
                new HttpMethod("PUT"),
                Route(EglPortalEndpoints.RolesRoute),
                EglPortalEndpoints.RolesRoute,
                () => new StringContent("[{\"id\":\"client\",\"libelle\":\"client\",\"actif\":false}]", Encoding.UTF8, "application/json"),
                null,
                browser: false,
                options,
                cancellationToken).ConfigureAwait(false), credential);
            EnsureSuccess(EglPortalEndpoints.RolesRoute, await SendAsync(HttpMethod.Get, Route(EglPortalEndpoints.RolesRoute), EglPortalEndpoints.RolesRoute, null, null, browser: false, options, cancellationToken).ConfigureAwait(false), credential);
        }

        /// <summary>
        /// The authorize step: follows redirects on the portal's own host (at most <see cref="EglPortalEndpoints.MaximumRedirects"/>)
        /// until a Location carries the code (query or fragment); never requests the registered redirect URI itself,
        /// nor another host.
        /// </summary>
        private async Task<string> AuthorizeAsync(string verifier, EglCredential credential, EglRequestOptions options, CancellationToken cancellationToken)
        {
            string query = "?redirect_uri=" + Uri.EscapeDataString(EglPortalEndpoints.RedirectUri)
                + "&response_type=code"
                + "&code_challenge=" + Uri.EscapeDataString(EglPkce.Challenge(verifier))
                + "&code_challenge_method=S256"
                + "&client_id=" + Uri.EscapeDataString(EglPortalEndpoints.ClientId);
            Uri current = new Uri(Route(EglPortalEndpoints.AuthorizeRoute).AbsoluteUri + query);
            for (int hop = 0; ; hop++)
            {
                var answer = await SendAsync(HttpMethod.Get, current, EglPortalEndpoints.AuthorizeRoute, null, null, browser: true, options, cancellationToken).ConfigureAwait(false);
                if (answer.Status == 403) throw Blocked(EglPortalEndpoints.AuthorizeRoute);
                Uri? target = answer.Status >= 300 && answer.Status < 400 && answer.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(current, l)) : null;
                // A code counts only from the portal's own host or its registered callback, never from another host.
                bool foreign = target is not null && !IsPortalHost(target);
                string? code = null, oauthError = null;
                if (!foreign) code = EglPortalWire.AuthorizationCodeOf(answer.Status, answer.Location, answer.Text, out oauthError);
                if (code is not null) return code;
                string? problem = oauthError is not null
                    ? "no authorization code: the portal answered the OAuth error '" + EglRedactor.Excerpt(oauthError, Secrets(credential), 60) + "'"
                    : null;
                if (problem is null && target is not null)
                {
                    if (foreign)
                        problem = "the portal redirected the authorization to another host (" + target.Host + "), which is not followed";
                    else if (target.GetLeftPart(UriPartial.Path).Equals(new Uri(EglPortalEndpoints.RedirectUri).GetLeftPart(UriPartial.Path), StringComparison.OrdinalIgnoreCase))
                        problem = "the redirect to the registered callback carries no authorization code";
                    else if (hop >= EglPortalEndpoints.MaximumRedirects)
                        problem = string.Format(CultureInfo.InvariantCulture, "no authorization code after {0} redirects", EglPortalEndpoints.MaximumRedirects);
                    else
                    {
                        options.Log.Verbose($"{EglPortalEndpoints.AuthorizeRoute}: following a redirect to {target.AbsolutePath}");
                        current = target;
                        continue;
                    }
                }

                throw new EglInvalidResponseException(
                    EglPortalEndpoints.AuthorizeRoute,
                    answer.Status,
                    answer.ContentType,
                    problem ?? "no authorization code in the answer",
                    EglRedactor.Excerpt(answer.Location is null ? answer.Text : answer.Location.OriginalString, Secrets(credential)));
            }
        }

        private Uri Route(string route) => EglServers.Combine(BaseUri, route);

        /// <summary>The portal's own host (or the registered callback's), over http(s).</summary>
        private bool IsPortalHost(Uri target) =>
            (target.Scheme == Uri.UriSchemeHttps || target.Scheme == Uri.UriSchemeHttp)
            && (string.Equals(target.Host, BaseUri.Host, StringComparison.OrdinalIgnoreCase) || string.Equals(target.Host, new Uri(EglPortalEndpoints.RedirectUri).Host, StringComparison.OrdinalIgnoreCase));

        private async Task<EglHttpAnswer> SendAsync(
            HttpMethod method, Uri uri, string route, Func<HttpContent>? content, string? bearer, bool browser, EglRequestOptions options, CancellationToken cancellationToken)
        {
            // After a firewall block, nothing more is sent (a retry prolongs the block).
            ThrowIfBlocked();
            var answer = await _transport.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(method, uri);
                    if (content is not null) request.Content = content();
                    request.Headers.TryAddWithoutValidation(EglPortalEndpoints.EntrepriseHeader, EglPortalEndpoints.Entreprise);
                    if (browser)
                    {
                        request.Headers.TryAddWithoutValidation("Accept", EglPortalEndpoints.BrowserAccept);
                        request.Headers.TryAddWithoutValidation("Accept-Language", EglPortalEndpoints.BrowserAcceptLanguage);
                        request.Headers.TryAddWithoutValidation("User-Agent", EglPortalEndpoints.BrowserUserAgent);
                    }
                    else
                    {
                        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    }

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

        /// <summary>Records a firewall block: nothing more is sent through this session for <see cref="BlockedFor"/>.</summary>
        private EglBlockedException Blocked(string route)
        {
            lock (_gate)
            {
                _blockedRoute = route;
                _blockedUntil = _transport.TimeProvider.GetUtcNow() + BlockedFor;
            }

            return new EglBlockedException(route);
        }

        private void ThrowIfBlocked()
        {
            lock (_gate)
            {
                if (_blockedRoute is not null && _transport.TimeProvider.GetUtcNow() < _blockedUntil) throw new EglBlockedException(_blockedRoute);
            }
        }
    }
}
