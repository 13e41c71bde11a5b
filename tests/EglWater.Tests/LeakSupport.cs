using EglWater.Engine;
using EglWater.Engine.Leaks;
using EglWater.Simulator;

namespace EglWater.Tests;

/// <summary>Builds the daily rows the leak detector reads: by hand, or from the simulator through the real engine.</summary>
internal static class LeakSupport
{
    public const long Sub = 1895683;

    public static DateTime D(DateOnly d) => d.ToDateTime(TimeOnly.MinValue);

    public static DateOnly O(DateTime d) => DateOnly.FromDateTime(d);

    /// <summary>One hand-made daily row.</summary>
    public static EglConsumption Row(DateTime day, double? liters, EglQuality quality = EglQuality.Measured, double? flow = null, double? leak = null) =>
        new(Sub, EglGranularity.Day, day, day, 1, liters.HasValue ? 1 : 0, liters, quality, quality == EglQuality.Measured ? "R" : "T", quality == EglQuality.Measured, flow, leak);

    /// <summary>Consecutive measured days from <paramref name="start"/>.</summary>
    public static List<EglConsumption> Days(DateTime start, params double[] liters) =>
        liters.Select((l, i) => Row(start.AddDays(i), l)).ToList();

    /// <summary>Consecutive measured days of the same litres.</summary>
    public static List<EglConsumption> Flat(DateTime start, int count, double liters) =>
        Enumerable.Range(0, count).Select(i => Row(start.AddDays(i), liters)).ToList();

    /// <summary>
    /// Index rows converted to daily rows by <see cref="ConsumptionCalculator.Daily"/> (so the qualities are the
    /// engine's), with the portal's extras of each day when given.
    /// </summary>
    public static List<EglConsumption> Daily(IEnumerable<MeterRow> rows, DateOnly from, DateOnly to, Func<DateOnly, (double? Flow, double? Leak)>? extras = null)
    {
        var readings = rows.Select(r => new EglIndexReading(Sub, D(r.Day), r.Index, r.Type));
        var daily = ConsumptionCalculator.Daily(readings, D(from), D(to));
        if (extras is null) return daily.ToList();
        return daily.Select(c =>
        {
            var (flow, leak) = extras(O(c.Date));
            return new EglConsumption(c.SubscriptionNumber, c.Granularity, c.Date, c.EndDate, c.Days, c.DaysWithData, c.Liters, c.Quality, c.RawType, c.Complete, flow, leak);
        }).ToList();
    }

    /// <summary>A household's days as the detector reads them, portal extras included.</summary>
    public static List<EglConsumption> Daily(Household h, DateOnly from, DateOnly to) =>
        Daily(h.Rows(from.AddDays(-1), to), from, to, d => (h.DebitMin(d), h.VolumeEstimeFuite(d)));

    public static LeakDetection Detect(IEnumerable<EglConsumption> rows, DateTime from, DateTime to, LeakOptions? options = null) =>
        LeakDetector.Detect(Sub, rows, from, to, options);
}
