using System;
using System.Globalization;

namespace EglWater
{
    /// <summary>
    /// What the water of one period (a day, or a week, month or year) costs, all taxes included, by a
    /// tariff. Flat and scalar, so that a table or a CSV file holds every property.
    /// </summary>
    /// <remarks>
    /// Each euro component is computed exactly (decimal) day by day and rounded to the cent once per row
    /// (midpoint away from zero); <see cref="TotalEuros"/> is the sum of the three rounded components.
    /// </remarks>
    public sealed class EglCost
    {
        public EglCost(
            long subscriptionNumber,
            EglGranularity granularity,
            DateTime date,
            DateTime endDate,
            int days,
            double? cubicMeters,
            decimal drinkingWaterEuros,
            decimal otherEuros,
            decimal subscriptionEuros,
            string tariff,
            bool complete)
        {
            SubscriptionNumber = subscriptionNumber;
            Granularity = granularity;
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            EndDate = DateTime.SpecifyKind(endDate.Date, DateTimeKind.Unspecified);
            Days = days;
            CubicMeters = cubicMeters;
            DrinkingWaterEuros = drinkingWaterEuros;
            OtherEuros = otherEuros;
            SubscriptionEuros = subscriptionEuros;
            TotalEuros = drinkingWaterEuros + otherEuros + subscriptionEuros;
            Tariff = tariff ?? string.Empty;
            Complete = complete;
        }

        /// <summary>The subscription (num_abt).</summary>
        public long SubscriptionNumber { get; }

        /// <summary>Day, Week, Month or Year.</summary>
        public EglGranularity Granularity { get; }

        /// <summary>The first calendar day of the period.</summary>
        public DateTime Date { get; }

        /// <summary>The last calendar day of the period (inclusive; not clipped to the range).</summary>
        public DateTime EndDate { get; }

        /// <summary>Days of the period inside the requested range.</summary>
        public int Days { get; }

        /// <summary>The known volume of those days, in cubic metres; empty when no day's volume is known.</summary>
        public double? CubicMeters { get; }

        /// <summary>The drinking-water part, priced by the yearly tiers.</summary>
        public decimal DrinkingWaterEuros { get; }

        /// <summary>Sanitation and fees, paid on every cubic metre.</summary>
        public decimal OtherEuros { get; }

        /// <summary>The share of the yearly subscription for the days of the period inside the range.</summary>
        public decimal SubscriptionEuros { get; }

        /// <summary>The sum of the three components.</summary>
        public decimal TotalEuros { get; }

        /// <summary>The name of the tariff used.</summary>
        public string Tariff { get; }

        /// <summary>Every day of the period is inside the range and has a known volume.</summary>
        public bool Complete { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0:yyyy-MM-dd}..{1:yyyy-MM-dd} {2} m3 {3:0.00} EUR{4}",
            Date,
            EndDate,
            CubicMeters.HasValue ? CubicMeters.Value.ToString("0.###", CultureInfo.InvariantCulture) : "?",
            TotalEuros,
            Complete ? string.Empty : " (incomplete)");
    }
}
