using System;
using System.Management.Automation;
using System.Security;
using EglWater.Api;
using EglWater.Loading;

namespace EglWater.Commands
{
    /// <summary>
    /// Logs in to the EGL API and keeps the session for this runspace: the partner API when an
    /// AuthKey is given, the customer portal (a household's own login) otherwise.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Egl", DefaultParameterSetName = PortalSet)]
    [OutputType(typeof(EglSession))]
    public sealed class ConnectEglCommand : EglRequestCmdlet
    {
        private const string EnvironmentSet = "Environment";
        private const string BaseUriSet = "BaseUri";
        private const string PortalSet = "Portal";
        private const string PortalBaseUriSet = "PortalBaseUri";

        [Parameter(Mandatory = true, Position = 0)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = EnvironmentSet)]
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BaseUriSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString AuthKey { get; set; } = null!;

        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(ParameterSetName = PortalSet)]
        [ValidateSet(nameof(EglEnvironment.Production), nameof(EglEnvironment.Recette))]
        public EglEnvironment Environment { get; set; } = EglEnvironment.Production;

        [Parameter(Mandatory = true, ParameterSetName = BaseUriSet)]
        [Parameter(Mandatory = true, ParameterSetName = PortalBaseUriSet)]
        [ValidateNotNull]
        public Uri BaseUri { get; set; } = null!;

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool IsPortal => ParameterSetName == PortalSet || ParameterSetName == PortalBaseUriSet;

        protected override void EndProcessing()
        {
            // [pscredential]::Empty, or a credential without a password: nothing to log in with (before any request).
            if (Credential == PSCredential.Empty || string.IsNullOrEmpty(Credential.UserName) || Credential.Password is null || Credential.Password.Length == 0)
            {
                ThrowArgument(
                    "-Credential has an empty login name or an empty password. Give the login and password of the Eau du Grand Lyon account, e.g. -Credential (Get-Credential).",
                    "EglInvalidCredential",
                    Credential == PSCredential.Empty ? null : Credential.UserName);
            }

            Uri baseUri;
            EglEnvironment environment;
            string secrets = IsPortal ? "the password" : "the password and the AuthKey";
            if (ParameterSetName == BaseUriSet || ParameterSetName == PortalBaseUriSet)
            {
                if (!BaseUri.IsAbsoluteUri)
                    ThrowArgument($"The base URI '{BaseUri}' is not absolute. Give a full URI such as {(IsPortal ? "https://agence.eaudugrandlyon.com/application" : "https://agence.eaudugrandlyon.com/ws")}.", "EglInvalidBaseUri", BaseUri);
                try
                {
                    baseUri = EglServers.Normalize(BaseUri);
                }
                catch (ArgumentException ex)
                {
                    ThrowArgument(ex.Message, "EglInvalidBaseUri", BaseUri);
                    return;
                }

                if (baseUri.Scheme == Uri.UriSchemeHttp && !baseUri.IsLoopback && !AllowUnencryptedAuthentication)
                {
                    ThrowArgument(
                        $"The base URI '{baseUri}' uses http, which would send {secrets} unencrypted. Use https, or add -AllowUnencryptedAuthentication if you accept the risk.",
                        "EglUnencryptedAuthentication",
                        BaseUri);
                }

                environment = EglEnvironment.Custom;
            }
            else if (IsPortal)
            {
                environment = Environment;
                if (environment != EglEnvironment.Production)
                {
                    ThrowArgument(
                        "No acceptance (Recette) server is known for the customer portal. Give -AuthKey to use the partner API's Recette server, or -BaseUri for another portal server.",
                        "EglInvalidEnvironment",
                        environment);
                }

                baseUri = EglServers.PortalProduction;
            }
            else
            {
                environment = Environment;
                baseUri = EglServers.Partner(environment);
            }

            var credential = new EglCredential(Credential.UserName, Credential.Password!, IsPortal ? null : AuthKey);
            var backend = IsPortal
                ? EngineLoader.Backends.Portal(baseUri, credential)
                : EngineLoader.Backends.Partner(baseUri, credential);
            var options = RequestOptions;
            try
            {
                Await(backend.LoginAsync(options, CancellationToken));
            }
            catch (EglException ex)
            {
                ThrowEgl(ex, baseUri);
            }

            var session = new EglSession(backend, environment, DateTimeOffset.Now);
            SessionStore.Current = session;
            WriteVerbose($"Connected to the {session.Api} API at {baseUri} as {credential.UserName}; subscription {session.SubscriptionNumber}.");
            if (PassThru) WriteObject(session);
        }
    }
}
