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

    /// <summary>
    /// The demo household's quirks, at fixed days outside the ranges the foundation tests read, so that
    /// the consumption engine meets each of them against the simulator.
    /// </summary>
    public static class Quirks
    {
        /// <summary>Sent twice, a pending T row (40 L lower) first, then the final R row.</summary>
        public static readonly DateOnly PendingThenFinal = new(2024, 6, 10);

        /// <summary>Three days the API never published: 12, 13 and 14 August 2024.</summary>
        public static readonly DateOnly GapFirst = new(2024, 8, 12);
        public static readonly DateOnly GapLast = new(2024, 8, 14);

        /// <summary>The meter was changed (D): the new meter starts from 0 that day.</summary>
        public static readonly DateOnly MeterChange = new(2024, 10, 15);

        /// <summary>A reading flagged as an anomaly (A).</summary>
        public static readonly DateOnly Anomaly = new(2024, 12, 3);

        /// <summary>Undocumented letters: V, then X.</summary>
        public static readonly DateOnly UnknownV = new(2025, 1, 20);
        public static readonly DateOnly UnknownX = new(2025, 2, 11);

        /// <summary>The last days published (relative to today) are still pending (T).</summary>
        public const int PendingLastDays = 2;
    }

    /// <summary>
    /// The series from <paramref name="start"/> to <paramref name="end"/> with the demo quirks: the order
    /// of the rows is the order the API sends them (the pending duplicate before its final row).
    /// </summary>
    public static List<MeterRow> GenerateWithQuirks(DateOnly start, DateOnly end)
    {
        var rows = new List<MeterRow>();
        long index = FirstIndex;
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            if (d > start) index += DailyLiters(d);
            if (d == Quirks.MeterChange) index = DailyLiters(d); // the new meter, from 0
            if (d >= Quirks.GapFirst && d <= Quirks.GapLast) continue;
            string type = "R";
            if (d == Quirks.MeterChange) type = "D";
            else if (d == Quirks.Anomaly) type = "A";
            else if (d == Quirks.UnknownV) type = "V";
            else if (d == Quirks.UnknownX) type = "X";
            else if (d > end.AddDays(-Quirks.PendingLastDays)) type = "T";
            if (d == Quirks.PendingThenFinal) rows.Add(new MeterRow(d, "T", index - 40));
            rows.Add(new MeterRow(d, type, index));
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
