namespace EglWater.Simulator;

/// <summary>
/// The benchmark household (bench@eglwater.test / bench-password / AuthKey bench-auth-key): the demo
/// household's clean series (one real reading a day, no gap, no quirk) over a long history, from
/// 2015-01-01 to today minus the publication lag, so that bench/Invoke-Benchmarks.ps1 can fetch ten full
/// years. Registered by the simulator's executable (Program.cs), not by the in-process test host.
/// </summary>
public static class BenchAccount
{
    public const string Login = "bench@eglwater.test";
    public const string Password = "bench-password";
    public const string AuthKey = "bench-auth-key";
    public const long Subscription = 1_900_001;
    public static readonly DateOnly HistoryStart = new(2015, 1, 1);

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
    }
}
