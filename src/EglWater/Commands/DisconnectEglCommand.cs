using System.Management.Automation;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>Forgets a session: its token, and the runspace's default if it is the one.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Egl")]
    [OutputType(typeof(void))]
    public sealed class DisconnectEglCommand : PSCmdlet
    {
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

            session.Backend.Close();
            if (ReferenceEquals(session, current)) SessionStore.Current = null;
            WriteVerbose($"Disconnected {session.UserName} from {session.BaseUri}.");
        }
    }
}
