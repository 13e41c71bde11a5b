using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Engine;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>
    /// Water consumption per day, week, month or year, computed from the meter's index readings: read
    /// from the API (a session is needed), or piped in (Get-EglIndex, Import-Csv: no request, no session).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EglConsumption", DefaultParameterSetName = RangeSet)]
    [OutputType(typeof(EglConsumption))]
    public sealed class GetEglConsumptionCommand : EglDataCmdlet
    {
        private const string RangeSet = "Range";
        private const string ReadingsSet = "Readings";

        /// <summary>The PSTypeName added in front of aggregated rows (Week, Month, Year).</summary>
        public const string PeriodTypeName = "EglWater.EglConsumption#Period";

        private readonly Dictionary<long, List<EglIndexReading>> _piped = new Dictionary<long, List<EglIndexReading>>();
        private readonly List<string> _issues = new List<string>();
        private int _row;
        private bool _subscriptionOnCommandLine;

        /// <summary>Day (default), Week (ISO 8601, Monday first), Month or Year.</summary>
        [Parameter]
        public EglGranularity Granularity { get; set; } = EglGranularity.Day;

        /// <summary>One row per gap of unpublished days (Days &gt; 1) instead of one estimated row per day.</summary>
        [Parameter]
        public SwitchParameter NoInterpolation { get; set; }

        /// <summary>The day of a piped reading: a DateTime, or text (ISO 8601, the current culture's or the invariant format).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReadingsSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public object? Date { get; set; }

        /// <summary>The index of a piped reading, in litres: a number, or text in the invariant or the current culture.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReadingsSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public object? Index { get; set; }

        /// <summary>The API's TypeAgregat letter of a piped reading (R, A, D, T, ...).</summary>
        [Parameter(ParameterSetName = ReadingsSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? RawType { get; set; }

        /// <summary>The session is only needed to download readings, not to compute from piped ones.</summary>
        protected override bool RequiresSession => false;

        protected override void BeginProcessing()
        {
            // Only command-line parameters are bound here.
            _subscriptionOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(SubscriptionNumber));
            if (StartDate.HasValue && EndDate.HasValue && StartDate.Value.Date > EndDate.Value.Date) ResolveRange();
            base.BeginProcessing();
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ReadingsSet)
            {
                CollectReading();
                return;
            }

            RequireSession();
            var (from, to) = ResolveRange();
            foreach (long subscription in ResolveSubscriptions())
            {
                if (ActiveSession.PortalSession is { } portal)
                {
                    ComputeFromVolumes(portal, subscription, from, to);
                    continue;
                }

                ComputeFromReadings(subscription, from, to);
            }
        }

        private const string LostDaysNote = "; they are written with Quality Missing, never estimated";

        /// <summary>
        /// Daily rows from the partner API's index readings. The row of a day never depends on the range asked:
        /// the day before the range gives the first day its value, and when the range starts or ends inside a gap
        /// the readings that bound the gap are read too (one request back, one forward). A chunk whose request
        /// failed is a hole: its days are Missing, never interpolated.
        /// </summary>
        private void ComputeFromReadings(long subscription, DateTime from, DateTime to)
        {
            var builder = new DailyConsumptionBuilder(from, to, !NoInterpolation.IsPresent);
            builder.SetSubscription(subscription);
            var aggregator = Granularity == EglGranularity.Day ? null : new ConsumptionAggregator(Granularity, from, to);
            DateTime today = TodayInParis;
            if (DateRange.FetchWindow(from, to, today, dayBefore: true) is { } window)
            {
                bool first = true;
                foreach (var chunk in FetchReadings(subscription, window.From, window.To, LostDaysNote))
                {
                    if (chunk.Items is null)
                    {
                        Write(builder.AddHole(chunk.From, chunk.To), aggregator);
                    }
                    else
                    {
                        // The range starts inside a gap (or before the history): read back to the reading that bounds it.
                        if (first && (chunk.Items.Count == 0 || chunk.Items[0].Date > window.From) && window.From > DateRange.EarliestServedDay)
                            ReadBound(subscription, window.From.AddDays(-BoundDays), window.From.AddDays(-1), latest: true, builder, aggregator);
                        Write(builder.Add(chunk.Items), aggregator);
                    }

                    first = false;
                }

                // The range ends inside a gap: read forward to the reading that ends it (if any is published yet).
                bool holeAtEnd = builder.Holes.Count > 0 && builder.Holes[builder.Holes.Count - 1].To >= window.To;
                if (!holeAtEnd && (builder.LastReadingDay is not { } last || last < to) && to < today)
                    ReadBound(subscription, to.AddDays(1), to.AddDays(BoundDays) < today ? to.AddDays(BoundDays) : today, latest: false, builder, aggregator);
            }

            Finish(subscription, builder, aggregator, from, to);
        }

        /// <summary>How far one request looks for the reading that bounds a gap at either end of the range.</summary>
        private const int BoundDays = 365;

        /// <summary>
        /// One request for the reading that bounds a gap outside the range: the readings of the latest day of
        /// [from, to] (before the range) or of the earliest (after it). A failure is a hole: the days that need
        /// that reading are Missing.
        /// </summary>
        private void ReadBound(long subscription, DateTime from, DateTime to, bool latest, DailyConsumptionBuilder builder, ConsumptionAggregator? aggregator)
        {
            if (from < DateRange.EarliestServedDay) from = DateRange.EarliestServedDay;
            if (from > to) return;
            var api = ActiveSession.PartnerSession!;
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: reading {1} for the reading that bounds the gap at the {2} of the range.", subscription, DateRange.Format(from, to), latest ? "start" : "end"));
            var items = AwaitChunk(api.GetReadingsAsync(subscription, from, to, RequestOptions, CancellationToken), subscription, from, to, r => r.Date, LostDaysNote);
            if (items is null)
            {
                Write(builder.AddHole(from, to), aggregator);
                return;
            }

            if (items.Count == 0) return;
            DateTime day = latest ? items[items.Count - 1].Date : items[0].Date;
            Write(builder.Add(items.Where(r => r.Date == day).ToList()), aggregator);
        }

        /// <summary>Ends one subscription's computation: the last rows, the issues found and where the data stops.</summary>
        private void Finish(long subscription, DailyConsumptionBuilder daily, ConsumptionAggregator? aggregator, DateTime from, DateTime to)
        {
            Write(daily.Complete(), aggregator);
            if (aggregator is not null) WriteRows(aggregator.Complete(), true);

            if (daily.Issues.Count > 0)
                _issues.Add(string.Format(CultureInfo.InvariantCulture, "subscription {0}: {1}", subscription, string.Join(", ", daily.Issues.Select(i => i.Kind + " " + i))));

            if (daily.LastReadingDay is not { } lastDay)
            {
                if (daily.Holes.Count == 0)
                    WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: no reading between {1:yyyy-MM-dd} and {2:yyyy-MM-dd}.", subscription, from > DateTime.MinValue ? from.AddDays(-1) : from, to));
            }
            else if (lastDay < to && !(daily.Holes.Count > 0 && daily.Holes[daily.Holes.Count - 1].To > lastDay))
            {
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the last available day is {1:yyyy-MM-dd}; the days after it (up to {2:yyyy-MM-dd}) are not published yet (the API publishes 1 to 5 days late).", subscription, lastDay, to));
            }
        }

        /// <summary>
        /// The portal gives litres per day: rows are Measured, days it did not give are absent (never
        /// estimated, whatever -NoInterpolation says), and a verbose line names them. The days of a request
        /// that failed are Missing rows.
        /// </summary>
        private void ComputeFromVolumes(Api.Portal.EglPortalSession portal, long subscription, DateTime from, DateTime to)
        {
            var options = RequestOptions;
            var aggregator = Granularity == EglGranularity.Day ? null : new ConsumptionAggregator(Granularity, from, to);
            var written = new List<EglConsumption>();
            if (DateRange.FetchWindow(from, to, TodayInParis, dayBefore: false) is { } window)
            {
                var chunks = FetchChunks(
                    subscription,
                    window.From,
                    window.To,
                    Api.Portal.EglPortalEndpoints.ChunkDays,
                    (start, end, ct) => portal.GetDailyVolumesAsync(subscription, start, end, options, ct),
                    v => v.Date,
                    LostDaysNote);
                foreach (var chunk in chunks)
                {
                    var rows = chunk.Items is null
                        ? DailyVolumes.Missing(subscription, chunk.From, chunk.To)
                        : DailyVolumes.ToConsumption(subscription, chunk.Items.Select(v => new KeyValuePair<DateTime, double>(v.Date, v.Liters)), from, to);
                    written.AddRange(rows);
                    Write(rows, aggregator);
                }
            }

            if (aggregator is not null) WriteRows(aggregator.Complete(), true);
            var missing = DailyVolumes.MissingDays(written, from, to < TodayInParis ? to : TodayInParis);
            if (missing.Count > 0)
            {
                WriteVerbose(string.Format(
                    CultureInfo.InvariantCulture,
                    "Subscription {0}: the portal gave no volume for {1}; those days are left out, not estimated (the portal publishes 1 to 5 days late and skips days without a final reading).",
                    subscription,
                    string.Join(", ", missing)));
            }
        }

        protected override void EndProcessing()
        {
            foreach (var pair in _piped.OrderBy(p => p.Key))
            {
                var readings = pair.Value;
                DateTime first = readings.Min(r => r.Date), last = readings.Max(r => r.Date);
                DateTime from = StartDate?.Date ?? first.AddDays(1), to = EndDate?.Date ?? last;
                if (from > to)
                {
                    WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the piped readings ({1:yyyy-MM-dd}..{2:yyyy-MM-dd}) give no day between {3:yyyy-MM-dd} and {4:yyyy-MM-dd}.", pair.Key, first, last, from, to));
                    continue;
                }

                Compute(pair.Key, readings, from, to);
            }

            if (_issues.Count > 0)
            {
                WriteWarning("Some days have no consumption because the readings are doubtful: " + string.Join("; ", _issues)
                    + ". Their Liters are empty and their Quality says why (Invalid: the index went down without a meter change; Anomaly: two different final readings of one day).");
            }
        }

        private void CollectReading()
        {
            _row++;
            if (_row == 1 && _subscriptionOnCommandLine)
            {
                ThrowArgument(
                    "-SubscriptionNumber selects what to download; piped readings carry their own SubscriptionNumber. Filter them with Where-Object instead, e.g. Where-Object SubscriptionNumber -eq 1895683.",
                    "EglSubscriptionWithReadings",
                    SubscriptionNumber);
            }

            var culture = CultureInfo.CurrentCulture;
            string? problem = null;
            if (!ReadingInput.TryDay(Date, culture, out var day))
                problem = string.Format(CultureInfo.InvariantCulture, "its Date '{0}' is not a date (tried ISO 8601, {1} and the invariant culture)", Show(Date), CultureName(culture));
            else if (!ReadingInput.TryNumber(Index, culture, out double index))
                problem = string.Format(CultureInfo.InvariantCulture, "its Index '{0}' is not a number of litres (tried the invariant culture and {1})", Show(Index), CultureName(culture));
            else if (index < 0)
                problem = string.Format(CultureInfo.InvariantCulture, "its Index {0} is negative", index);
            else if (SubscriptionNumber is { Length: > 1 })
                problem = "it has several SubscriptionNumber values";
            else
            {
                long subscription = SubscriptionNumber is { Length: 1 } s ? s[0] : 0;
                if (!_piped.TryGetValue(subscription, out var list)) _piped[subscription] = list = new List<EglIndexReading>();
                list.Add(new EglIndexReading(subscription, day, index, RawType ?? string.Empty));
                return;
            }

            WriteError(new ErrorRecord(
                new FormatException(string.Format(CultureInfo.InvariantCulture, "Input reading {0} is left out: {1}. Fix or remove that row and run the command again.", _row, problem)),
                "EglInvalidReading",
                ErrorCategory.InvalidData,
                new { Row = _row, Date = ReadingInput.Unwrap(Date), Index = ReadingInput.Unwrap(Index), RawType }));
        }

        private static string Show(object? value) => ReadingInput.Unwrap(value) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

        private static string CultureName(CultureInfo c) => c.Name.Length == 0 ? "the invariant culture" : c.Name;

        private void Compute(long subscription, IReadOnlyList<EglIndexReading> readings, DateTime from, DateTime to)
        {
            var daily = new DailyConsumptionBuilder(from, to, !NoInterpolation.IsPresent);
            var aggregator = Granularity == EglGranularity.Day ? null : new ConsumptionAggregator(Granularity, from, to);
            Write(daily.Add(readings), aggregator);
            Finish(subscription, daily, aggregator, from, to);
        }

        private void Write(IReadOnlyList<EglConsumption> rows, ConsumptionAggregator? aggregator)
        {
            if (aggregator is null)
            {
                WriteRows(rows, false);
                return;
            }

            foreach (var row in rows) WriteRows(aggregator.Add(row), true);
        }

        private void WriteRows(IReadOnlyList<EglConsumption> rows, bool period)
        {
            foreach (var row in rows)
            {
                if (!period)
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
