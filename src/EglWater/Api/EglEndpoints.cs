using System;

namespace EglWater.Api
{
    /// <summary>Base URIs of the partner ("agrégats") API, and the joining of routes to them.</summary>
    public static class EglEndpoints
    {
        public static readonly Uri Production = new Uri("https://agence.eaudugrandlyon.com/ws/");
        public static readonly Uri Recette = new Uri("https://agence-rec.eaudugrandlyon.com/");

        public const string ConnectRoute = "connect.asp";
        public const string AggregatesRoute = "getAllAgregatsByAbonnement.aspx";

        public static Uri For(EglEnvironment environment) => environment switch
        {
            EglEnvironment.Production => Production,
            EglEnvironment.Recette => Recette,
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

        /// <summary>Normalises a base URI (absolute, http or https, path ending with a slash).</summary>
        public static Uri Normalize(Uri baseUri)
        {
            if (baseUri is null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri)
                throw new ArgumentException($"The base URI '{baseUri}' is not absolute. Give a full URI such as https://agence.eaudugrandlyon.com/ws.", nameof(baseUri));
            if (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp)
                throw new ArgumentException($"The base URI '{baseUri}' must use https (or http for a local server).", nameof(baseUri));
            var b = new UriBuilder(baseUri) { Query = string.Empty, Fragment = string.Empty, UserName = string.Empty, Password = string.Empty };
            if (!b.Path.EndsWith("/", StringComparison.Ordinal)) b.Path += "/";
            return b.Uri;
        }
    }
}
