namespace EglWater.Simulator;

/// <summary>
/// One day of a household as the simulator serves it: the litres of the day, the meter index at the end of
/// the day (a real "R" reading), and the portal's extras: <c>debitMin</c> (the day's smallest flow, L/h) and
/// <c>volumeEstimeFuite</c> (the provider's estimate of the litres lost to a leak that day).
/// </summary>
public sealed record HouseholdDay(DateOnly Day, long Liters, long Index, double DebitMin, double VolumeEstimeFuite)
{
    /// <summary>The day as a row of the partner API's data route.</summary>
    public MeterRow Row => new(Day, "R", Index);
}

/// <summary>
/// A deterministic household: the same day and seed always give the same litres, minimum flow and leak
/// estimate. Pure: no registration, no clock; the simulator's accounts serve <see cref="Rows"/> (partner API)
/// and <see cref="Days"/> (portal).
/// </summary>
public sealed class Household
{
    private readonly Func<DateOnly, long> _liters;
    private readonly Func<DateOnly, double> _debitMin;
    private readonly Func<DateOnly, double> _leakEstimate;

    internal Household(string name, long seed, Func<DateOnly, long> liters, Func<DateOnly, double> debitMin, Func<DateOnly, double> leakEstimate)
    {
        Name = name;
        Seed = seed;
        _liters = liters;
        _debitMin = debitMin;
        _leakEstimate = leakEstimate;
    }

    /// <summary>"normal", "leak" or "spike".</summary>
    public string Name { get; }

    /// <summary>The seed of the normal pattern underneath (<see cref="MeterData.DailyLiters"/>).</summary>
    public long Seed { get; }

    /// <summary>Litres consumed on a day (the index of the day minus the one before).</summary>
    public long Liters(DateOnly day) => _liters(day);

    /// <summary>The portal's debitMin of a day, in L/h.</summary>
    public double DebitMin(DateOnly day) => _debitMin(day);

    /// <summary>The portal's volumeEstimeFuite of a day, in litres.</summary>
    public double VolumeEstimeFuite(DateOnly day) => _leakEstimate(day);

    /// <summary>
    /// The days from <paramref name="start"/> to <paramref name="end"/> (inclusive). The first day carries
    /// <paramref name="firstIndex"/> (its litres are those of the day, like every other day's, but no index
    /// before it exists), as in <see cref="MeterData.Generate"/>.
    /// </summary>
    public List<HouseholdDay> Days(DateOnly start, DateOnly end, long firstIndex = MeterData.FirstIndex)
    {
        var days = new List<HouseholdDay>();
        long index = firstIndex;
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            long liters = Liters(d);
            if (d > start) index += liters;
            days.Add(new HouseholdDay(d, liters, index, DebitMin(d), VolumeEstimeFuite(d)));
        }

        return days;
    }

    /// <summary>The index rows (all "R") from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public List<MeterRow> Rows(DateOnly start, DateOnly end, long firstIndex = MeterData.FirstIndex) =>
        Days(start, end, firstIndex).Select(d => d.Row).ToList();
}

/// <summary>
/// The households that exercise leak detection: a normal one (any seed), one with a steady leak, one with a
/// single day of large use. All are the normal pattern of <see cref="MeterData.DailyLiters"/> plus their event.
/// </summary>
public static class Households
{
    /// <summary>A normal home: the minimum flow is 0 on most nights and 1 to 3 L/h on about one night in ten (a
    /// toilet refilling, a late dishwasher), never two nights in a row; the provider never estimates a leak.</summary>
    public static Household Normal(long seed = 0) =>
        new("normal", seed, d => MeterData.DailyLiters(d, seed), d => NormalDebitMin(d, seed), _ => 0);

    /// <summary>
    /// A steady leak of <see cref="Leak.LitersPerHour"/> L/h from 00:00 on <paramref name="start"/> (by default
    /// <see cref="Leak.Start"/>), never repaired: 360 L more every day, a minimum flow of at least 15 L/h from that
    /// day, and the provider's estimate (15 L/h × 24 h a day) from <see cref="Leak.EstimateDelayDays"/> days later,
    /// as a real provider's starts late.
    /// </summary>
    public static Household Leaking(long seed = 0, DateOnly? start = null)
    {
        var first = start ?? Leak.Start;
        var estimate = first.AddDays(Leak.EstimateDelayDays);
        return new(
            "leak",
            seed,
            d => MeterData.DailyLiters(d, seed) + (d >= first ? Leak.LitersPerDay : 0),
            d => NormalDebitMin(d, seed) + (d >= first ? Leak.LitersPerHour : 0),
            d => d >= estimate ? Leak.LitersPerDay : 0);
    }

    /// <summary>
    /// A normal home that fills a pool once: <see cref="Spike.ExtraLiters"/> L more on <paramref name="day"/> (by
    /// default <see cref="Spike.Day"/>).
    /// </summary>
    public static Household PoolFill(long seed = 0, DateOnly? day = null)
    {
        var fill = day ?? Spike.Day;
        return new(
            "spike",
            seed,
            d => MeterData.DailyLiters(d, seed) + (d == fill ? Spike.ExtraLiters : 0),
            d => NormalDebitMin(d, seed),
            _ => 0);
    }

    /// <summary>The leak household's known days and rates.</summary>
    public static class Leak
    {
        /// <summary>The leak starts at 00:00 on this day (a Monday) and is still running.</summary>
        public static readonly DateOnly Start = new(2025, 11, 3);

        /// <summary>The provider's estimate starts this many days after the leak.</summary>
        public const int EstimateDelayDays = 2;

        /// <summary>The provider's estimate of the default leak starts on this day.</summary>
        public static readonly DateOnly EstimateStart = new(2025, 11, 5);

        public const long LitersPerHour = 15;

        public const long LitersPerDay = LitersPerHour * 24;
    }

    /// <summary>The spike household's known day.</summary>
    public static class Spike
    {
        /// <summary>A pool filled on 14 July 2025 (a Monday).</summary>
        public static readonly DateOnly Day = new(2025, 7, 14);

        public const long ExtraLiters = 900;
    }

    /// <summary>A normal night's minimum flow: 0, or 1 to 3 L/h when the day draws one and the day before does not.</summary>
    public static double NormalDebitMin(DateOnly day, long seed = 0)
    {
        if (!Flows(day.DayNumber, seed) || Flows(day.DayNumber - 1, seed)) return 0;
        return 1 + (long)(3 * Unit(day.DayNumber, seed ^ 0x5EED)) % 3;
    }

    private static bool Flows(long dayNumber, long seed) => Unit(dayNumber, seed ^ 0x0F10) < 0.1;

    private static double Unit(long n, long seed)
    {
        ulong z = unchecked(((ulong)n * 0xD1B54A32D192ED03UL) + (ulong)seed);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
