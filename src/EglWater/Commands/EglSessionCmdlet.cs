using System;
using System.Management.Automation;
using EglWater.Api;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>
    /// Base of the data cmdlets: an explicit -Session, or the runspace's default session, plus the
    /// request settings in Invoke-RestMethod's vocabulary.
    /// </summary>
    public abstract class EglSessionCmdlet : EglRequestCmdlet
    {
        /// <summary>The session to use; the one of the last Connect-Egl in this runspace when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public EglSession? Session { get; set; }

        /// <summary>The session in use, set by <see cref="BeginProcessing"/>.</summary>
        protected EglSession ActiveSession { get; private set; } = null!;

        /// <summary>
        /// Whether <see cref="BeginProcessing"/> requires a session. A cmdlet that can also work offline
        /// (Get-EglConsumption on piped readings) returns false and calls <see cref="RequireSession"/> when it
        /// knows it needs one.
        /// </summary>
        protected virtual bool RequiresSession => true;

        protected override void BeginProcessing()
        {
            if (RequiresSession) RequireSession();
        }

        /// <summary>Sets <see cref="ActiveSession"/>, or stops the call with EglNotConnected.</summary>
        protected void RequireSession()
        {
            if (ActiveSession is not null) return;
            var session = Session ?? SessionStore.Current;
            if (session is null)
            {
                ThrowEgl(new EglNotConnectedException("You are not connected to the EGL API. Run Connect-Egl first, or pass a session with -Session."));
                return;
            }

            if (!session.Backend.IsConnected)
            {
                ThrowEgl(new EglNotConnectedException($"The EGL session of {session.UserName} at {session.BaseUri} was closed by Disconnect-Egl. Run Connect-Egl again, or pass an open session with -Session."));
                return;
            }

            ActiveSession = session;
        }
    }
}
