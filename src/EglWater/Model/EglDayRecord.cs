using System;

namespace EglWater
{
    /// <summary>
    /// One day of a meter as a source gave it: the partner API's reading (an index and its letter), or the
    /// customer portal's day (a volume, and an index and leak signals when the portal gives them), or a row of
    /// the history store, which keeps either. The one row type that flows from every source to the engine.
    /// A day may have several records (the partner API sends a pending row and later its final row).
    /// </summary>
    internal sealed class EglDayRecord
    {
        public EglDayRecord(
            long subscriptionNumber,
            DateTime date,
            double? index,
            EglReadingType type,
            string rawType,
            double? liters = null,
            double? minimumFlowLitersPerHour = null,
            double? estimatedLeakLiters = null)
        {
            SubscriptionNumber = subscriptionNumber;
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            Index = index;
            Type = type;
            RawType = rawType ?? string.Empty;
            Liters = liters;
            MinimumFlowLitersPerHour = minimumFlowLitersPerHour;
            EstimatedLeakLiters = estimatedLeakLiters;
        }

        public long SubscriptionNumber { get; }

        /// <summary>The calendar day (Paris), time 00:00.</summary>
        public DateTime Date { get; }

        /// <summary>The meter's cumulative index in litres, when the source gives it.</summary>
        public double? Index { get; }

        /// <summary>How final the record is (the partner API's letter; the portal's days are final).</summary>
        public EglReadingType Type { get; }

        /// <summary>The partner API's letter, unchanged; empty for the portal.</summary>
        public string RawType { get; }

        /// <summary>The day's volume in litres, when the source gives it (the portal).</summary>
        public double? Liters { get; }

        public double? MinimumFlowLitersPerHour { get; }

        public double? EstimatedLeakLiters { get; }

        /// <summary>A partner reading as a record.</summary>
        public static EglDayRecord FromReading(EglIndexReading reading) =>
            new EglDayRecord(reading.SubscriptionNumber, reading.Date, reading.Index, reading.Type, reading.RawType);

        /// <summary>The record's index reading, or null when the source gave no index for the day.</summary>
        public EglIndexReading? ToReading() => Index is { } index ? new EglIndexReading(SubscriptionNumber, Date, index, RawType, Type) : null;

        public override string ToString() => EglDayRecordText.Of(this);
    }

    internal static class EglDayRecordText
    {
        public static string Of(EglDayRecord r) => string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            "{0:yyyy-MM-dd} index {1} ({2}) volume {3}",
            r.Date,
            r.Index?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            r.RawType.Length > 0 ? r.RawType : r.Type.ToString(),
            r.Liters?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
    }
}
