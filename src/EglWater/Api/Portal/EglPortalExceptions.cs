namespace EglWater.Api.Portal
{
    /// <summary>The provider's web application firewall refused the request (HTTP 403). Retrying at once makes it worse.</summary>
    public sealed class EglBlockedException : EglException
    {
        public EglBlockedException(string route)
            : base($"The Eau du Grand Lyon portal's firewall refused '{route}' (HTTP 403). Wait at least 15 minutes before trying again; repeated attempts prolong the block.")
        {
            Route = route;
        }

        public string Route { get; }

        public override string ErrorId => "EglBlocked";
    }

    /// <summary>The portal refused the login because the account has too many open sessions.</summary>
    public sealed class EglSessionLimitException : EglException
    {
        public EglSessionLimitException(string? apiMessage)
            : base($"The Eau du Grand Lyon portal refused the login: too many open sessions for this account ({apiMessage ?? "nombre maximum de connexion atteint"}). Close other sessions (web site, app, other scripts) or wait for them to expire, then run Connect-Egl again.")
        {
            ApiMessage = apiMessage;
        }

        public string? ApiMessage { get; }

        public override string ErrorId => "EglSessionLimit";
    }
}
