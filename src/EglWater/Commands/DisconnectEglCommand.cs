using System;
using System.Management.Automation;
using EglWater.Api;

namespace EglWater.Commands
{
    /// <summary>
    /// Closes a session for good (no request or login afterwards, even from a read running in another runspace),
    /// revokes the portal's token (best effort: a failure is one verbose line), and forgets the runspace's default
    /// session if it is the one.
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Egl")]
    [OutputType(typeof(void))]
    public sealed class DisconnectEglCommand : EglCmdlet
    {
        /// <summary>The revocation is a courtesy to the server: one attempt, a short wait.</summary>
        private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(10);

        [Parameter(ValueFromPipeline = true)]
        public EglSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var current = SessionStore.Current;
            var session = Session ?? current;
            if (session is null)
            {
                WriteVerbose("No EGL session to disconnect.");
                return;
            }

            if (ReferenceEquals(session, current)) SessionStore.Current = null;
            Await(session.Backend.CloseAsync(new EglRequestOptions { MaximumRetryCount = 0, Timeout = RevokeTimeout, Log = Log }, CancellationToken));
            WriteVerbose($"Disconnected {session.UserName} from {session.BaseUri}.");
        }
    }
}
