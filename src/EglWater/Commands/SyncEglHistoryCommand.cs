using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Api;
using EglWater.Engine;
using EglWater.Sources;

namespace EglWater.Commands
{
    /// <summary>
    /// Keeps a session's subscriptions' history in a store (a SQLite file, or a PostgreSQL database for fleets): the
    /// first sync reads back as far as the API serves, later ones only the recent days (and what was pending).
    /// FleetSync runs the subscriptions' syncs, -ThrottleLimit at a time; this binds the parameters, reports each
    /// request and each subscription, and writes one EglSyncResult per subscription.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "EglHistory", DefaultParameterSetName = FileSet, SupportsShouldProcess = true)]
    [OutputType(typeof(EglSyncResult))]
    public sealed class SyncEglHistoryCommand : EglSessionCmdlet
    {
        private const string FileSet = "File";
        private const string DatabaseSet = "Database";
        private const string Activity = "Syncing EGL history";
        private DateTimeOffset _startedAt;

        /// <summary>The store (a SQLite file, created when missing). Default: $env:EGLWATER_HISTORY, else EglWater/history.db in the local application data folder.</summary>
        [Parameter(Position = 0, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        [Alias("HistoryPath")]
        public string? Path { get; set; }

        /// <summary>A PostgreSQL database (Npgsql connection string) instead of a file; its schema is created by the first sync.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        public string? ConnectionString { get; set; }

        /// <summary>The database login for -ConnectionString.</summary>
        [Parameter(ParameterSetName = DatabaseSet)]
        [Credential]
        public PSCredential? DatabaseCredential { get; set; }

        /// <summary>The subscriptions to sync; every subscription of the session by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Read from this day to today, instead of as far back as the API serves (first sync) or the recent days (later syncs).</summary>
        [Parameter]
        public DateTime? StartDate { get; set; }

        /// <summary>How many subscriptions are synced at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void ProcessRecord()
        {
            _startedAt = EglDataCmdlet.UtcNow();
            DateTime today = EglParisTime.TodayAt(_startedAt);
            if (StartDate is { } start && start.Date > today)
                ThrowArgument(string.Format(CultureInfo.InvariantCulture, "-StartDate {0:yyyy-MM-dd} is after today ({1:yyyy-MM-dd} in Paris): there is nothing to sync yet. Give an earlier day.", start, today), "EglInvalidDateRange", StartDate);

            IReadOnlyList<long> subscriptions = SubscriptionNumber is null ? ActiveSession.Backend.Subscriptions : ResolveSubscriptions(SubscriptionNumber);
            string target = ConnectionString is not null ? Loading.EngineLoader.Backends.DescribePostgres(ConnectionString) : Path ?? HistoryLocation.Default();
            var chosen = subscriptions.Where(s => ShouldProcess(target, string.Format(CultureInfo.InvariantCulture, "Sync the history of subscription {0}", s))).ToList();
            if (chosen.Count == 0) return;
            var store = OpenHistory(Path, ConnectionString, DatabaseCredential, write: true);
            Run(new FleetSync(ActiveSession.Backend, ActiveSession.Api, store, chosen, today, StartDate, RequestOptions, _startedAt, ThrottleLimit, CancellationToken), store.Location);
        }

        private void Run(FleetSync fleet, string location)
        {
            var counts = new Dictionary<long, (int Added, int Changed, int Failed)>();
            bool completed = false;
            using (fleet)
            {
                try
                {
                    while (Await(fleet.NextAsync()) is { } e)
                    {
                        counts.TryGetValue(e.SubscriptionNumber, out var c);
                        switch (e.Kind)
                        {
                            case FleetSyncEventKind.Step:
                                counts[e.SubscriptionNumber] = Step(e, c);
                                break;
                            case FleetSyncEventKind.Skipped:
                                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: another worker is syncing it into this store; skipped (it will be up to date when that worker ends).", e.SubscriptionNumber));
                                break;
                            case FleetSyncEventKind.Failed:
                                Failed(e);
                                break;
                            default:
                                var s = e.State;
                                WriteObject(new EglSyncResult(e.SubscriptionNumber, ActiveSession.Api, location, s?.FirstDay, s?.LastDay, c.Added, c.Changed, e.Requests, s?.HistoryComplete ?? false, c.Failed));
                                break;
                        }

                        Progress(e);
                    }

                    completed = true;
                }
                finally
                {
                    try
                    {
                        WriteProgress(new ProgressRecord(EglDataCmdlet.ProgressActivityId, Activity, completed ? "Done" : "Stopped") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
                    }
                    catch (PipelineStoppedException)
                    {
                        // Ctrl+C: nothing more may be written.
                    }
                }
            }
        }

        private (int Added, int Changed, int Failed) Step(FleetSyncEvent e, (int Added, int Changed, int Failed) c)
        {
            var step = e.Step!;
            string days = DateRange.Format(step.From, step.To);
            if (step.Error is EglException ex)
            {
                if (BreaksSession(ex)) ThrowEgl(ex, e.SubscriptionNumber);
                WriteError(EglAdvice.RecordFor(ex, e.SubscriptionNumber, string.Format(CultureInfo.InvariantCulture, "{0} The days {1} of subscription {2} were not synced{3}.", ex.Message, days, e.SubscriptionNumber, step.Phase == HistorySyncPhase.Forward ? ", nor the days after them; the next sync reads them again" : "; the next sync goes on back from there")));
                return (c.Added, c.Changed, c.Failed + 1);
            }

            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1}: {2} record(s), {3} day(s) added, {4} changed{5}.", e.SubscriptionNumber, days, step.Records, step.Written.Added, step.Written.Changed, step.ReachedStart ? "; the API serves nothing older" : string.Empty));
            return (c.Added + step.Written.Added, c.Changed + step.Written.Changed, c.Failed);
        }

        private void Failed(FleetSyncEvent e)
        {
            switch (e.Error)
            {
                case OperationCanceledException when CancellationToken.IsCancellationRequested:
                    // Ctrl+C: PowerShell stops the pipeline; nothing to say per subscription.
                    return;
                case EglHistoryApiMismatchException mismatch:
                    WriteEgl(mismatch, e.SubscriptionNumber);
                    return;
                case EglException ex when BreaksSession(ex):
                    ThrowEgl(ex, e.SubscriptionNumber);
                    return;
                case EglHistoryUnavailableException gone:
                    // The database is gone for every subscription: stop now rather than wait out a connection
                    // time-out for each of the others.
                    ThrowEgl(gone, e.SubscriptionNumber);
                    return;
                case EglException ex:
                    // The store failed for this subscription (locked too long, a value it cannot read): the others go on.
                    WriteError(EglAdvice.RecordFor(ex, e.SubscriptionNumber, string.Format(CultureInfo.InvariantCulture, "{0} Subscription {1} stopped there; the next sync goes on from what was written.", ex.Message, e.SubscriptionNumber)));
                    return;
                default:
                    // A failure the module does not know (a defect): this subscription only, and said as such.
                    WriteError(new ErrorRecord(e.Error, "EglSyncFailed", ErrorCategory.NotSpecified, e.SubscriptionNumber)
                    {
                        ErrorDetails = new ErrorDetails(string.Format(CultureInfo.InvariantCulture, "Subscription {0} stopped on an unexpected error ({1}); the next sync goes on from what was written.", e.SubscriptionNumber, e.Error!.GetType().Name))
                        {
                            RecommendedAction = "Run the sync again; if it fails the same way, report it with this error's ScriptStackTrace and Exception.",
                        },
                    });
                    return;
            }
        }

        private void Progress(FleetSyncEvent e)
        {
            string status = e.Kind == FleetSyncEventKind.Step
                ? string.Format(CultureInfo.InvariantCulture, "{0} of {1} subscriptions done; {2}: {3}{4}", e.Done, e.Total, e.SubscriptionNumber, DateRange.Format(e.Step!.From, e.Step.To), e.Step.Phase == HistorySyncPhase.Backward ? " (going back)" : string.Empty)
                : string.Format(CultureInfo.InvariantCulture, "{0} of {1} subscriptions done", e.Done, e.Total);
            WriteProgress(new ProgressRecord(EglDataCmdlet.ProgressActivityId, Activity, status) { PercentComplete = e.Total == 0 ? 100 : 100 * e.Done / e.Total });
        }
    }
}
