using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Engine.Leaks;

namespace EglWater.Commands
{
    /// <summary>
    /// "Am I leaking?": leak signs in the daily consumption read from the API, a history store or the pipeline.
    /// The engine's LeakDetector decides; this reads the days it needs (the range and, before it, twice the
    /// baseline) and writes the alerts.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "EglLeak", DefaultParameterSetName = RangeSet)]
    [OutputType(typeof(EglLeakAlert))]
    public sealed class FindEglLeakCommand : EglDataCmdlet
    {
        private const string RangeSet = "Range";
        private const string RowsSet = "Rows";

        /// <summary>The days of the default range: the last 90 days.</summary>
        public const int DefaultDays = 90;

        private readonly PipedDailyRows _piped = new PipedDailyRows();

        /// <summary>The subscriptions to check; the session's main one (every one of the store with -HistoryPath or -ConnectionString) by default.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        [Parameter(ParameterSetName = HistorySet)]
        [Parameter(ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Daily rows from Get-EglConsumption (each with its SubscriptionNumber).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RowsSet)]
        public EglConsumption InputObject { get; set; } = null!;

        /// <summary>A Spike is a day above this many times the baseline (and above baseline + MinimumExcessLiters).</summary>
        [Parameter]
        [ValidateRange(1.0, 1000.0)]
        public double SpikeFactor { get; set; } = 2.5;

        /// <summary>Litres above the baseline a day needs for a Spike; half of it for each day of a SustainedRise.</summary>
        [Parameter]
        [ValidateRange(0.0, 1_000_000.0)]
        public double MinimumExcessLiters { get; set; } = 150;

        /// <summary>Days before a day whose median is its baseline (its usual use).</summary>
        [Parameter]
        [ValidateRange(7, 366)]
        public int BaselineDays { get; set; } = 28;

        /// <summary>The portal's minimum flow (L/h) at or above which a day counts toward ContinuousFlow.</summary>
        [Parameter]
        [ValidateRange(0.01, 100_000.0)]
        public double MinimumFlowLitersPerHour { get; set; } = 2;

        /// <summary>Piped rows need no session.</summary>
        protected override bool RequiresSessionOnline => false;

        protected override DateTime? DefaultStart(DateTime end) => DaysBefore(end, DefaultDays);

        private LeakOptions Options => new LeakOptions
        {
            SpikeFactor = SpikeFactor,
            MinimumExcessLiters = MinimumExcessLiters,
            BaselineDays = BaselineDays,
            MinimumFlowLitersPerHour = MinimumFlowLitersPerHour,
        };

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RowsSet)
            {
                if (!_piped.Add(InputObject))
                    ThrowArgument($"Find-EglLeak needs daily rows, and got a {InputObject.Granularity} row ({InputObject}). Pipe Get-EglConsumption without -Granularity.", "EglNotDailyRows", InputObject);
                return;
            }

            if (!ReadsStore) RequireSession();
            var (from, to) = ResolveRange();
            var options = Options;
            DateTime readFrom = from.AddDays(-2 * options.BaselineDays);
            foreach (var (subscription, source) in ResolveSources(SubscriptionNumber))
            {
                var rows = new List<EglConsumption>();
                ReadConsumption(source, subscription, readFrom, to, EglGranularity.Day, interpolate: true, "; they are not checked", rows.AddRange);
                Write(subscription, LeakDetector.Detect(subscription, rows, from, to, options));
            }
        }

        protected override void EndProcessing()
        {
            foreach (var (subscription, rows, first, last) in _piped.BySubscription())
            {
                DateTime from = StartDate?.Date ?? first, to = EndDate?.Date ?? last;
                if (from > to)
                {
                    WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the piped rows ({1:yyyy-MM-dd}..{2:yyyy-MM-dd}) give no day between {3:yyyy-MM-dd} and {4:yyyy-MM-dd}.", subscription, first, last, from, to));
                    continue;
                }

                Write(subscription, LeakDetector.Detect(subscription, rows, from, to, Options));
            }

            WarnDoubtfulReadings();
        }

        private void Write(long subscription, LeakDetection detection)
        {
            var d = detection.Diagnostics;
            WriteVerbose(string.Format(
                CultureInfo.InvariantCulture,
                "Subscription {0}: checked {1} of {2} days ({3:yyyy-MM-dd}..{4:yyyy-MM-dd}) against the median of up to {5} measured days before each; {6} with the portal's minimum flow, {7} with its leak estimate; {8} alert(s).",
                subscription,
                d.DaysChecked,
                d.DaysExamined,
                d.From,
                d.To,
                BaselineDays,
                d.DaysWithMinimumFlow,
                d.DaysWithProviderEstimate,
                detection.Alerts.Count));
            foreach (var message in d.Messages) WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1}", subscription, message));
            foreach (var alert in detection.Alerts) WriteObject(alert);
        }
    }
}
