using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EglWater.Engine.Cost
{
    /// <summary>
    /// A water tariff, all taxes included, in euros: periods of validity, each with drinking-water tiers
    /// (counted per calendar year), prices paid on every cubic metre, and a yearly subscription by meter
    /// diameter. Immutable. Built by <see cref="TariffReader"/> (which checks it) or by <see cref="Flat"/>.
    /// </summary>
    internal sealed class Tariff
    {
        /// <summary>Where a tariff made by <see cref="Flat"/> comes from, for messages.</summary>
        public const string FlatOrigin = "flat price given on the command line";

        internal Tariff(string name, string file, IEnumerable<TariffPeriod> periods, string? source = null, string? note = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            File = file ?? throw new ArgumentNullException(nameof(file));
            Periods = periods.OrderBy(p => p.From ?? DateTime.MinValue).ToArray();
            Source = source;
            Note = note;
        }

        /// <summary>The tariff's name, shown on every cost row.</summary>
        public string Name { get; }

        /// <summary>The file it was read from (as given), or where it comes from.</summary>
        public string File { get; }

        /// <summary>Always EUR.</summary>
        public string Currency => "EUR";

        public string? Source { get; }

        public string? Note { get; }

        /// <summary>The periods, by start date; they do not overlap.</summary>
        public IReadOnlyList<TariffPeriod> Periods { get; }

        /// <summary>The period that contains <paramref name="day"/>, or null.</summary>
        public TariffPeriod? PeriodOf(DateTime day)
        {
            day = day.Date;
            foreach (var p in Periods)
            {
                if (p.Contains(day)) return p;
            }

            return null;
        }

        /// <summary>The largest amount or volume a tariff may hold: anything larger is a mistake, and sums cannot overflow.</summary>
        public const decimal MaxAmount = 1_000_000_000m;

        /// <summary>The periods, for a message: "2026-01-01..2026-12-31, 2027-01-01..".</summary>
        public string DescribePeriods() => Periods.Count == 0 ? "none" : string.Join(", ", Periods.Select(p => p.ToString()));

        /// <summary>
        /// A flat price: one open period, one tier without bound at <paramref name="pricePerCubicMeter"/>
        /// (so the whole price shows as drinking water), nothing else per m³, and one yearly subscription
        /// for any meter diameter.
        /// </summary>
        public static Tariff Flat(decimal pricePerCubicMeter, decimal subscriptionPerYear = 0m)
        {
            if (pricePerCubicMeter < 0)
                throw new EglTariffInvalidException(FlatOrigin, string.Format(CultureInfo.InvariantCulture, "the price per cubic metre is negative ({0})", pricePerCubicMeter));
            if (pricePerCubicMeter > MaxAmount || subscriptionPerYear > MaxAmount)
                throw new EglTariffInvalidException(FlatOrigin, "the price or the subscription is implausibly large (more than 1,000,000,000)");
            if (subscriptionPerYear < 0)
                throw new EglTariffInvalidException(FlatOrigin, string.Format(CultureInfo.InvariantCulture, "the yearly subscription is negative ({0})", subscriptionPerYear));
            string name = string.Format(CultureInfo.InvariantCulture, "Flat {0} €/m³", Plain(pricePerCubicMeter));
            if (subscriptionPerYear != 0) name += string.Format(CultureInfo.InvariantCulture, " + {0} €/year", Plain(subscriptionPerYear));
            var period = new TariffPeriod(
                null,
                null,
                new[] { new TariffTier(null, pricePerCubicMeter) },
                Array.Empty<TariffItem>(),
                new Dictionary<int, decimal>(),
                subscriptionPerYear);
            return new Tariff(name, FlatOrigin, new[] { period });
        }

        /// <summary>A decimal without trailing zeros, invariant ("3.56", "50", "0.5").</summary>
        internal static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

        public override string ToString() => Name;
    }

    /// <summary>One period of validity of a tariff (From and To inclusive; null = open).</summary>
    internal sealed class TariffPeriod
    {
        private readonly Dictionary<int, decimal> _subscriptions;

        internal TariffPeriod(
            DateTime? from,
            DateTime? to,
            IEnumerable<TariffTier> drinkingWater,
            IEnumerable<TariffItem> perCubicMeter,
            IDictionary<int, decimal> subscriptionPerYear,
            decimal? subscriptionForAnyDiameter = null,
            string? source = null,
            string? note = null)
        {
            From = from?.Date;
            To = to?.Date;
            DrinkingWater = drinkingWater.ToArray();
            PerCubicMeter = perCubicMeter.ToArray();
            _subscriptions = new Dictionary<int, decimal>(subscriptionPerYear);
            SubscriptionForAnyDiameter = subscriptionForAnyDiameter;
            Source = source;
            Note = note;
            decimal other = 0m;
            foreach (var item in PerCubicMeter) other += item.PricePerCubicMeter;
            OtherPerCubicMeter = other;
        }

        public DateTime? From { get; }

        public DateTime? To { get; }

        /// <summary>The tiers, by increasing bound; the last one has no bound.</summary>
        public IReadOnlyList<TariffTier> DrinkingWater { get; }

        /// <summary>Sanitation and fees, paid on every cubic metre.</summary>
        public IReadOnlyList<TariffItem> PerCubicMeter { get; }

        /// <summary>The sum of <see cref="PerCubicMeter"/>.</summary>
        public decimal OtherPerCubicMeter { get; }

        /// <summary>The yearly subscription by meter diameter (mm).</summary>
        public IReadOnlyDictionary<int, decimal> SubscriptionPerYear => _subscriptions;

        /// <summary>A yearly subscription that applies to any diameter (flat tariffs), or null.</summary>
        public decimal? SubscriptionForAnyDiameter { get; }

        public string? Source { get; }

        public string? Note { get; }

        public bool Contains(DateTime day) => (!From.HasValue || day >= From.Value) && (!To.HasValue || day <= To.Value);

        /// <summary>The yearly subscription of a meter of <paramref name="diameter"/> mm.</summary>
        public bool TryGetSubscription(int diameter, out decimal perYear)
        {
            if (_subscriptions.TryGetValue(diameter, out perYear)) return true;
            if (SubscriptionForAnyDiameter.HasValue)
            {
                perYear = SubscriptionForAnyDiameter.Value;
                return true;
            }

            return false;
        }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0}..{1}",
            From.HasValue ? From.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty,
            To.HasValue ? To.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty);
    }

    /// <summary>A drinking-water tier: the price of the cubic metres of the year up to a bound (null = no bound).</summary>
    internal sealed class TariffTier
    {
        internal TariffTier(decimal? upToCubicMeters, decimal pricePerCubicMeter, string? source = null, string? note = null)
        {
            UpToCubicMeters = upToCubicMeters;
            PricePerCubicMeter = pricePerCubicMeter;
            Source = source;
            Note = note;
        }

        public decimal? UpToCubicMeters { get; }

        public decimal PricePerCubicMeter { get; }

        public string? Source { get; }

        public string? Note { get; }
    }

    /// <summary>A price paid on every cubic metre (sanitation, a fee).</summary>
    internal sealed class TariffItem
    {
        internal TariffItem(string name, decimal pricePerCubicMeter, string? source = null, string? note = null)
        {
            Name = name;
            PricePerCubicMeter = pricePerCubicMeter;
            Source = source;
            Note = note;
        }

        public string Name { get; }

        public decimal PricePerCubicMeter { get; }

        public string? Source { get; }

        public string? Note { get; }
    }
}
