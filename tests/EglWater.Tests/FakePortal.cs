using System.Net;
using System.Net.Http;
using System.Text;
using EglWater.Api;
using EglWater.Api.Portal;
using RichardSzalay.MockHttp;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>A customer portal on MockHttp: the OAuth2 + PKCE flow, contracts and daily volumes, with knobs for faults.</summary>
internal sealed class FakePortal
{
    public const string Base = "https://agence.example.test/application/";
    public const string Cookie = "EGLSESSIONID=abc123";

    public readonly MockHttpMessageHandler Mock = new();

    /// <summary>Replaces the login form's answer (n = the login's number, from 1).</summary>
    public Func<int, HttpResponseMessage>? LoginResponse;

    /// <summary>Replaces the answers of the authorize step and of the redirects under it (the request is given).</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? AuthorizeResponse;

    /// <summary>The status of the role routes (404: a portal without the role step).</summary>
    public HttpStatusCode RolesStatus = HttpStatusCode.OK;

    /// <summary>The 2026 contract search's answer; null: the route does not exist (404), the older list is read.</summary>
    public string? ContractSearchBody;

    /// <summary>The revocation's status, and how many were asked.</summary>
    public HttpStatusCode RevokeStatus = HttpStatusCode.OK;

    public int Revokes;

    /// <summary>The form the last revocation sent.</summary>
    public string? RevokeBody;

    /// <summary>Replaces the daily answer's body (n = the data request's number, from 1).</summary>
    public Func<int, string>? DataBody;

    /// <summary>Replaces the token answer's body (n = the exchange's number, from 1).</summary>
    public Func<int, string>? TokenBody;

    /// <summary>The token answer's status.</summary>
    public HttpStatusCode TokenStatus = HttpStatusCode.OK;

    /// <summary>Replaces a data answer (n = the data request's number, from 1); null keeps the normal one.</summary>
    public Func<int, HttpResponseMessage?>? DataResponse;

    /// <summary>The session cookie's value of each answer (n = the request's number, from 1).</summary>
    public Func<int, string>? CookieValue;

    /// <summary>Every request sent, whatever the route.</summary>
    public int AllRequests => Requests.Count;

    public string? Challenge;
    public string? Verifier;
    public string? PutBody;
    public int Logins;
    public int TokenRequests;
    public int DataRequests;
    public readonly List<HttpRequestMessage> Requests = [];
    public int ExpiresIn = 3600;
    public string Unit = "m3";
    public Func<int, HttpStatusCode> DataStatus = _ => HttpStatusCode.OK;

    public FakePortal()
    {
        Mock.When(HttpMethod.Post, Base + "auth/externe/authentification")
            .With(r => { Requests.Add(r); return true; })
            .Respond(_ =>
            {
                Logins++;
                if (LoginResponse is not null) return LoginResponse(Logins);
                var r = new HttpResponseMessage(HttpStatusCode.NoContent);
                r.Headers.Add("Set-Cookie", Cookie + "; Path=/; HttpOnly");
                return r;
            });
        Mock.When(Base + "auth/externe/utilisateur/roles")
            .With(r =>
            {
                Requests.Add(r);
                if (r.Method == HttpMethod.Put) PutBody = r.Content!.ReadAsStringAsync().Result;
                return true;
            })
            .Respond(_ => new HttpResponseMessage(RolesStatus) { Content = new StringContent(RolesStatus == HttpStatusCode.OK ? """[{"id":"client","libelle":"client","actif":true}]""" : "{}", Encoding.UTF8, "application/json") });
        Mock.When(HttpMethod.Post, Base + "rest/interfaces/ael/contrats/rechercher").With(r => { Requests.Add(r); return true; })
            .Respond(_ => ContractSearchBody is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"message":"Ressource introuvable"}""", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ContractSearchBody, Encoding.UTF8, "application/json") });
        Mock.When(HttpMethod.Post, Base + "auth/revoke").With(r => { Requests.Add(r); return true; })
            .Respond(r =>
            {
                Revokes++;
                RevokeBody = r.Content!.ReadAsStringAsync().Result;
                return new HttpResponseMessage(RevokeStatus) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            });
        Mock.When(HttpMethod.Get, Base + "auth/authorize-internet*").With(r => { Requests.Add(r); return true; })
            .Respond(r =>
            {
                if (r.RequestUri!.AbsolutePath.EndsWith("/auth/authorize-internet", StringComparison.Ordinal))
                    Challenge = System.Web.HttpUtility.ParseQueryString(r.RequestUri!.Query)["code_challenge"];
                if (AuthorizeResponse is not null) return AuthorizeResponse(r);
                var resp = new HttpResponseMessage(HttpStatusCode.Found);
                resp.Headers.Location = new Uri("https://agence.eaudugrandlyon.com/autorisation-callback.html?code=c0de" + Logins);
                return resp;
            });
        Mock.When(HttpMethod.Post, Base + "auth/tokenUtilisateurInternet").With(r => { Requests.Add(r); return true; })
            .Respond(r =>
            {
                TokenRequests++;
                var form = System.Web.HttpUtility.ParseQueryString(r.Content!.ReadAsStringAsync().Result);
                Verifier = form["code_verifier"];
                return new HttpResponseMessage(TokenStatus)
                {
                    Content = new StringContent(TokenBody?.Invoke(TokenRequests) ?? $$"""{"access_token":"tok{{TokenRequests}}","token_type":"Bearer","expires_in":{{ExpiresIn}}}""", Encoding.UTF8, "application/json"),
                };
            });
        Mock.When(HttpMethod.Get, Base + "rest/produits/contrats").With(r => { Requests.Add(r); return true; })
            .Respond("application/json", """[{"id":"opaque.id","reference":"1895683"},{"id":"other","reference":"42"}]""");
        Mock.When(HttpMethod.Get, Base + "rest/produits/contrats/opaque.id/consommationsJournalieres").With(r => { Requests.Add(r); return true; })
            .Respond(_ =>
            {
                DataRequests++;
                if (DataResponse?.Invoke(DataRequests) is { } replaced) return replaced;
                var status = DataStatus(DataRequests);
                var answer = new HttpResponseMessage(status)
                {
                    Content = new StringContent(
                        DataBody?.Invoke(DataRequests) ?? """{"postes":[{"data":[{"consommation":A,"annee":2025,"mois":0,"jour":14},{"consommation":B,"annee":2025,"mois":0,"jour":15}]}],"unites":{"consommation":"U"}}"""
                            .Replace("A", Unit == "l" ? "231" : "0.231").Replace("B", Unit == "l" ? "300" : "0.3").Replace("\"U\"", "\"" + Unit + "\""),
                        Encoding.UTF8,
                        "application/json"),
                };
                if (CookieValue is not null) answer.Headers.Add("Set-Cookie", "EGLSESSIONID=" + CookieValue(DataRequests) + "; Path=/");
                return answer;
            });
    }

    public EglPortalSession Session(TimeProvider? time = null) =>
        new(new EglTransport(Mock.ToHttpClient(), time), new Uri(Base), new EglCredential(Login, Secure(Password), null));
}
