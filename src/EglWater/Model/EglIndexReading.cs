using System;
using System.Globalization;

namespace EglWater
{
    /// <summary>
    /// One daily reading of the meter's cumulative index, as the API publishes it.
    /// Flat and scalar so that it survives Export-Csv / Import-Csv.
    /// </summary>
    public sealed class EglIndexReading
    {
        public EglIndexReading(long subscriptionNumber, DateTime date, double index, string rawType)
            : this(subscriptionNumber, date, index, rawType, EglReadingTypes.FromRaw(rawType))
        {
        }

        /// <summary>A reading whose type is known without a letter (the customer portal's final days: Real, RawType empty).</summary>
        internal EglIndexReading(long subscriptionNumber, DateTime date, double index, string rawType, EglReadingType type)
        {
            SubscriptionNumber = subscriptionNumber;
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            Index = index;
            RawType = rawType ?? string.Empty;
            Type = type;
        }

        /// <summary>The subscription (num_abt) the meter belongs to.</summary>
        public long SubscriptionNumber { get; }

        /// <summary>The calendar day of the reading, as written by the API (Paris local day), time 00:00.</summary>
        public DateTime Date { get; }

        /// <summary>The meter's cumulative index, in litres.</summary>
        public double Index { get; }

        /// <summary>The index in cubic metres.</summary>
        public double IndexCubicMeters => Index / 1000.0;

        /// <summary>What the API's letter means.</summary>
        public EglReadingType Type { get; }

        /// <summary>The API's TypeAgregat letter, unchanged.</summary>
        public string RawType { get; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd} {1} L ({2})", Date, Index, RawType);
    }
}
