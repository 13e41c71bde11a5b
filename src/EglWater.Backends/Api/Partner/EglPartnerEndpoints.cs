using EglWater.Api;
namespace EglWater.Api.Partner
{
    /// <summary>The routes of the partner ("agrégats") API, relative to its base URI (see EglServers).</summary>
    internal static class EglPartnerEndpoints
    {
        public const string ConnectRoute = "connect.asp";
        public const string AggregatesRoute = "getAllAgregatsByAbonnement.aspx";
    }
}
