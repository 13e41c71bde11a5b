using System;

namespace EglWater.Api.Portal
{
    /// <summary>
    /// The customer portal API as public clients use it (observed behaviour, not operator documentation):
    /// base https://agence.eaudugrandlyon.com/application, the header "entreprise: EPGL" on every request,
    /// a public client id and redirect URI for the OAuth2 authorization-code flow with PKCE.
    /// </summary>
    public static class EglPortalEndpoints
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
        public const string ContractsRoute = "rest/produits/contrats";

        /// <summary>Days per request of daily volumes (what public clients ask for).</summary>
        public const int ChunkDays = 90;

        public static string DailyVolumesRoute(string contractId) =>
            $"rest/produits/contrats/{Uri.EscapeDataString(contractId)}/consommationsJournalieres";
    }
}
