using System;
using System.Globalization;

namespace EglWater
{
    /// <summary>
    /// Water consumed over one period (a day, or a week, month or year). The same properties on
    /// every row, flat and scalar, so that a table or a CSV file holds them all.
    /// </summary>
    public sealed class EglConsumption
    {
        public EglConsumption(
            long subscriptionNumber,
            EglGranularity granularity,
            DateTime date,
            DateTime endDate,
            int days,
            int daysWithData,
            double? liters,
            EglQuality quality,
            string rawType,
            bool complete,
            double? minimumFlowLitersPerHour = null,
            double? estimatedLeakLiters = null)
        {
            SubscriptionNumber = subscriptionNumber;
            Granularity = granularity;
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            EndDate = DateTime.SpecifyKind(endDate.Date, DateTimeKind.Unspecified);
            Days = days;
            DaysWithData = daysWithData;
            Liters = liters;
            Quality = quality;
            RawType = rawType ?? string.Empty;
            Complete = complete;
            MinimumFlowLitersPerHour = minimumFlowLitersPerHour;
            EstimatedLeakLiters = estimatedLeakLiters;
        }

        /// <summary>The subscription (num_abt).</summary>
        public long SubscriptionNumber { get; }

        /// <summary>Day, Week, Month or Year.</summary>
        public EglGranularity Granularity { get; }

        /// <summary>The first calendar day of the period.</summary>
        public DateTime Date { get; }

        /// <summary>The last calendar day of the period (inclusive).</summary>
        public DateTime EndDate { get; }

        /// <summary>Days of the period inside the requested range (more than 1 for a daily row that covers a gap).</summary>
        public int Days { get; }

        /// <summary>Days whose consumption is known.</summary>
        public int DaysWithData { get; }

        /// <summary>Litres consumed; empty when it cannot be known (meter change, invalid readings).</summary>
        public double? Liters { get; }

        /// <summary>Cubic metres consumed (Liters / 1000).</summary>
        public double? CubicMeters => Liters / 1000.0;

        /// <summary>How far the value can be trusted (the worst quality of its days).</summary>
        public EglQuality Quality { get; }

        /// <summary>The API's TypeAgregat letter of the day's reading (daily rows), or empty.</summary>
        public string RawType { get; }

        /// <summary>Every day of the period is inside the range and measured.</summary>
        public bool Complete { get; }

        /// <summary>
        /// The smallest flow of the day seen by the meter, in litres per hour (the portal's debitMin); the
        /// largest daily value on aggregated rows. Empty on partner rows and when the portal does not give it.
        /// </summary>
        public double? MinimumFlowLitersPerHour { get; }

        /// <summary>
        /// The provider's estimate of the water lost to a leak, in litres (the portal's volumeEstimeFuite); the
        /// sum on aggregated rows. Empty on partner rows and when the portal does not give it.
        /// </summary>
        public double? EstimatedLeakLiters { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0:yyyy-MM-dd}..{1:yyyy-MM-dd} {2} L ({3})",
            Date,
            EndDate,
            Liters.HasValue ? Liters.Value.ToString("0.###", CultureInfo.InvariantCulture) : "?",
            Quality);
    }
}
