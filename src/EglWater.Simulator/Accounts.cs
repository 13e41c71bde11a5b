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

    /// <summary>The portal's signals of a day (debitMin in L/h, volumeEstimeFuite in litres); none for most accounts.</summary>
    public Func<DateOnly, (double DebitMin, double LeakLiters)>? Signals { get; init; }
}

/// <summary>The simulator's accounts and the tokens it issued.</summary>
public sealed class SimulatorState
{
    public const string DemoLogin = "demo@eglwater.test";
    public const string DemoPassword = "demo-password";
    public const string DemoAuthKey = "demo-auth-key";
    public const long DemoSubscription = 1_895_683;

    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    private sealed class IssuedToken(Account account, DateTimeOffset issuedAt)
    {
        public Account Account { get; } = account;
        public DateTimeOffset IssuedAt { get; } = issuedAt;
        public int Uses;
        public volatile bool Expired;
    }

    public SimulatorState(SimulatorOptions options)
    {
        Options = options;
        Faults = new Faults(options.Faults);
        Add(new Account
        {
            Login = DemoLogin,
            Password = DemoPassword,
            AuthKey = DemoAuthKey,
            SubscriptionNumber = DemoSubscription,
            Rows = (_, today) => DemoRows(today, options.PublishLagDays),
        });
        Faults.AddAccounts(this);
        HouseholdAccounts.Add(this);
    }

    /// <summary>Fault plans, scripts and the request log (see Faults.cs).</summary>
    public Faults Faults { get; }

    public SimulatorOptions Options { get; }

    public DateOnly Today => Options.EffectiveToday;

    public void Add(Account account) => _accounts[account.Login] = account;

    public Account? Find(string? login) => login is not null && _accounts.TryGetValue(login, out var a) ? a : null;

    public string IssueToken(Account account)
    {
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new IssuedToken(account, DateTimeOffset.UtcNow);
        return token;
    }

    /// <summary>The account of a token the API still accepts (the login's plan may limit a token's life).</summary>
    public Account? FromToken(string? token)
    {
        if (token is null || !_tokens.TryGetValue(token, out var t) || t.Expired) return null;
        var plan = Faults.PlanFor(t.Account.Login);
        int uses = Interlocked.Increment(ref t.Uses);
        if ((plan.TokenLifetimeRequests is { } n && uses > n)
            || (plan.TokenLifetimeSeconds is { } s && DateTimeOffset.UtcNow - t.IssuedAt > TimeSpan.FromSeconds(s)))
        {
            t.Expired = true;
            return null;
        }

        return t.Account;
    }

    /// <summary>The login a token was issued to, expired or not.</summary>
    public string? LoginOf(string? token) => token is not null && _tokens.TryGetValue(token, out var t) ? t.Account.Login : null;

    /// <summary>Every token issued to a login (for tests that look for leaks).</summary>
    public IReadOnlyList<string> TokensOf(string login) =>
        _tokens.Where(kv => string.Equals(kv.Value.Account.Login, login, StringComparison.OrdinalIgnoreCase)).OrderBy(kv => kv.Value.IssuedAt).Select(kv => kv.Key).ToList();

    /// <summary>Makes every token of a login expired, as if time had passed; returns how many.</summary>
    public int ExpireTokens(string login)
    {
        int n = 0;
        foreach (var t in _tokens.Values.Where(t => string.Equals(t.Account.Login, login, StringComparison.OrdinalIgnoreCase) && !t.Expired))
        {
            t.Expired = true;
            n++;
        }

        return n;
    }

    /// <summary>
    /// The demo household's published rows, from the start of the history to today minus the lag, with
    /// every quirk of the real API at fixed days (see <see cref="MeterData.Quirks"/>): a pending row then
    /// its final row, a gap, a meter change, an anomaly, unknown letters, and pending last days.
    /// </summary>
    public static IReadOnlyList<MeterRow> DemoRows(DateOnly today, int publishLagDays) =>
        MeterData.GenerateWithQuirks(MeterData.HistoryStart, today.AddDays(-publishLagDays));
}
