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
    /// Base of the cmdlets that read a date range: -StartDate / -EndDate (calendar days, end inclusive, the
    /// last 30 days by default), the source (the session's API, or a history store with -HistoryPath) and the
    /// subscriptions to read, and the read loop (a source's batches in date order, with progress, and errors
    /// that name the days they lost).
    /// </summary>
    public abstract class EglDataCmdlet : EglSessionCmdlet
    {
        /// <summary>The one progress activity of a multi-request read.</summary>
        internal const int ProgressActivityId = 0x4E57;

        /// <summary>
        /// The clock of the data cmdlets (the default range, the last day any API can have published). A seam for
        /// tests that pin "now" around Paris midnight; nothing else sets it.
        /// </summary>
        internal static Func<DateTimeOffset> UtcNow = () => DateTimeOffset.UtcNow;

        /// <summary>The first calendar day (only the date part counts). Default: 29 days before -EndDate.</summary>
        [Parameter(Position = 0)]
        public DateTime? StartDate { get; set; }

        /// <summary>The last calendar day, inclusive (only the date part counts). Default: today in Paris.</summary>
        [Parameter(Position = 1)]
        public DateTime? EndDate { get; set; }

        /// <summary>A history store written by Sync-EglHistory, read instead of the API: no session, no request.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HistorySet)]
        [ValidateNotNullOrEmpty]
        public string? HistoryPath { get; set; }

        /// <summary>A PostgreSQL history store (Npgsql connection string; a password in it is accepted and never shown), read instead of the API.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        public string? ConnectionString { get; set; }

        /// <summary>The database login for -ConnectionString (its user name and password replace the connection string's).</summary>
        [Parameter(ParameterSetName = DatabaseSet)]
        [Credential]
        public PSCredential? DatabaseCredential { get; set; }

        /// <summary>The parameter set of -HistoryPath.</summary>
        internal const string HistorySet = "History";

        /// <summary>The parameter set of -ConnectionString.</summary>
        internal const string DatabaseSet = "Database";

        /// <summary>Whether the command reads a history store (a SQLite file or a PostgreSQL database) instead of the API.</summary>
        internal bool ReadsStore => HistoryPath is not null || ConnectionString is not null;

        /// <summary>Reading a store needs no session; else the cmdlet's own rule.</summary>
        protected override bool RequiresSession => !ReadsStore && RequiresSessionOnline;

        /// <summary>Whether the cmdlet needs a session when it reads the API (false: it may compute from piped readings).</summary>
        protected virtual bool RequiresSessionOnline => true;

        /// <summary>Today in Paris: the default end, and the last day any API can have published.</summary>
        protected static DateTime TodayInParis => EglParisTime.TodayAt(UtcNow());

        /// <summary>The first day when -StartDate is not given: 29 days before the end (a 30-day range); cmdlets may choose another.</summary>
        protected virtual DateTime? DefaultStart(DateTime end) => null;

        /// <summary>The first day of a default range of <paramref name="days"/> days ending on <paramref name="end"/> (never before year 1).</summary>
        protected static DateTime DaysBefore(DateTime end, int days) =>
            end.Ticks >= TimeSpan.TicksPerDay * (days - 1) ? end.AddDays(-(days - 1)) : DateTime.MinValue;

        /// <summary>The inclusive range in calendar days, checked (start not after end).</summary>
        protected (DateTime From, DateTime To) ResolveRange()
        {
            DateTime end = (EndDate ?? TodayInParis).Date;
            if (!DateRange.TryResolve(StartDate ?? DefaultStart(end), end, TodayInParis, out var from, out var to, out var problem))
                ThrowArgument(problem + ". Give a start on or before the end.", "EglInvalidDateRange", StartDate);
            return (from, to);
        }

        /// <summary>
        /// The subscriptions to read and where to read each one: the history store's (-HistoryPath: those given,
        /// each checked against the store, or every one it holds), or the session's (those given, each checked
        /// against the session, or its main one), all checked before any request.
        /// </summary>
        internal IReadOnlyList<(long Subscription, IEglDayApi Source)> ResolveSources(long[]? given)
        {
            if (!ReadsStore) return ResolveSubscriptions(given).Select(n => (n, (IEglDayApi)ActiveSession.Backend)).ToList();
            if (Session is not null)
                ThrowArgument($"-Session and {(HistoryPath is null ? "-ConnectionString" : "-HistoryPath")}: a history store is read without a session. Give one of them.", "EglHistoryWithSession", Session);
            var store = OpenHistory(HistoryPath, ConnectionString, DatabaseCredential, write: false);
            IReadOnlyDictionary<long, EglApiKind> apis;
            try
            {
                apis = store.Apis();
            }
            catch (EglException ex)
            {
                // A store that cannot be read (a value it does not know, the server gone): the command's own error.
                ThrowEgl(ex, store.Location);
                throw;
            }

            var known = apis.Keys.OrderBy(k => k).ToList();
            if (known.Count == 0) WriteWarning($"The history store '{store.Location}' holds no subscription yet: run Sync-EglHistory first.");
            var chosen = given is null || given.Length == 0 ? known : given.Distinct().ToList();
            foreach (long n in chosen.Where(n => !known.Contains(n)))
            {
                ThrowArgument(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "The history store '{0}' holds no subscription {1} (it holds {2}). Run Sync-EglHistory -SubscriptionNumber {1} to add it, or give one of those.",
                        store.Location,
                        n,
                        known.Count == 0 ? "none" : string.Join(", ", known.Select(k => k.ToString(CultureInfo.InvariantCulture)))),
                    "EglUnknownSubscription",
                    n);
            }

            return chosen.Select(n => (n, (IEglDayApi)new HistoryDayApi(store, apis[n]))).ToList();
        }

        /// <summary>
        /// Reads one subscription's days over [from, to] from the session's API, batch by batch in date order, on
        /// the pipeline thread: one progress activity when there are several requests; a request that failed is a
        /// non-terminating error naming the days it lost (<paramref name="lostDaysNote"/> says what becomes of
        /// them), then handed on as a batch without records; a failure that breaks the session stops the command.
        /// </summary>
        internal void ReadDays(IEglDayApi source, long subscription, DateTime from, DateTime to, bool forConsumption, string lostDaysNote, Action<DayBatch> onBatch)
        {
            const string activity = "Reading EGL meter data";
            using var reader = new ApiDayReader(source, subscription, from, to, TodayInParis, forConsumption, RequestOptions, CancellationToken);
            bool progress = reader.ChunkCount > 1, completed = false;
            try
            {
                while (Await(reader.NextAsync()) is { } batch)
                {
                    if (progress && batch.Role == DayBatchRole.Chunk)
                    {
                        string status = string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1:yyyy-MM-dd} to {2:yyyy-MM-dd} (part {3} of {4})", subscription, batch.From, batch.To, batch.Number, batch.Count);
                        WriteProgress(new ProgressRecord(ProgressActivityId, activity, status) { PercentComplete = 100 * (batch.Number - 1) / batch.Count });
                    }

                    Report(subscription, batch, lostDaysNote);
                    onBatch(batch);
                }

                completed = true;
            }
            finally
            {
                if (progress) Complete(activity, completed);
            }
        }

        /// <summary>
        /// Reads one subscription's consumption over [from, to] from a source through the engine's pipeline, handing
        /// the rows to <paramref name="onRows"/> as they are computed (in date order), then says in verbose what the
        /// source left out, and keeps the doubtful readings for <see cref="WarnDoubtfulReadings"/>.
        /// </summary>
        internal void ReadConsumption(IEglDayApi source, long subscription, DateTime from, DateTime to, EglGranularity granularity, bool interpolate, string lostDaysNote, Action<IReadOnlyList<EglConsumption>> onRows)
        {
            var pipeline = new ConsumptionPipeline(subscription, from, to, granularity, interpolate, TodayInParis);
            ReadDays(source, subscription, from, to, forConsumption: true, lostDaysNote, batch =>
                onRows(batch.Records is null ? pipeline.AddHole(batch.From, batch.To) : pipeline.Add(batch.Records)));
            Finish(pipeline, from, to, onRows);
        }

        /// <summary>Ends a pipeline: its last rows, its notes in verbose, its doubtful readings kept for the warning.</summary>
        internal void Finish(ConsumptionPipeline pipeline, DateTime from, DateTime to, Action<IReadOnlyList<EglConsumption>> onRows)
        {
            onRows(pipeline.Complete());
            var diagnostics = pipeline.Diagnostics;
            if (diagnostics.IssueText is { } issues) _issues.Add(issues);
            foreach (var note in diagnostics.Notes(from, to)) WriteVerbose(note);
        }

        /// <summary>One warning for every doubtful reading met (a decrease without a meter change, two final readings of a day).</summary>
        protected void WarnDoubtfulReadings()
        {
            if (_issues.Count == 0) return;
            WriteWarning("Some days have no consumption because the readings are doubtful: " + string.Join("; ", _issues)
                + ". Their Liters are empty and their Quality says why (Invalid: the index went down without a meter change; Anomaly: two different final readings of one day).");
            _issues.Clear();
        }

        private readonly List<string> _issues = new List<string>();

        /// <summary>The meter diameter (mm) when neither -MeterDiameter nor the contract gives one.</summary>
        public const int DefaultMeterDiameter = 15;

        /// <summary>The meter's diameter: the one given, else the contract's (a portal session knows it), else 15 mm.</summary>
        internal int MeterDiameterOf(long subscription, int? given, bool piped, out string origin)
        {
            if (given is { } d)
            {
                origin = "-MeterDiameter";
                return d;
            }

            if (!ReadsStore && !piped && ActiveSession?.Backend.SubscriptionDetails.FirstOrDefault(s => s.SubscriptionNumber == subscription)?.MeterDiameter is { } known)
            {
                origin = "the contract's";
                return known;
            }

            origin = "the default; give -MeterDiameter if the meter is larger";
            return DefaultMeterDiameter;
        }

        /// <summary>The tariff of -Tariff (a file, relative to the current location), else the shipped grid; stops the command on a bad one.</summary>
        internal Engine.Cost.Tariff ResolveTariff(string? path)
        {
            if (path is null) return Loading.EngineLoader.Backends.DefaultTariff();
            string file = path;
            try
            {
                file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException)
            {
                ThrowArgument($"-Tariff '{path}' is not a file path ({ex.Message}). Give the path of a tariff file.", "EglTariffNotFound", path);
            }

            return Loading.EngineLoader.Backends.ReadTariff(file);
        }

        private void Report(long subscription, DayBatch batch, string lostDaysNote)
        {
            if (batch.Role != DayBatchRole.Chunk && batch.Records is not null)
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: read the reading of {1:yyyy-MM-dd}, which bounds the gap at the {2} of the range.", subscription, batch.From, batch.Role == DayBatchRole.EarlierBound ? "start" : "end"));
            if (batch.DroppedOutside > 0)
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the answer for {1} held {2} row(s) outside the days asked; they were left out (the request that covers their days reads them).", subscription, DateRange.Format(batch.From, batch.To), batch.DroppedOutside));
            if (batch.Error is not EglException ex) return;
            if (BreaksSession(ex)) ThrowEgl(ex, subscription);
            WriteError(EglAdvice.RecordFor(ex, subscription, string.Format(CultureInfo.InvariantCulture, "{0} The days {1} of subscription {2} were not read{3}.", ex.Message, DateRange.Format(batch.From, batch.To), subscription, lostDaysNote)));
        }

        private void Complete(string activity, bool completed)
        {
            try
            {
                // A fresh record per write: hosts and tests may keep the ones already written.
                WriteProgress(new ProgressRecord(ProgressActivityId, activity, completed ? "Done" : "Stopped") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C: nothing more may be written.
            }
        }

    }
}
