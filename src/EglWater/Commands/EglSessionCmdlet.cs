using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Api;
using EglWater.Loading;
using EglWater.Store;

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
            MaskConnectionString();
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

        /// <summary>
        /// The subscriptions to read: those given (each one checked against the session's list, before any
        /// request), or the session's main one.
        /// </summary>
        protected IReadOnlyList<long> ResolveSubscriptions(long[]? given)
        {
            if (given is null || given.Length == 0) return new[] { ActiveSession.SubscriptionNumber };
            var known = ActiveSession.Backend.Subscriptions;
            foreach (long n in given.Where(n => !known.Contains(n)))
            {
                ThrowArgument(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "The subscription {0} is not one of this login's ({1}). Give one of them to -SubscriptionNumber, or omit it for the main one; (Get-EglSession).Subscriptions lists them.",
                        n,
                        string.Join(", ", known.Select(k => k.ToString(CultureInfo.InvariantCulture)))),
                    "EglUnknownSubscription",
                    n);
            }

            return given.Distinct().ToArray();
        }

        /// <summary>Failures after which no request of this session can succeed: the command stops at once.</summary>
        internal static bool BreaksSession(EglException ex) =>
            ex is EglNotConnectedException || ex is EglAuthenticationException || ex is EglBlockedException || ex is EglSessionLimitException;

        /// <summary>
        /// Opens a history store: the SQLite file at <paramref name="path"/> (relative to PowerShell's current location)
        /// or the PostgreSQL database of <paramref name="connectionString"/>. A sync creates or upgrades it; a read needs
        /// it as this module writes it. A store that cannot be used stops the command. It is closed when the command ends.
        /// </summary>
        internal IHistoryStore OpenHistory(string? path, string? connectionString, PSCredential? databaseCredential, bool write)
        {
            if (_history is not null) return _history;
            try
            {
                _history = connectionString is not null
                    ? EngineLoader.Backends.OpenPostgres(connectionString, databaseCredential?.UserName, databaseCredential?.Password, write)
                    : EngineLoader.Backends.OpenSqlite(HistoryLocation.Resolve(this, path ?? HistoryLocation.Default()), write);
            }
            catch (EglException ex)
            {
                ThrowEgl(ex, connectionString is not null ? (object)EngineLoader.Backends.DescribePostgres(connectionString) : path);
            }

            return _history!;
        }

        /// <summary>
        /// Replaces a -ConnectionString's value in this call's bound parameters by its form without secrets: every
        /// record the cmdlet writes (verbose, warning, error) carries the call's InvocationInfo, whose bound
        /// parameters ConvertTo-Json or Format-List * would otherwise show with the password the user typed.
        /// </summary>
        internal void MaskConnectionString()
        {
            if (MyInvocation.BoundParameters.TryGetValue("ConnectionString", out var value) && value is string text)
                MyInvocation.BoundParameters["ConnectionString"] = EngineLoader.Backends.DescribePostgres(text);
        }

        /// <summary>Where the store opened by <see cref="OpenHistory"/> is, as it may be shown (a PostgreSQL password never is).</summary>
        internal string StoreLocation => _history?.Location ?? string.Empty;

        private IHistoryStore? _history;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _history?.Dispose();
                _history = null;
            }

            base.Dispose(disposing);
        }
    }
}
