namespace EglWater.Simulator;

/// <summary>
/// The benchmark accounts, registered by the simulator's executable (Program.cs), not by the in-process test host.
/// <list type="bullet">
/// <item>The benchmark household (bench@eglwater.test / bench-password / AuthKey bench-auth-key): the demo
/// household's clean series (one real reading a day, no gap, no quirk) over a long history, from 2015-01-01 to
/// today minus the publication lag, so that bench/Invoke-Benchmarks.ps1 can fetch ten full years.</item>
/// <item>The benchmark fleet (benchfleet@eglwater.test, same password and AuthKey): one partner login listing
/// <see cref="FleetSize"/> subscriptions, each with its own clean series from <see cref="FleetHistoryStart"/>
/// (three years on the pinned today of the benchmarks, 2026-01-01: about 110,000 days in all), for the history
/// store's benchmarks (Sync-EglHistory, then -HistoryPath against the same readings as CSV).</item>
/// <item>The benchmark fleet of a thousand (benchfleet1000@eglwater.test, same password and AuthKey): one partner login
/// listing <see cref="Fleet1000Size"/> subscriptions, each publishing the last <see cref="Fleet1000Days"/> days before
/// today (one year, whatever today is, so that the module's first sync reads it in one round trip), for the fleet
/// benchmark (Sync-EglHistory into PostgreSQL and SQLite, the nightly sync, Find-EglLeak over the database). Every
/// <see cref="Fleet1000LeakEvery"/>th one leaks now and then (see <see cref="Fleet1000Liters"/>).</item>
/// </list>
/// Deterministic: the same subscription and day always give the same index.
/// </summary>
public static class BenchAccount
{
    public const string Login = "bench@eglwater.test";
    public const string Password = "bench-password";
    public const string AuthKey = "bench-auth-key";
    public const long Subscription = 1_900_001;
    public static readonly DateOnly HistoryStart = new(2015, 1, 1);

    public const string FleetLogin = "benchfleet@eglwater.test";
    public const int FleetSize = 100;
    public const long FleetFirstSubscription = 1_910_001;
    public static readonly DateOnly FleetHistoryStart = new(2023, 1, 1);

    public static long[] FleetSubscriptions() => Enumerable.Range(0, FleetSize).Select(i => FleetFirstSubscription + i).ToArray();

    public const string Fleet1000Login = "benchfleet1000@eglwater.test";
    public const int Fleet1000Size = 1000;
    public const long Fleet1000FirstSubscription = 1_920_001;

    /// <summary>Days each subscription of the fleet of a thousand publishes: the last ones before today (minus the publication lag).</summary>
    public const int Fleet1000Days = 365;

    /// <summary>
    /// The day the fleet of a thousand's indexes count from: a day's index is the same whatever today is (moving
    /// today publishes a new day and changes no published one). Days before it are never published.
    /// </summary>
    public static readonly DateOnly Fleet1000IndexOrigin = new(2024, 1, 1);

    /// <summary>Every this-many-th subscription of the fleet of a thousand leaks (the last of each hundred: 10 in all).</summary>
    public const int Fleet1000LeakEvery = 100;

    /// <summary>A leaking subscription leaks <see cref="Fleet1000LeakDays"/> days in every <see cref="Fleet1000LeakPeriodDays"/> (then it is repaired).</summary>
    public const int Fleet1000LeakPeriodDays = 120;

    public const int Fleet1000LeakDays = 30;

    /// <summary>Litres a leak adds to a day: 15 L/h.</summary>
    public const long Fleet1000LeakLitersPerDay = 15 * 24;

    public static long[] Fleet1000Subscriptions() => Enumerable.Range(0, Fleet1000Size).Select(i => Fleet1000FirstSubscription + i).ToArray();

    /// <summary>Whether a subscription of the fleet of a thousand is one of the leaking ones.</summary>
    public static bool Fleet1000Leaks(long subscription) => (subscription - Fleet1000FirstSubscription) % Fleet1000LeakEvery == Fleet1000LeakEvery - 1;

    /// <summary>Whether a leaking subscription leaks on a day: <see cref="Fleet1000LeakDays"/> days in every <see cref="Fleet1000LeakPeriodDays"/>, each leaking subscription at its own phase.</summary>
    public static bool Fleet1000Leaking(long subscription, DateOnly day) =>
        Fleet1000Leaks(subscription) && (day.DayNumber + (subscription * 37)) % Fleet1000LeakPeriodDays < Fleet1000LeakDays;

    /// <summary>Litres of a day of the fleet of a thousand: the clean pattern with the subscription's own noise (seed), plus a leak's 360 L on its leaking days.</summary>
    public static long Fleet1000Liters(long subscription, DateOnly day) =>
        MeterData.DailyLiters(day, subscription) + (Fleet1000Leaking(subscription, day) ? Fleet1000LeakLitersPerDay : 0);

    /// <summary>The published rows of a subscription of the fleet of a thousand: every day from today minus <see cref="Fleet1000Days"/> to today minus the lag, all real readings.</summary>
    public static List<MeterRow> Fleet1000Rows(long subscription, DateOnly today, int lag)
    {
        var first = today.AddDays(-Fleet1000Days);
        var last = today.AddDays(-lag);
        var rows = new List<MeterRow>(Fleet1000Days);
        long index = 100_000 + ((subscription - Fleet1000FirstSubscription) * 1_000);
        for (var d = Fleet1000IndexOrigin; d <= last; d = d.AddDays(1))
        {
            if (d > Fleet1000IndexOrigin) index += Fleet1000Liters(subscription, d);
            if (d >= first) rows.Add(new MeterRow(d, "R", index));
        }

        return rows;
    }

    public static void Add(SimulatorState state)
    {
        int lag = state.Options.PublishLagDays;
        state.Add(new Account
        {
            Login = Login,
            Password = Password,
            AuthKey = AuthKey,
            SubscriptionNumber = Subscription,
            Rows = (_, today) => MeterData.Generate(HistoryStart, today.AddDays(-lag)),
        });
        var fleet = FleetSubscriptions();
        state.Add(new Account
        {
            Login = FleetLogin,
            Password = Password,
            AuthKey = AuthKey,
            SubscriptionNumber = fleet[0],
            OtherSubscriptions = fleet.Skip(1).ToArray(),
            // Each its own first index and day-to-day noise (seed), so that a mixed-up subscription shows.
            Rows = (sub, today) => MeterData.Generate(FleetHistoryStart, today.AddDays(-lag), 100_000 + ((sub - FleetFirstSubscription) * 10_000), sub),
        });
        var thousand = Fleet1000Subscriptions();
        state.Add(new Account
        {
            Login = Fleet1000Login,
            Password = Password,
            AuthKey = AuthKey,
            SubscriptionNumber = thousand[0],
            OtherSubscriptions = thousand.Skip(1).ToArray(),
            Rows = (sub, today) => Fleet1000Rows(sub, today, lag),
        });
    }
}
