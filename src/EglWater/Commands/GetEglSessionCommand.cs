using System.Management.Automation;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>The runspace's current session, if any (never shows a secret).</summary>
    [Cmdlet(VerbsCommon.Get, "EglSession")]
    [OutputType(typeof(EglSession))]
    public sealed class GetEglSessionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionStore.Current is { } session) WriteObject(session);
        }
    }
}
