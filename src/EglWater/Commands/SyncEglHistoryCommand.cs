using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using EglWater.Api;
using EglWater.Engine;
using EglWater.Sources;
using EglWater.Store;

namespace EglWater.Commands
{
    /// <summary>
    /// Keeps a session's subscriptions' history in a local store: the first sync reads back as far as the API
    /// serves, later ones only the recent days (and what was pending). HistorySync reads and writes; this binds
    /// the parameters, reports each request and writes one EglSyncResult per subscription.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "EglHistory", SupportsShouldProcess = true)]
    [OutputType(typeof(EglSyncResult))]
    public sealed class SyncEglHistoryCommand : EglSessionCmdlet
    {
        private const string Activity = "Syncing EGL history";
        private DateTimeOffset _startedAt;

        /// <summary>The store (a SQLite file, created when missing). Default: $env:EGLWATER_HISTORY, else EglWater/history.db in the local application data folder.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("HistoryPath")]
        public string? Path { get; set; }

        /// <summary>The subscriptions to sync; every subscription of the session by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Read from this day to today, instead of as far back as the API serves (first sync) or the recent days (later syncs).</summary>
        [Parameter]
        public DateTime? StartDate { get; set; }

        protected override void ProcessRecord()
        {
            _startedAt = EglDataCmdlet.UtcNow();
            DateTime today = EglParisTime.TodayAt(_startedAt);
            if (StartDate is { } start && start.Date > today)
                ThrowArgument(string.Format(CultureInfo.InvariantCulture, "-StartDate {0:yyyy-MM-dd} is after today ({1:yyyy-MM-dd} in Paris): there is nothing to sync yet. Give an earlier day.", start, today), "EglInvalidDateRange", StartDate);

            IReadOnlyList<long> subscriptions = SubscriptionNumber is null ? ActiveSession.Backend.Subscriptions : ResolveSubscriptions(SubscriptionNumber);
            string path = Path ?? HistoryLocation.Default();
            IHistoryStore? store = null;
            for (int i = 0; i < subscriptions.Count; i++)
            {
                long subscription = subscriptions[i];
                if (!ShouldProcess(path, string.Format(CultureInfo.InvariantCulture, "Sync the history of subscription {0}", subscription))) continue;
                store ??= OpenHistory(path, write: true);
                Sync(store, subscription, today, i, subscriptions.Count);
            }
        }

        private void Sync(IHistoryStore store, long subscription, DateTime today, int index, int count)
        {
            HistorySync sync;
            try
            {
                sync = new HistorySync(ActiveSession.Backend, ActiveSession.Api, store, subscription, today, StartDate, RequestOptions, _startedAt, CancellationToken);
            }
            catch (EglHistoryApiMismatchException ex)
            {
                WriteEgl(ex, subscription);
                return;
            }

            int added = 0, changed = 0, failed = 0;
            bool completed = false;
            using (sync)
            {
                try
                {
                    while (Next(sync) is { } step)
                    {
                        string days = DateRange.Format(step.From, step.To);
                        WriteProgress(new ProgressRecord(EglDataCmdlet.ProgressActivityId, Activity, string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1}{2}", subscription, days, step.Phase == HistorySyncPhase.Backward ? " (going back)" : string.Empty))
                        {
                            PercentComplete = 100 * index / count,
                        });
                        if (step.Error is EglException ex)
                        {
                            failed++;
                            if (BreaksSession(ex)) ThrowEgl(ex, subscription);
                            WriteError(EglAdvice.RecordFor(ex, subscription, string.Format(CultureInfo.InvariantCulture, "{0} The days {1} of subscription {2} were not synced{3}.", ex.Message, days, subscription, step.Phase == HistorySyncPhase.Forward ? ", nor the days after them; the next sync reads them again" : "; the next sync goes on back from there")));
                            continue;
                        }

                        added += step.Written.Added;
                        changed += step.Written.Changed;
                        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1}: {2} record(s), {3} day(s) added, {4} changed{5}.", subscription, days, step.Records, step.Written.Added, step.Written.Changed, step.ReachedStart ? "; the API serves nothing older" : string.Empty));
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

            var state = store.State(subscription);
            WriteObject(new EglSyncResult(subscription, ActiveSession.Api, store.Location, state?.FirstDay, state?.LastDay, added, changed, sync.Requests, state?.HistoryComplete ?? false, failed));
        }

        private HistorySyncStep? Next(HistorySync sync)
        {
            try
            {
                return Await(sync.NextAsync());
            }
            catch (EglException ex)
            {
                // The store failed (locked for longer than the busy time-out, a disk error): nothing more can be written.
                ThrowEgl(ex, Path);
                return null;
            }
        }
    }
}
