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
                // The day before the start gives the first day its value.
                Compute(subscription, FetchChunks(subscription, from.AddDays(-1), to), from, to);
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

                Compute(pair.Key, new[] { readings }, from, to);
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

        private void Compute(long subscription, IEnumerable<IReadOnlyList<EglIndexReading>> batches, DateTime from, DateTime to)
        {
            var daily = new DailyConsumptionBuilder(from, to, !NoInterpolation.IsPresent);
            var aggregator = Granularity == EglGranularity.Day ? null : new ConsumptionAggregator(Granularity, from, to);
            foreach (var batch in batches) Write(daily.Add(batch), aggregator);
            Write(daily.Complete(), aggregator);
            if (aggregator is not null) WriteRows(aggregator.Complete(), true);

            if (daily.Issues.Count > 0)
                _issues.Add(string.Format(CultureInfo.InvariantCulture, "subscription {0}: {1}", subscription, string.Join(", ", daily.Issues.Select(i => i.Kind + " " + i))));

            if (daily.LastReadingDay is not { } lastDay)
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: no reading between {1:yyyy-MM-dd} and {2:yyyy-MM-dd}.", subscription, from.AddDays(-1), to));
            else if (lastDay < to)
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the last available day is {1:yyyy-MM-dd}; the days after it (up to {2:yyyy-MM-dd}) are not published yet (the API publishes 1 to 5 days late).", subscription, lastDay, to));
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
