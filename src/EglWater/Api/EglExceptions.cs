using System;

namespace EglWater.Api
{
    /// <summary>
    /// Base of every failure the API client reports. <see cref="ErrorId"/> is stable: scripts and
    /// the help topic refer to it. Messages never contain a password, an AuthKey or a token.
    /// </summary>
    public abstract class EglException : Exception
    {
        protected EglException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>The stable error id used in the PowerShell ErrorRecord.</summary>
        public abstract string ErrorId { get; }
    }

    /// <summary>The login answer was not a success (codeRetour other than 100).</summary>
    public sealed class EglAuthenticationException : EglException
    {
        public EglAuthenticationException(string? code, string? apiMessage)
            : base($"The EGL API refused the login (codeRetour {code ?? "missing"}: {apiMessage ?? "no message"}). Check the login, the password and the AuthKey, then run Connect-Egl again.")
        {
            Code = code;
            ApiMessage = apiMessage;
        }

        public string? Code { get; }
        public string? ApiMessage { get; }
        public override string ErrorId => "EglAuthenticationFailed";
    }

    /// <summary>A data answer was not a success (codeRetour other than 100), after one re-authentication.</summary>
    public sealed class EglApiException : EglException
    {
        public EglApiException(string route, string? code, string? apiMessage)
            : base($"The EGL API answered '{route}' with codeRetour {code ?? "missing"}: {apiMessage ?? "no message"}. Check the dates and the subscription number; if it persists, run Connect-Egl again.")
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

    /// <summary>The server answered something that is not the documented JSON.</summary>
    public sealed class EglInvalidResponseException : EglException
    {
        public EglInvalidResponseException(string route, int status, string? contentType, string reason, string excerpt, Exception? inner = null)
            : base($"The EGL API answered '{route}' with something that is not the expected JSON ({reason}; HTTP {status}, Content-Type '{contentType ?? "none"}'). The start of the answer: \"{excerpt}\". The service may be down or have changed; try again later.", inner)
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

    /// <summary>No session, or a session that Disconnect-Egl closed.</summary>
    public sealed class EglNotConnectedException : EglException
    {
        public EglNotConnectedException(string message) : base(message) { }
        public override string ErrorId => "EglNotConnected";
    }
}
