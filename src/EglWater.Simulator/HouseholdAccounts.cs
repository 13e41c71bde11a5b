namespace EglWater.Simulator;

/// <summary>
/// The households of leak detection and of the 2026 portal, as accounts (password demo-password, AuthKey
/// demo-auth-key, on both APIs): a leak that started 45 days before the simulator's today, a pool filled 20
/// days before it, and the demo household served with the portal's 2026 answers (index and signals).
/// Days are relative to today so that the default ranges of Find-EglLeak and the demo always show them.
/// </summary>
public static class HouseholdAccounts
{
    public const string LeakLogin = "leak@eglwater.test";
    public const string SpikeLogin = "spike@eglwater.test";
    public const long LeakSubscription = 1_900_101;
    public const long SpikeSubscription = 1_900_102;

    /// <summary>Days between the leak's start and the simulator's today.</summary>
    public const int LeakStartsDaysAgo = 45;

    /// <summary>Days between the pool fill and the simulator's today.</summary>
    public const int SpikeDaysAgo = 20;

    public static DateOnly LeakStart(DateOnly today) => today.AddDays(-LeakStartsDaysAgo);

    public static DateOnly SpikeDay(DateOnly today) => today.AddDays(-SpikeDaysAgo);

    /// <summary>The fleet login: one partner login listing <see cref="FleetSize"/> subscriptions (list_num_abt).</summary>
    public const string FleetLogin = "fleet@eglwater.test";
    public const int FleetSize = 1000;
    public const long FleetFirstSubscription = 5_000_001;

    /// <summary>Days of history of each fleet household (the first sync of the fleet reads one year).</summary>
    public const int FleetHistoryDays = 365;

    /// <summary>Every <see cref="FleetLeakEvery"/>th fleet subscription leaks (from 45 days before today), the others are normal.</summary>
    public const int FleetLeakEvery = 100;

    public static long[] FleetSubscriptions() => Enumerable.Range(0, FleetSize).Select(i => FleetFirstSubscription + i).ToArray();

    /// <summary>The household of a fleet subscription: its own seed, a leak for one in <see cref="FleetLeakEvery"/>.</summary>
    public static Household FleetHousehold(long subscription, DateOnly today) =>
        (subscription - FleetFirstSubscription) % FleetLeakEvery == FleetLeakEvery - 1
            ? Households.Leaking(subscription, LeakStart(today))
            : Households.Normal(subscription);

    public static void Add(SimulatorState state)
    {
        int lag = state.Options.PublishLagDays;
        Household Leak(DateOnly today) => Households.Leaking(0, LeakStart(today));
        Household Spike(DateOnly today) => Households.PoolFill(0, SpikeDay(today));
        state.Add(new Account
        {
            Login = LeakLogin,
            Password = SimulatorState.DemoPassword,
            AuthKey = SimulatorState.DemoAuthKey,
            SubscriptionNumber = LeakSubscription,
            Rows = (_, today) => Leak(today).Rows(MeterData.HistoryStart, today.AddDays(-lag)),
            Signals = day => (Leak(state.Today).DebitMin(day), Leak(state.Today).VolumeEstimeFuite(day)),
        });
        state.Add(new Account
        {
            Login = SpikeLogin,
            Password = SimulatorState.DemoPassword,
            AuthKey = SimulatorState.DemoAuthKey,
            SubscriptionNumber = SpikeSubscription,
            Rows = (_, today) => Spike(today).Rows(MeterData.HistoryStart, today.AddDays(-lag)),
            Signals = day => (Spike(state.Today).DebitMin(day), 0),
        });
        var fleet = FleetSubscriptions();
        state.Add(new Account
        {
            Login = FleetLogin,
            Password = SimulatorState.DemoPassword,
            AuthKey = SimulatorState.DemoAuthKey,
            SubscriptionNumber = fleet[0],
            OtherSubscriptions = fleet.Skip(1).ToArray(),
            Rows = (sub, today) => FleetHousehold(sub, today).Rows(today.AddDays(-FleetHistoryDays), today.AddDays(-lag), 100_000 + ((sub % 977) * 1_000)),
        });
    }
}
