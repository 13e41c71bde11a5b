using System;
using System.Management.Automation;
using System.Security;
using EglWater.Api;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>Logs in to the EGL API and keeps the session for this runspace.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Egl", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(EglSession))]
    public sealed class ConnectEglCommand : EglCmdlet
    {
        private const string EnvironmentSet = "Environment";
        private const string BaseUriSet = "BaseUri";

        [Parameter(Mandatory = true, Position = 0)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString AuthKey { get; set; } = null!;

        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateSet(nameof(EglEnvironment.Production), nameof(EglEnvironment.Recette))]
        public EglEnvironment Environment { get; set; } = EglEnvironment.Production;

        [Parameter(Mandatory = true, ParameterSetName = BaseUriSet)]
        [ValidateNotNull]
        public Uri BaseUri { get; set; } = null!;

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 3;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = (int)EglRequestOptions.DefaultTimeout.TotalSeconds;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            Uri baseUri;
            EglEnvironment environment;
            if (ParameterSetName == BaseUriSet)
            {
                if (!BaseUri.IsAbsoluteUri)
                    ThrowArgument($"The base URI '{BaseUri}' is not absolute. Give a full URI such as https://agence.eaudugrandlyon.com/ws.", "EglInvalidBaseUri", BaseUri);
                try
                {
                    baseUri = EglEndpoints.Normalize(BaseUri);
                }
                catch (ArgumentException ex)
                {
                    ThrowArgument(ex.Message, "EglInvalidBaseUri", BaseUri);
                    return;
                }

                if (baseUri.Scheme == Uri.UriSchemeHttp && !baseUri.IsLoopback && !AllowUnencryptedAuthentication)
                {
                    ThrowArgument(
                        $"The base URI '{baseUri}' uses http, which would send the password and the AuthKey unencrypted. Use https, or add -AllowUnencryptedAuthentication if you accept the risk.",
                        "EglUnencryptedAuthentication",
                        BaseUri);
                }

                environment = EglEnvironment.Custom;
            }
            else
            {
                environment = Environment;
                baseUri = EglEndpoints.For(environment);
            }

            var credential = new EglCredential(Credential.UserName, Credential.Password, AuthKey);
            var api = new EglApiSession(EglApiClient.Default, baseUri, credential);
            var options = new EglRequestOptions { MaximumRetryCount = MaximumRetryCount, Timeout = TimeSpan.FromSeconds(TimeoutSec), Log = Log };
            try
            {
                Await(api.LoginAsync(options, CancellationToken));
            }
            catch (EglException ex)
            {
                ThrowEgl(ex, baseUri);
            }

            var session = new EglSession(api, environment, DateTimeOffset.Now);
            SessionStore.Current = session;
            WriteVerbose($"Connected to {baseUri} as {credential.UserName}; subscription {session.SubscriptionNumber}.");
            if (PassThru) WriteObject(session);
        }
    }
}
