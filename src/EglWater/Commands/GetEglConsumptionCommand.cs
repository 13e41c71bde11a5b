using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Engine;

namespace EglWater.Commands
{
    /// <summary>
    /// Water consumption per day, week, month or year: read from the session's API or from a history store
    /// (-HistoryPath: no request, no session), or computed from piped readings (Get-EglIndex, Import-Csv: no
    /// request, no session). The engine's ConsumptionPipeline computes.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EglConsumption", DefaultParameterSetName = RangeSet)]
    [OutputType(typeof(EglConsumption))]
    public sealed class GetEglConsumptionCommand : EglDataCmdlet
    {
        private const string RangeSet = "Range";
        private const string ReadingsSet = "Readings";
        private const string LostDaysNote = "; they are written with Quality Missing, never estimated";

        /// <summary>The PSTypeName added in front of aggregated rows (Week, Month, Year).</summary>
        public const string PeriodTypeName = "EglWater.EglConsumption#Period";

        private readonly PipedReadings _piped = new PipedReadings();

        /// <summary>The subscriptions to read; the session's main one by default. Not with piped readings.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        [Parameter(ParameterSetName = ReadingsSet)]
        [Parameter(ParameterSetName = HistorySet)]
        [Parameter(ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Day (default), Week (ISO 8601, Monday first), Month or Year.</summary>
        [Parameter]
        public EglGranularity Granularity { get; set; } = EglGranularity.Day;

        /// <summary>One row per gap of unpublished days (Days &gt; 1) instead of one estimated row per day.</summary>
        [Parameter]
        public SwitchParameter NoInterpolation { get; set; }

        /// <summary>A piped reading (Get-EglIndex, Import-Csv): its Date, Index, RawType and SubscriptionNumber are read.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ReadingsSet)]
        public PSObject InputObject { get; set; } = null!;

        /// <summary>The session is only needed to download readings, not to compute from piped ones.</summary>
        protected override bool RequiresSessionOnline => false;

        protected override void BeginProcessing()
        {
            MaskConnectionString();
            if (StartDate.HasValue && EndDate.HasValue) ResolveRange();
            base.BeginProcessing();
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ReadingsSet)
            {
                if (SubscriptionNumber is not null)
                {
                    ThrowArgument(
                        "-SubscriptionNumber selects what to download; piped readings carry their own SubscriptionNumber. Filter them with Where-Object instead, e.g. Where-Object SubscriptionNumber -eq 1895683.",
                        "EglSubscriptionWithReadings",
                        SubscriptionNumber);
                }

                if (_piped.Add(InputObject, CultureInfo.CurrentCulture) is { } problem) WriteError(problem);
                return;
            }

            if (!ReadsStore) RequireSession();
            var (from, to) = ResolveRange();
            foreach (var (subscription, source) in ResolveSources(SubscriptionNumber))
                ReadConsumption(source, subscription, from, to, Granularity, !NoInterpolation.IsPresent, LostDaysNote, Write);
        }

        protected override void EndProcessing()
        {
            foreach (var (subscription, records) in _piped.BySubscription())
            {
                DateTime first = records.Min(r => r.Date), last = records.Max(r => r.Date);
                DateTime from = StartDate?.Date ?? first.AddDays(1), to = EndDate?.Date ?? last;
                if (from > to)
                {
                    WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the piped readings ({1:yyyy-MM-dd}..{2:yyyy-MM-dd}) give no day between {3:yyyy-MM-dd} and {4:yyyy-MM-dd}.", subscription, first, last, from, to));
                    continue;
                }

                var pipeline = new ConsumptionPipeline(subscription, from, to, Granularity, !NoInterpolation.IsPresent, TodayInParis);
                Write(pipeline.Add(records));
                Finish(pipeline, from, to, Write);
            }

            WarnDoubtfulReadings();
        }

        private void Write(IReadOnlyList<EglConsumption> rows)
        {
            foreach (var row in rows)
            {
                if (row.Granularity == EglGranularity.Day)
                {
                    WriteObject(row);
                    continue;
                }

                var pso = PSObject.AsPSObject(row);
                pso.TypeNames.Insert(0, PeriodTypeName);
                WriteObject(pso);
            }
        }
    }
}
