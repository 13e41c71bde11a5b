using System.Collections.Concurrent;
using EglWater.Store;
using EglWater.Store.Postgres;
using EglWater.Store.Sqlite;

namespace EglWater.Tests;

/// <summary>Many subscriptions synced at once into one store: the throttle, failures kept apart, locks held elsewhere.</summary>
public sealed class FleetSyncTests : IDisposable
{
    private static readonly DateTime Today = new(2026, 3, 15);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A day API per subscription that counts the requests in flight at once, and fails the subscriptions it is told
    /// to. With <paramref name="openAt"/>, the first requests wait until that many are in flight (at most 5 s), so
    /// that a sync that may send them together always has them in flight together, however the threads are scheduled.
    /// </summary>
    private sealed class CountingApi(int openAt = 0) : IEglDayApi
    {
        private readonly FakeDayApi _inner = new(EglApiKind.Partner, new DateTime(2025, 6, 1), new DateTime(2026, 3, 13));
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;

        public int MaxInFlight;

        public HashSet<long> Failing { get; } = new();

        public ConcurrentBag<long> Asked { get; } = new();

        public EglIndexAvailability Indexes => EglIndexAvailability.Always;

        public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => _inner.Split(from, to);

        public async Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            Asked.Add(subscriptionNumber);
            int now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MaxInFlight, now);
            try
            {
                if (now >= openAt) _open.TrySetResult();
                await Task.WhenAny(_open.Task, Task.Delay(5000, cancellationToken));
                await Task.Delay(20, cancellationToken);
                if (Failing.Contains(subscriptionNumber)) throw new EglConnectionException("The connection was reset.");
                return await _inner.ReadDaysAsync(subscriptionNumber, from, to, options, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    /// <summary>A store that passes everything to another; the test stores below change one member each.</summary>
    private class DelegatingStore(IHistoryStore inner) : IHistoryStore
    {
        public string Location => inner.Location;

        public IReadOnlyList<long> Subscriptions() => inner.Subscriptions();

        public IReadOnlyDictionary<long, EglApiKind> Apis() => inner.Apis();

        public HistorySubscriptionState? State(long subscriptionNumber) => inner.State(subscriptionNumber);

        public virtual HistoryWrite Write(long s, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? start, bool complete, DateTimeOffset now) =>
            inner.Write(s, api, from, to, records, start, complete, now);

        public virtual IDisposable? TryLock(long subscriptionNumber) => inner.TryLock(subscriptionNumber);

        public IReadOnlyList<EglDayRecord> Read(long subscriptionNumber, DateTime from, DateTime to) => inner.Read(subscriptionNumber, from, to);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>A store whose lock on some subscriptions is held by another worker.</summary>
    private sealed class HeldElsewhere(IHistoryStore inner, params long[] held) : DelegatingStore(inner)
    {
        public override IDisposable? TryLock(long subscriptionNumber) => held.Contains(subscriptionNumber) ? null : base.TryLock(subscriptionNumber);
    }

    private static async Task<List<FleetSyncEvent>> Run(IEglDayApi api, IHistoryStore store, IReadOnlyList<long> subscriptions, int throttle)
    {
        using var fleet = new FleetSync(api, EglApiKind.Partner, store, subscriptions, Today, null, TestSupport.FastOptions(), DateTimeOffset.UtcNow, throttle, CancellationToken.None);
        var events = new List<FleetSyncEvent>();
        while (await fleet.NextAsync() is { } e) events.Add(e);
        return events;
    }

    [Fact]
    public async Task Syncs_every_subscription_at_most_throttle_at_a_time_into_one_store()
    {
        var subs = Enumerable.Range(1, 24).Select(i => 5_000_000L + i).ToList();
        var api = new CountingApi(openAt: 8);
        using var store = SqliteHistoryStore.Open(_temp.File("fleet.db"), write: true);
        var events = await Run(api, store, subs, throttle: 4);

        var done = events.Where(e => e.Kind == FleetSyncEventKind.Done).ToList();
        Assert.Equal(subs, done.Select(e => e.SubscriptionNumber).Order());
        Assert.Equal(Enumerable.Range(1, 24), done.Select(e => e.Done));
        Assert.All(done, e => Assert.Equal(24, e.Total));
        Assert.All(done, e => Assert.Equal(new DateTime(2025, 6, 1), e.State!.FirstDay));
        Assert.All(done, e => Assert.Equal(e.Requests, api.Asked.Count(s => s == e.SubscriptionNumber)));
        // Four subscriptions at once, each with at most two requests in flight (the backward walk's pair).
        Assert.Equal(8, api.MaxInFlight);
        Assert.Equal(subs, store.Subscriptions());
    }

    [Fact]
    public async Task One_subscription_at_a_time_with_a_throttle_of_one()
    {
        var api = new CountingApi(openAt: 2);
        using var store = SqliteHistoryStore.Open(_temp.File("one.db"), write: true);
        await Run(api, store, [1, 2, 3, 4], throttle: 1);
        Assert.Equal(2, api.MaxInFlight);
    }

    [Fact]
    public async Task A_failing_subscription_is_reported_and_the_others_complete()
    {
        var api = new CountingApi();
        api.Failing.Add(2);
        using var store = SqliteHistoryStore.Open(_temp.File("failing.db"), write: true);
        var events = await Run(api, store, [1, 2, 3], throttle: 2);
        Assert.Contains(events, e => e.Kind == FleetSyncEventKind.Step && e.SubscriptionNumber == 2 && e.Step!.Error is EglConnectionException);
        Assert.Equal([1L, 2L, 3L], events.Where(e => e.Kind == FleetSyncEventKind.Done).Select(e => e.SubscriptionNumber).Order());
        Assert.Null(store.State(2));
        Assert.NotNull(store.State(1)!.LastDay);
        Assert.NotNull(store.State(3)!.LastDay);
    }

    [Fact]
    public async Task A_subscription_another_worker_holds_is_skipped_without_a_request()
    {
        var api = new CountingApi();
        using var store = new HeldElsewhere(SqliteHistoryStore.Open(_temp.File("held.db"), write: true), 2);
        var events = await Run(api, store, [1, 2, 3], throttle: 3);
        Assert.Equal(FleetSyncEventKind.Skipped, events.Single(e => e.SubscriptionNumber == 2).Kind);
        Assert.DoesNotContain(2L, api.Asked);
        Assert.Equal(2, events.Count(e => e.Kind == FleetSyncEventKind.Done));
    }

    /// <summary>A store that counts its writes and lets the test hold the first one until it says so.</summary>
    private sealed class GatedStore(IHistoryStore inner) : DelegatingStore(inner)
    {
        public readonly ManualResetEventSlim FirstWriteEntered = new(false);
        public readonly ManualResetEventSlim Release = new(false);
        private int _writes;

        public readonly ConcurrentQueue<string> Log = new();

        public int Writes => Volatile.Read(ref _writes);

        public override HistoryWrite Write(long s, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? start, bool complete, DateTimeOffset now)
        {
            FirstWriteEntered.Set();
            Release.Wait(TimeSpan.FromSeconds(60));
            Interlocked.Increment(ref _writes);
            Log.Enqueue(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} {1:yyyy-MM-dd}", s, from));
            return base.Write(s, api, from, to, records, start, complete, now);
        }
    }

    [Fact]
    public async Task Stopping_lets_the_write_in_progress_end_writes_nothing_after_it_and_returns_when_the_workers_have_stopped()
    {
        var api = new CountingApi();
        using var store = new GatedStore(SqliteHistoryStore.Open(_temp.File("stop.db"), write: true));
        var fleet = new FleetSync(api, EglApiKind.Partner, store, [1, 2, 3, 4, 5, 6], Today, null, TestSupport.FastOptions(), DateTimeOffset.UtcNow, 3, CancellationToken.None);
        Assert.True(store.FirstWriteEntered.Wait(TimeSpan.FromSeconds(30)));

        // Ctrl+C while a write waits: Dispose must wait for it (not return under a running worker).
        // Its own thread: the workers block pool threads in Write, and the pool is slow to add more on 2 cores.
        var stopping = Task.Factory.StartNew(fleet.Dispose, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // The write is released only once the stop is asked for, however late Dispose's thread starts.
        await Hardening.Until(() => fleet.Stopping);
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted);
        store.Release.Set();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        // Whatever was written before Dispose returned is all there will be: no worker writes afterwards.
        int writes = store.Writes;
        Assert.True(writes is >= 1 and <= 3, "writes after the stop: " + string.Join(" | ", store.Log));
        await Task.Delay(300);
        Assert.Equal(writes, store.Writes);
    }

    /// <summary>A store that fails one subscription's writes with an exception the module does not know.</summary>
    private sealed class BrokenFor(IHistoryStore inner, long broken) : DelegatingStore(inner)
    {
        public override HistoryWrite Write(long s, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? start, bool complete, DateTimeOffset now) =>
            s == broken ? throw new InvalidOperationException("a defect") : base.Write(s, api, from, to, records, start, complete, now);
    }

    [Fact]
    public async Task An_unexpected_exception_fails_its_subscription_only_and_reaches_the_caller_as_it_was()
    {
        using var store = new BrokenFor(SqliteHistoryStore.Open(_temp.File("broken.db"), write: true), 2);
        var events = await Run(new CountingApi(), store, [1, 2, 3], throttle: 3);
        var failed = events.Single(e => e.Kind == FleetSyncEventKind.Failed);
        Assert.Equal(2, failed.SubscriptionNumber);
        Assert.Equal("a defect", Assert.IsType<InvalidOperationException>(failed.Error).Message);
        Assert.Equal([1L, 3L], events.Where(e => e.Kind == FleetSyncEventKind.Done).Select(e => e.SubscriptionNumber).Order());
        Assert.Equal([1, 2, 3], events.Where(e => e.Kind is FleetSyncEventKind.Done or FleetSyncEventKind.Failed).Select(e => e.Done));
    }

    [Fact]
    public async Task No_subscription_ends_at_once()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("none.db"), write: true);
        Assert.Empty(await Run(new CountingApi(), store, [], throttle: 4));
    }
}

public class PostgresDescribeTests
{
    [Theory]
    [InlineData("Host=db.example;Database=water;Username=egl;Password=s3cret-PW", "s3cret-PW")]
    [InlineData("Host=db.example;Database=water;Username=egl;PASSWORD=s3cret-PW;Port=5433", "s3cret-PW")]
    [InlineData("Host=db.example;Password='s3;cret'", "s3;cret")]
    [InlineData("Host=db.example;Username=egl;Passfile=/home/me/.pgpass-secret", ".pgpass-secret")]
    [InlineData("Host=db.example;SSL Password=s3cret-KEY", "s3cret-KEY")]
    [InlineData("Host=db.example;SslPassword=s3cret-KEY;SSL Mode=Require", "s3cret-KEY")]
    [InlineData("Host=db.example;PWD=s3cret-PW", "s3cret-PW")]
    [InlineData("Host=db.example;PSW=s3cret-PW", "s3cret-PW")]
    public void A_connection_string_is_shown_without_its_secrets(string connectionString, string secret)
    {
        string shown = PostgresHistoryStore.Describe(connectionString);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        Assert.Contains("db.example", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", shown, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_password_with_an_unquoted_semicolon_is_not_quoted_back_in_the_error()
    {
        // "Password=Pa;zq9x=w" reads as Password=Pa and a keyword "zq9x": Npgsql's own message names that keyword.
        const string text = "Host=db;Username=egl;Password=Pa;zq9x=w";
        var ex = Assert.Throws<EglHistoryAccessException>(() => PostgresHistoryStore.Open(text, null, null, write: false));
        Assert.DoesNotContain("zq9x", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("double quotes", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("zq9x", PostgresHistoryStore.Describe(text), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_that_cannot_be_read_is_not_echoed()
    {
        string shown = PostgresHistoryStore.Describe("Host=db;Password=s3cret;NoSuchKeyword=1");
        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        var ex = Assert.Throws<EglHistoryAccessException>(() => PostgresHistoryStore.Open("Host=db;Password=s3cret;NoSuchKeyword=1", null, null, write: false));
        Assert.DoesNotContain("s3cret", ex.ToString(), StringComparison.Ordinal);
    }
}
