namespace EglWater.Simulator;

/// <summary>One row of the data route, as the simulator holds it.</summary>
public sealed record MeterRow(DateOnly Day, string Type, long Index);

/// <summary>
/// Deterministic, realistic daily index readings: a household of about two and a half people,
/// more water at weekends and in summer, and a reproducible day-to-day noise. The same day always
/// gives the same consumption, so tests can pin values.
/// </summary>
public static class MeterData
{
    public static readonly DateOnly HistoryStart = new(2022, 11, 1);
    public const long FirstIndex = 562_362;

    /// <summary>Litres consumed on a day (the index of <paramref name="day"/> minus the one before).</summary>
    public static long DailyLiters(DateOnly day, long seed = 0)
    {
        double seasonal = 1.0 + 0.25 * Math.Cos(2 * Math.PI * (day.DayOfYear - 196) / 365.25);
        double weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.3 : 1.0;
        double noise = 0.8 + 0.4 * Unit(day.DayNumber, seed);
        return (long)Math.Round(290.0 * seasonal * weekday * noise);
    }

    /// <summary>The clean series from <paramref name="start"/> to <paramref name="end"/> (inclusive), all real readings.</summary>
    public static List<MeterRow> Generate(DateOnly start, DateOnly end, long firstIndex = FirstIndex, long seed = 0)
    {
        var rows = new List<MeterRow>();
        long index = firstIndex;
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            if (d > start) index += DailyLiters(d, seed);
            rows.Add(new MeterRow(d, "R", index));
        }

        return rows;
    }

    private static double Unit(long n, long seed)
    {
        ulong z = unchecked(((ulong)n * 0x9E3779B97F4A7C15UL) + (ulong)seed);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
