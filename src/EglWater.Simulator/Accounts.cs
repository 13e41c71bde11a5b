using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EglWater.Simulator;

/// <summary>A household login of the simulator.</summary>
public sealed class Account
{
    public required string Login { get; init; }
    public required string Password { get; init; }
    public required string AuthKey { get; init; }
    public required long SubscriptionNumber { get; init; }

    /// <summary>Further subscriptions of the same login (list_num_abt); empty for most.</summary>
    public long[] OtherSubscriptions { get; init; } = [];

    /// <summary>The published rows of each subscription, in the order the API sends them.</summary>
    public required Func<long, DateOnly, IReadOnlyList<MeterRow>> Rows { get; init; }
}

/// <summary>The simulator's accounts and the tokens it issued.</summary>
public sealed class SimulatorState
{
    public const string DemoLogin = "demo@eglwater.test";
    public const string DemoPassword = "demo-password";
    public const string DemoAuthKey = "demo-auth-key";
    public const long DemoSubscription = 1_895_683;

    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Account> _tokens = new(StringComparer.Ordinal);

    public SimulatorState(SimulatorOptions options)
    {
        Options = options;
        Add(new Account
        {
            Login = DemoLogin,
            Password = DemoPassword,
            AuthKey = DemoAuthKey,
            SubscriptionNumber = DemoSubscription,
            Rows = (_, today) => DemoRows(today, options.PublishLagDays),
        });
    }

    public SimulatorOptions Options { get; }

    public DateOnly Today => Options.EffectiveToday;

    public void Add(Account account) => _accounts[account.Login] = account;

    public Account? Find(string? login) => login is not null && _accounts.TryGetValue(login, out var a) ? a : null;

    public string IssueToken(Account account)
    {
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = account;
        return token;
    }

    public Account? FromToken(string? token) => token is not null && _tokens.TryGetValue(token, out var a) ? a : null;

    /// <summary>
    /// The demo household's published rows, from the start of the history to today minus the lag, with
    /// every quirk of the real API at fixed days (see <see cref="MeterData.Quirks"/>): a pending row then
    /// its final row, a gap, a meter change, an anomaly, unknown letters, and pending last days.
    /// </summary>
    public static IReadOnlyList<MeterRow> DemoRows(DateOnly today, int publishLagDays) =>
        MeterData.GenerateWithQuirks(MeterData.HistoryStart, today.AddDays(-publishLagDays));
}
