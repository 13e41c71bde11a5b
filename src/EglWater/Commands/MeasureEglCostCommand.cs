using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Engine.Cost;

namespace EglWater.Commands
{
    /// <summary>
    /// "What will I pay?": the cost of the water per day, week, month or year by a tariff (the shipped Eau du
    /// Grand Lyon grid, a tariff file, or a flat price). Reads the daily consumption from 1 January of the range's
    /// first year (the tiers count from there), from the API, a history store or the pipeline; the engine's
    /// CostCalculator prices it.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "EglCost", DefaultParameterSetName = RangeSet)]
    [OutputType(typeof(EglCost))]
    public sealed class MeasureEglCostCommand : EglDataCmdlet
    {
        private const string RangeSet = "Range";
        private const string RowsSet = "Rows";

        private readonly PipedDailyRows _piped = new PipedDailyRows();
        private Tariff? _tariff;

        /// <summary>The subscriptions to price; the session's main one (every one of the store with -HistoryPath or -ConnectionString) by default.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        [Parameter(ParameterSetName = HistorySet)]
        [Parameter(ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Daily rows from Get-EglConsumption.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RowsSet)]
        public EglConsumption InputObject { get; set; } = null!;

        /// <summary>Day, Week, Month (default) or Year.</summary>
        [Parameter]
        public EglGranularity Granularity { get; set; } = EglGranularity.Month;

        /// <summary>The path of a tariff file (JSON); default: the shipped Eau du Grand Lyon grid.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Tariff { get; set; }

        /// <summary>A flat price per cubic metre, all included, instead of a tariff.</summary>
        [Parameter]
        [ValidateRange(0.0, 1_000_000.0)]
        public decimal? PricePerCubicMeter { get; set; }

        /// <summary>With -PricePerCubicMeter: a yearly subscription, shared out over the days.</summary>
        [Parameter]
        [ValidateRange(0.0, 1_000_000.0)]
        public decimal? SubscriptionPerYear { get; set; }

        /// <summary>The meter's diameter in millimetres: it picks the yearly subscription. Default: the contract's, else 15.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int? MeterDiameter { get; set; }

        /// <summary>Dwellings behind the meter (collective housing): the tier bounds are multiplied by it.</summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int Dwellings { get; set; } = 1;

        protected override bool RequiresSessionOnline => false;

        /// <summary>By default, the year so far: from 1 January of the end's year.</summary>
        protected override DateTime? DefaultStart(DateTime end) => new DateTime(end.Year, 1, 1);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Tariff is not null && PricePerCubicMeter is not null)
                ThrowArgument("-Tariff and -PricePerCubicMeter both set the prices: give one of them.", "EglTariffConflict", Tariff);
            if (SubscriptionPerYear is not null && PricePerCubicMeter is null)
                ThrowArgument("-SubscriptionPerYear goes with a flat price: give -PricePerCubicMeter too, or put the subscription in a tariff file.", "EglTariffConflict", SubscriptionPerYear);
            try
            {
                _tariff = PricePerCubicMeter is { } price ? Engine.Cost.Tariff.Flat(price, SubscriptionPerYear ?? 0m) : ResolveTariff(Tariff);
            }
            catch (EglException ex)
            {
                ThrowEgl(ex, Tariff);
            }

            WriteVerbose("Tariff: " + _tariff!.Name + (_tariff.Note is { Length: > 0 } note ? " (" + note + ")" : string.Empty) + ".");
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RowsSet)
            {
                if (!_piped.Add(InputObject))
                    ThrowArgument($"Measure-EglCost needs daily rows, and got a {InputObject.Granularity} row ({InputObject}). Pipe Get-EglConsumption without -Granularity; use -Granularity here for the periods.", "EglNotDailyRows", InputObject);
                return;
            }

            if (!ReadsStore) RequireSession();
            var (from, to) = ResolveRange();
            foreach (var (subscription, source) in ResolveSources(SubscriptionNumber))
            {
                if (Builder(subscription, from, to) is not { } builder) continue;

                // The tiers count from 1 January: the days before the range are read for the count only.
                ReadConsumption(source, subscription, new DateTime(from.Year, 1, 1), to, EglGranularity.Day, interpolate: true, "; they cost nothing here and their periods are not Complete", rows => Price(builder, rows));
                Finish(builder, subscription, piped: false);
            }
        }

        protected override void EndProcessing()
        {
            foreach (var (subscription, rows, first, last) in _piped.BySubscription())
            {
                DateTime from = StartDate?.Date ?? first, to = EndDate?.Date ?? last;
                if (from > to || Builder(subscription, from, to) is not { } builder) continue;
                Price(builder, rows);
                Finish(builder, subscription, piped: true);
            }

            WarnDoubtfulReadings();
        }

        private CostBuilder? Builder(long subscription, DateTime from, DateTime to)
        {
            int diameter = MeterDiameterOf(subscription, MeterDiameter, ParameterSetName == RowsSet, out string origin);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: {1:yyyy-MM-dd}..{2:yyyy-MM-dd} by {3}, meter diameter {4} mm ({5}), {6} dwelling(s).", subscription, from, to, _tariff!.Name, diameter, origin, Dwellings));
            try
            {
                return CostCalculator.Start(subscription, from, to, Granularity, _tariff, diameter, Dwellings);
            }
            catch (EglTariffUnknownDiameterException ex)
            {
                WriteEgl(ex, subscription);
                return null;
            }
            catch (EglTariffMissingPeriodException ex)
            {
                ThrowEgl(ex, _tariff.Name);
                return null;
            }
        }

        private void Price(CostBuilder builder, IReadOnlyList<EglConsumption> rows)
        {
            foreach (var row in rows)
            {
                foreach (var cost in builder.Add(row)) WriteObject(cost);
            }
        }

        private void Finish(CostBuilder builder, long subscription, bool piped)
        {
            foreach (var cost in builder.Complete()) WriteObject(cost);
            foreach (var start in builder.LateTierCountStarts)
            {
                WriteWarning(string.Format(
                    CultureInfo.InvariantCulture,
                    "Subscription {0}: the drinking-water tiers of {1} count from {2:yyyy-MM-dd}, not from 1 January: {3}, so its days may be priced at a lower tier than on the bill.",
                    subscription,
                    start.Year,
                    start,
                    piped ? "the piped rows start there (pipe them from 1 January)" : "the source has no day before it"));
            }
        }
    }
}
