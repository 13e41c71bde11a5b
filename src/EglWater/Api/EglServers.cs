using System;

namespace EglWater.Api
{
    /// <summary>The EGL servers the module knows by name, and how a base URI is joined to a route.</summary>
    internal static class EglServers
    {
        /// <summary>The partner ("agrégats") API in production.</summary>
        public static readonly Uri PartnerProduction = new Uri("https://agence.eaudugrandlyon.com/ws/");

        /// <summary>The partner API's acceptance server.</summary>
        public static readonly Uri PartnerRecette = new Uri("https://agence-rec.eaudugrandlyon.com/");

        /// <summary>The customer portal.</summary>
        public static readonly Uri PortalProduction = new Uri("https://agence.eaudugrandlyon.com/application/");

        public static Uri Partner(EglEnvironment environment) => environment switch
        {
            EglEnvironment.Production => PartnerProduction,
            EglEnvironment.Recette => PartnerRecette,
            _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Custom environments need an explicit base URI."),
        };

        /// <summary>
        /// Joins a route to a base URI keeping the base's path prefix:
        /// <c>https://h/ws</c> + <c>connect.asp</c> is <c>https://h/ws/connect.asp</c>
        /// (whereas <c>new Uri(base, "/connect.asp")</c> would drop the <c>/ws</c>).
        /// </summary>
        public static Uri Combine(Uri baseUri, string route)
        {
            if (baseUri is null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri) throw new ArgumentException("The base URI must be absolute.", nameof(baseUri));
            var b = new UriBuilder(baseUri) { Query = string.Empty, Fragment = string.Empty };
            if (!b.Path.EndsWith("/", StringComparison.Ordinal)) b.Path += "/";
            return new Uri(b.Uri, route.TrimStart('/'));
        }

        /// <summary>Normalises a base URI (absolute, http or https, no user info, path ending with a slash).</summary>
        public static Uri Normalize(Uri baseUri)
        {
            if (baseUri is null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri)
                throw new ArgumentException($"The base URI '{baseUri}' is not absolute.", nameof(baseUri));
            if (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp)
                throw new ArgumentException($"The base URI '{baseUri}' must use https (or http for a local server).", nameof(baseUri));
            var b = new UriBuilder(baseUri) { Query = string.Empty, Fragment = string.Empty, UserName = string.Empty, Password = string.Empty };
            if (!b.Path.EndsWith("/", StringComparison.Ordinal)) b.Path += "/";
            return b.Uri;
        }
    }
}
