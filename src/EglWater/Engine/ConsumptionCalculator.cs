using System;
using System.Collections.Generic;
using System.Linq;
using EglWater;

namespace EglWater.Engine
{
    /// <summary>
    /// Daily consumption from index readings: pure functions, no I/O, no PowerShell.
    /// Liters(d) = Index(d) - Index(d-1).
    /// </summary>
    public static class ConsumptionCalculator
    {
        /// <summary>
        /// Daily rows for the days in [from, to] that have a reading and a reading the day before.
        /// Readings may be unsorted; they must belong to one subscription.
        /// </summary>
        public static IEnumerable<EglConsumption> Daily(IEnumerable<EglIndexReading> readings, DateTime from, DateTime to)
        {
            if (readings is null) throw new ArgumentNullException(nameof(readings));
            from = from.Date;
            to = to.Date;
            var byDay = new SortedDictionary<DateTime, EglIndexReading>();
            foreach (var r in readings)
            {
                // A final row wins over a pending one for the same day.
                if (!byDay.TryGetValue(r.Date, out var existing) || (existing.Type == EglReadingType.Pending && r.Type != EglReadingType.Pending))
                    byDay[r.Date] = r;
            }

            EglIndexReading? previous = null;
            foreach (var r in byDay.Values)
            {
                if (previous is not null && r.Date >= from && r.Date <= to && previous.Date == r.Date.AddDays(-1))
                {
                    double? liters;
                    EglQuality quality;
                    if (r.Type == EglReadingType.MeterChange)
                    {
                        liters = null;
                        quality = EglQuality.MeterChange;
                    }
                    else if (r.Index < previous.Index)
                    {
                        liters = null;
                        quality = EglQuality.Invalid;
                    }
                    else
                    {
                        liters = r.Index - previous.Index;
                        quality = QualityOf(r.Type);
                    }

                    yield return new EglConsumption(
                        r.SubscriptionNumber, EglGranularity.Day, r.Date, r.Date, 1, liters.HasValue ? 1 : 0, liters, quality, r.RawType, quality == EglQuality.Measured);
                }

                previous = r;
            }
        }

        public static EglQuality QualityOf(EglReadingType type) => type switch
        {
            EglReadingType.Real => EglQuality.Measured,
            EglReadingType.Anomaly => EglQuality.Anomaly,
            EglReadingType.MeterChange => EglQuality.MeterChange,
            EglReadingType.Pending => EglQuality.Pending,
            _ => EglQuality.Unknown,
        };
    }
}
