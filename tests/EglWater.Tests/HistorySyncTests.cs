using System.Collections.Concurrent;
using EglWater.Store;
using EglWater.Engine;
using EglWater.Store.Sqlite;

namespace EglWater.Tests;

/// <summary>
/// A day API that serves a fixed history (a reading a day, pending for the last days), records every request and
/// fails the ones it is told to. Thread-safe: the sync sends requests in parallel.
/// </summary>
internal sealed class FakeDayApi : IEglDayApi
{
    private readonly EglApiKind _kind;

    public FakeDayApi(EglApiKind kind, DateTime first, DateTime last, int pendingDays = 0)
    {
        _kind = kind;
        First = first;
        Last = last;
        PendingDays = pendingDays;
    }

    public DateTime First { get; set; }

    public DateTime Last { get; set; }

    public int PendingDays { get; set; }

    /// <summary>Requests whose first day is one of these fail with EglConnectionException.</summary>
    public HashSet<DateTime> FailFrom { get; } = new();

    public ConcurrentQueue<(DateTime From, DateTime To)> Requests { get; } = new();

    public EglIndexAvailability Indexes => _kind == EglApiKind.Partner ? EglIndexAvailability.Always : EglIndexAvailability.Sometimes;

    public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => EglRangeFetcher.SplitFor(_kind, from, to);

    public async Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
    {
        Requests.Enqueue((from, to));
        await Task.Yield();
        if (FailFrom.Contains(from)) throw new EglConnectionException("The connection to https://example.test/data was reset.");
        var list = new List<EglDayRecord>();
        for (var d = from > First ? from : First; d <= to && d <= Last; d = d.AddDays(1))
        {
            double index = 1_000 + ((d - First).TotalDays * 150) + (d.Day % 7);
            bool pending = d > Last.AddDays(-PendingDays);
            list.Add(_kind == EglApiKind.Partner
                ? new EglDayRecord(subscriptionNumber, d, index, pending ? EglReadingType.Pending : EglReadingType.Real, pending ? "T" : "R")
                : new EglDayRecord(subscriptionNumber, d, null, EglReadingType.Real, string.Empty, 150 + (d.Day % 7)));
        }

        return list;
    }
}

/// <summary>Sync-EglHistory's engine: what it asks, in which order, what it writes, and how it resumes.</summary>
public sealed class HistorySyncTests : IDisposable
{
    private const long Sub = 1895683;
    private static readonly DateTime Today = new(2026, 3, 15);
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 5, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DateTime D(int y, int m, int d) => new(y, m, d);

    private SqliteHistoryStore Store(string name = "h.db") => SqliteHistoryStore.Open(_temp.File(name), write: true);

    private static async Task<(List<HistorySyncStep> Steps, int Requests)> Run(IEglDayApi api, EglApiKind kind, IHistoryStore store, DateTime today, DateTime? start = null)
    {
        using var sync = new HistorySync(api, kind, store, Sub, today, start, TestSupport.FastOptions(), Now, CancellationToken.None);
        var steps = new List<HistorySyncStep>();
        while (await sync.NextAsync() is { } step) steps.Add(step);
        return (steps, sync.Requests);
    }

    private static List<string> Content(IHistoryStore store) =>
        store.Read(Sub, DateRange.EarliestServedDay, Today.AddYears(1)).Select(EglDayRecordText.Of).ToList();

    [Fact]
    public async Task A_first_partner_sync_walks_back_a_year_then_calendar_years_until_one_is_empty()
    {
        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13), pendingDays: 2);
        using var store = Store();
        var (steps, requests) = await Run(api, EglApiKind.Partner, store, Today);

        Assert.Equal(
            [(D(2025, 3, 14), Today), (D(2025, 1, 1), D(2025, 3, 13)), (D(2024, 1, 1), D(2024, 12, 31)), (D(2023, 1, 1), D(2023, 12, 31)), (D(2022, 1, 1), D(2022, 12, 31)), (D(2021, 1, 1), D(2021, 12, 31))],
            steps.Select(s => (s.From, s.To)));
        Assert.All(steps, s => Assert.Equal(HistorySyncPhase.Backward, s.Phase));
        Assert.Equal([false, false, false, false, false, true], steps.Select(s => s.ReachedStart));
        Assert.Equal(6, requests);
        Assert.Equal((D(2026, 3, 13) - D(2022, 11, 1)).Days + 1, steps.Sum(s => s.Written.Added));

        var state = store.State(Sub)!;
        Assert.Equal((D(2022, 11, 1), D(2026, 3, 13), D(2021, 1, 1), true), (state.FirstDay!.Value, state.LastDay!.Value, state.HistoryStart!.Value, state.HistoryComplete));
        Assert.Equal(D(2026, 3, 12), state.FirstPendingDay);
    }

    [Fact]
    public async Task The_walk_sends_two_requests_at_a_time_and_does_not_write_past_the_first_empty_year()
    {
        var api = new FakeDayApi(EglApiKind.Partner, D(2023, 1, 1), D(2026, 3, 13));
        using var store = Store();
        var (steps, requests) = await Run(api, EglApiKind.Partner, store, Today);

        // 2025-03-14.., 2025, 2024, 2023, 2022 (empty: the start); 2021 was sent with 2022 and is not written.
        Assert.Equal(D(2022, 1, 1), steps[^1].From);
        Assert.True(steps[^1].ReachedStart);
        Assert.Equal(6, requests);
        Assert.Contains((D(2021, 1, 1), D(2021, 12, 31)), api.Requests);
        Assert.Equal(D(2022, 1, 1), store.State(Sub)!.HistoryStart);
    }

    [Fact]
    public async Task A_first_portal_sync_walks_back_90_days_at_a_time_until_two_in_a_row_are_empty_not_counting_the_newest()
    {
        // Nothing in the newest 90 days (the portal stopped publishing 100 days ago), 200 days before that.
        var api = new FakeDayApi(EglApiKind.Portal, Today.AddDays(-300), Today.AddDays(-100));
        using var store = Store();
        var (steps, requests) = await Run(api, EglApiKind.Portal, store, Today);

        Assert.All(steps, s => Assert.Equal(89, (s.To - s.From).Days));
        Assert.Equal(Today, steps[0].To);
        Assert.Equal(0, steps[0].Records);
        Assert.True(steps[1].Records > 0);
        Assert.Equal(2, steps.Skip(1).Reverse().TakeWhile(s => s.Records == 0).Count());
        Assert.True(steps[^1].ReachedStart);
        Assert.Equal(steps.Count, requests);
        Assert.Equal(201, store.Read(Sub, DateRange.EarliestServedDay, Today).Count);
    }

    [Fact]
    public async Task An_up_to_date_partner_subscription_costs_one_request_from_ten_days_before_its_last_final_day()
    {
        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13));
        using var store = Store();
        await Run(api, EglApiKind.Partner, store, Today);
        api.Requests.Clear();

        var (steps, requests) = await Run(api, EglApiKind.Partner, store, Today);
        Assert.Equal(1, requests);
        Assert.Equal((D(2026, 3, 3), Today), api.Requests.Single());
        Assert.Equal((0, 0), (steps.Single().Written.Added, steps.Single().Written.Changed));
    }

    [Fact]
    public async Task A_later_sync_rereads_from_the_first_pending_day_and_pending_days_become_final()
    {
        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13), pendingDays: 2);
        using var store = Store();
        await Run(api, EglApiKind.Partner, store, Today);
        Assert.Equal(D(2026, 3, 12), store.State(Sub)!.FirstPendingDay);

        // Two days later: 12 and 13 March are final, 14 and 15 published, 15 pending.
        api.Requests.Clear();
        api.Last = D(2026, 3, 15);
        api.PendingDays = 1;
        var (steps, requests) = await Run(api, EglApiKind.Partner, store, D(2026, 3, 17));
        Assert.Equal(1, requests);
        Assert.Equal((D(2026, 3, 1), D(2026, 3, 17)), api.Requests.Single()); // last final day 11 March - 10
        Assert.Equal((2, 2), (steps.Single().Written.Added, steps.Single().Written.Changed));
        var state = store.State(Sub)!;
        Assert.Equal((D(2026, 3, 15), D(2026, 3, 14)), (state.FirstPendingDay!.Value, state.LastFinalDay!.Value));
    }

    [Fact]
    public async Task A_walk_stopped_by_a_failure_resumes_where_it_stopped_and_ends_as_an_uninterrupted_sync()
    {
        var whole = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13), pendingDays: 2);
        using var reference = Store("reference.db");
        await Run(whole, EglApiKind.Partner, reference, Today);

        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13), pendingDays: 2);
        api.FailFrom.Add(D(2023, 1, 1));
        using var store = Store();
        var (first, _) = await Run(api, EglApiKind.Partner, store, Today);
        Assert.IsType<EglConnectionException>(first[^1].Error);
        Assert.Equal(D(2023, 1, 1), first[^1].From);
        var stopped = store.State(Sub)!;
        Assert.Equal((D(2024, 1, 1), false), (stopped.HistoryStart!.Value, stopped.HistoryComplete));

        api.FailFrom.Clear();
        api.Requests.Clear();
        var (second, requests) = await Run(api, EglApiKind.Partner, store, Today);
        Assert.Equal(HistorySyncPhase.Forward, second[0].Phase);
        Assert.Equal([(D(2023, 1, 1), D(2023, 12, 31)), (D(2022, 1, 1), D(2022, 12, 31)), (D(2021, 1, 1), D(2021, 12, 31))], second.Skip(1).Select(s => (s.From, s.To)));
        Assert.Equal(5, requests); // the recent days, then 2023, 2022, 2021 and 2020 sent with it
        Assert.True(store.State(Sub)!.HistoryComplete);
        Assert.Equal(Content(reference), Content(store));
    }

    [Fact]
    public async Task A_failed_forward_request_writes_nothing_after_it_so_the_next_sync_reads_those_days_again()
    {
        var api = new FakeDayApi(EglApiKind.Portal, D(2025, 1, 1), D(2026, 3, 13));
        using var store = Store();
        api.FailFrom.Add(D(2025, 3, 31)); // the second 90-day request, from the day before -StartDate
        var (steps, _) = await Run(api, EglApiKind.Portal, store, Today, start: D(2025, 1, 1));
        Assert.Equal(2, steps.Count);
        Assert.Null(steps[0].Error);
        Assert.IsType<EglConnectionException>(steps[1].Error);
        Assert.Equal(D(2025, 3, 30), store.State(Sub)!.LastDay);

        api.FailFrom.Clear();
        api.Requests.Clear();
        await Run(api, EglApiKind.Portal, store, Today);
        Assert.Equal(D(2025, 3, 20), api.Requests.Min(r => r.From)); // 30 March - 10
        Assert.Equal((D(2026, 3, 13) - D(2025, 1, 1)).Days + 1, store.Read(Sub, DateRange.EarliestServedDay, Today).Count);
    }

    [Fact]
    public async Task With_StartDate_it_reads_forward_from_that_day_and_the_history_counts_as_complete()
    {
        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13));
        using var store = Store();
        var (steps, requests) = await Run(api, EglApiKind.Partner, store, Today, start: D(2024, 6, 1));
        // From the day before -StartDate: it gives 1 June its consumption.
        Assert.Equal([(D(2024, 5, 31), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31)), (D(2026, 1, 1), Today)], steps.Select(s => (s.From, s.To)));
        Assert.Equal(3, requests);
        var state = store.State(Sub)!;
        Assert.Equal((D(2024, 5, 31), true, D(2024, 5, 31)), (state.HistoryStart!.Value, state.HistoryComplete, state.FirstDay!.Value));

        api.Requests.Clear();
        await Run(api, EglApiKind.Partner, store, Today);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_subscription_stored_from_the_other_api_is_refused_before_any_request()
    {
        using var store = Store();
        store.Write(Sub, EglApiKind.Portal, D(2025, 1, 1), D(2025, 1, 1), [], null, false, Now);
        var api = new FakeDayApi(EglApiKind.Partner, D(2022, 11, 1), D(2026, 3, 13));
        await Assert.ThrowsAsync<EglHistoryApiMismatchException>(() => Run(api, EglApiKind.Partner, store, Today));
        Assert.Empty(api.Requests);
    }
}

/// <summary>The plan's days, at the edges.</summary>
public sealed class HistorySyncPlanTests
{
    private static DateTime D(int y, int m, int d) => new(y, m, d);

    private static HistorySubscriptionState State(DateTime? start, bool complete, DateTime? firstPending, DateTime? lastFinal) =>
        new(1, EglApiKind.Partner, start, complete, D(2020, 1, 1), D(2026, 1, 1), firstPending, lastFinal);

    [Fact]
    public void The_first_partner_request_is_367_days_one_request_and_the_next_ones_calendar_years()
    {
        var first = HistorySyncPlan.BackwardChunk(EglApiKind.Partner, D(2027, 1, 2), first: true);
        Assert.Equal((D(2026, 1, 1), D(2027, 1, 2)), first);
        Assert.Single(EglRangeFetcher.SplitFor(EglApiKind.Partner, first.From, first.To));
        Assert.Equal((D(2025, 1, 1), D(2025, 12, 31)), HistorySyncPlan.BackwardChunk(EglApiKind.Partner, D(2025, 12, 31), first: false));
        Assert.Equal((D(2025, 1, 1), D(2025, 3, 3)), HistorySyncPlan.BackwardChunk(EglApiKind.Partner, D(2025, 3, 3), first: false));
        Assert.Equal((D(2025, 10, 3), D(2025, 12, 31)), HistorySyncPlan.BackwardChunk(EglApiKind.Portal, D(2025, 12, 31), first: true));
        Assert.Equal((DateRange.EarliestServedDay, D(2000, 2, 1)), HistorySyncPlan.BackwardChunk(EglApiKind.Portal, D(2000, 2, 1), first: false));
    }

    [Fact]
    public void The_forward_start_is_the_earlier_of_the_first_pending_day_and_ten_days_before_the_last_final_one()
    {
        DateTime today = D(2026, 3, 15);
        Assert.Null(HistorySyncPlan.ForwardStart(null, today, null));
        Assert.Equal(D(2026, 3, 1), HistorySyncPlan.ForwardStart(State(D(2020, 1, 1), true, null, D(2026, 3, 11)), today, null));
        Assert.Equal(D(2026, 2, 20), HistorySyncPlan.ForwardStart(State(D(2020, 1, 1), true, D(2026, 2, 20), D(2026, 3, 11)), today, null));
        Assert.Equal(D(2026, 3, 1), HistorySyncPlan.ForwardStart(State(D(2020, 1, 1), true, D(2026, 3, 12), D(2026, 3, 11)), today, null));
        Assert.Equal(D(2020, 1, 1), HistorySyncPlan.ForwardStart(State(D(2020, 1, 1), true, null, null), today, null));
        Assert.Equal(D(2024, 5, 5), HistorySyncPlan.ForwardStart(State(D(2020, 1, 1), true, null, D(2026, 3, 11)), today, D(2024, 5, 6)));
        Assert.Equal(today, HistorySyncPlan.ForwardStart(null, today, D(2030, 1, 1)));
        Assert.Equal(DateRange.EarliestServedDay, HistorySyncPlan.ForwardStart(null, today, D(1990, 1, 1)));
    }

    [Fact]
    public void The_walk_goes_on_from_where_it_stopped_and_not_at_all_once_complete_or_with_a_start_date()
    {
        DateTime today = D(2026, 3, 15);
        Assert.Equal(today, HistorySyncPlan.BackwardEnd(null, today, null));
        Assert.Equal(D(2023, 12, 31), HistorySyncPlan.BackwardEnd(State(D(2024, 1, 1), false, null, null), today, null));
        Assert.Null(HistorySyncPlan.BackwardEnd(State(D(2024, 1, 1), true, null, null), today, null));
        Assert.Null(HistorySyncPlan.BackwardEnd(null, today, D(2024, 1, 1)));
        Assert.Null(HistorySyncPlan.BackwardEnd(State(DateRange.EarliestServedDay, false, null, null), today, null));
    }
}
