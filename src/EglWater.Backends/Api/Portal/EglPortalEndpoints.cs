using System;
using EglWater.Api.Http;

namespace EglWater.Api.Portal
{
    /// <summary>
    /// The customer portal API as public clients use it (observed behaviour, not operator documentation):
    /// base https://agence.eaudugrandlyon.com/application, the header "entreprise: EPGL" on every request,
    /// a public client id and redirect URI for the OAuth2 authorization-code flow with PKCE.
    /// </summary>
    internal static class EglPortalEndpoints
    {
        public static readonly Uri Production = new Uri("https://agence.eaudugrandlyon.com/application/");

        public const string ClientId = "kwnOk0B_aqlOI6p_GVxrbf6";
        public const string RedirectUri = "https://agence.eaudugrandlyon.com/autorisation-callback.html";
        public const string EntrepriseHeader = "entreprise";
        public const string Entreprise = "EPGL";

        public const string LoginRoute = "auth/externe/authentification";
        public const string RolesRoute = "auth/externe/utilisateur/roles";
        public const string AuthorizeRoute = "auth/authorize-internet";
        public const string TokenRoute = "auth/tokenUtilisateurInternet";
        public const string RevokeRoute = "auth/revoke";
        public const string ContractsRoute = "rest/produits/contrats";

        /// <summary>The 2026 contract search, with the details the maintained public client asks for.</summary>
        public const string ContractSearchRoute = "rest/interfaces/ael/contrats/rechercher";

        public const string ContractSearchQuery =
            "?expand=servicesSouscrits(calibreCompteur,nombreHabitants),pointDeReleve(moduleRadio),usage"
            + "&select=id,reference,statutExtrait,servicesSouscrits,nombreHabitants,usage,pointDeReleve";

        /// <summary>Redirects followed at the authorize step, on the portal's own host, before giving up.</summary>
        public const int MaximumRedirects = 5;

        /// <summary>
        /// The navigation headers of a browser, sent with the login form and the authorize step: the provider's
        /// firewall rejects other requests there (the maintained public client added them for that reason). The
        /// module's own product token stays in the User-Agent so that the operator can tell who calls.
        /// </summary>
        public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

        public const string BrowserAcceptLanguage = "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7";

        public static string BrowserUserAgent => "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 EglWater/" + EglHttp.Version;

        public static string DailyVolumesRoute(string contractId) =>
            $"rest/produits/contrats/{Uri.EscapeDataString(contractId)}/consommationsJournalieres";
    }
}
