using System;

namespace EglWater
{
    /// <summary>
    /// Base of every failure the module reports. <see cref="ErrorId"/> is stable: scripts and the help topic refer to
    /// it. The message says what happened, in facts (route, status, code, the server's words, masked); what to do is
    /// the cmdlet's to say (ErrorDetails.RecommendedAction). Messages never contain a password, an AuthKey or a token.
    /// </summary>
    public abstract class EglException : Exception
    {
        protected EglException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>The stable error id used in the PowerShell ErrorRecord.</summary>
        public abstract string ErrorId { get; }
    }

    /// <summary>The login was refused (the partner API's codeRetour other than 100, the portal's refusal).</summary>
    public sealed class EglAuthenticationException : EglException
    {
        public EglAuthenticationException(string? code, string? apiMessage, EglApiKind api = EglApiKind.Partner)
            : base(api == EglApiKind.Partner
                ? $"The EGL partner API refused the login (codeRetour {code ?? "missing"}: {apiMessage ?? "no message"})."
                : $"The Eau du Grand Lyon portal refused the login ({code ?? "no code"}: {apiMessage ?? "no message"}).")
        {
            Code = code;
            ApiMessage = apiMessage;
            Api = api;
        }

        public string? Code { get; }
        public string? ApiMessage { get; }
        public EglApiKind Api { get; }
        public override string ErrorId => "EglAuthenticationFailed";
    }

    /// <summary>A data request was refused (the partner API's codeRetour other than 100 after one re-login; the portal's error).</summary>
    public sealed class EglApiException : EglException
    {
        public EglApiException(string route, string? code, string? apiMessage, EglApiKind api = EglApiKind.Partner)
            : base(api == EglApiKind.Partner
                ? $"The EGL partner API answered '{route}' with codeRetour {code ?? "missing"}: {apiMessage ?? "no message"}."
                : $"The Eau du Grand Lyon portal answered '{route}'{(code is null ? string.Empty : " with HTTP " + code)}: {apiMessage ?? "no message"}.")
        {
            Route = route;
            Code = code;
            ApiMessage = apiMessage;
        }

        public string Route { get; }
        public string? Code { get; }
        public string? ApiMessage { get; }
        public override string ErrorId => "EglApiError";
    }

    /// <summary>The server answered something that is not the expected answer.</summary>
    public sealed class EglInvalidResponseException : EglException
    {
        public EglInvalidResponseException(string route, int status, string? contentType, string reason, string excerpt, Exception? inner = null)
            : base($"The EGL server answered '{route}' with something that is not the expected answer ({reason}; HTTP {status}, Content-Type '{contentType ?? "none"}'). The start of the answer: \"{excerpt}\".", inner)
        {
            Route = route;
            StatusCode = status;
            ContentType = contentType;
            Excerpt = excerpt;
        }

        public string Route { get; }
        public int StatusCode { get; }
        public string? ContentType { get; }
        public string Excerpt { get; }
        public override string ErrorId => "EglInvalidResponse";
    }

    /// <summary>The server could not be reached, or kept failing after the retries.</summary>
    public sealed class EglConnectionException : EglException
    {
        public EglConnectionException(string message, Exception? inner = null) : base(message, inner) { }
        public override string ErrorId => "EglConnectionFailed";
    }

    /// <summary>The server did not answer in time, after the retries.</summary>
    public sealed class EglTimeoutException : EglException
    {
        public EglTimeoutException(string message, Exception? inner = null) : base(message, inner) { }
        public override string ErrorId => "EglTimeout";
    }

    /// <summary>No session, or a session that was closed.</summary>
    public sealed class EglNotConnectedException : EglException
    {
        public EglNotConnectedException(string message) : base(message) { }
        public override string ErrorId => "EglNotConnected";
    }

    /// <summary>The provider's web application firewall refused the request (HTTP 403). Retrying at once makes it worse.</summary>
    public sealed class EglBlockedException : EglException
    {
        public EglBlockedException(string route)
            : base($"The Eau du Grand Lyon portal's firewall refused '{route}' (HTTP 403); the session sends nothing more for 15 minutes.")
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
            : base($"The Eau du Grand Lyon portal refused the login: too many open sessions for this account ({apiMessage ?? "nombre maximum de connexion atteint"}).")
        {
            ApiMessage = apiMessage;
        }

        public string? ApiMessage { get; }
        public override string ErrorId => "EglSessionLimit";
    }
}
