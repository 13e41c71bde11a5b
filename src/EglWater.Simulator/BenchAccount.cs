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
    }
}
