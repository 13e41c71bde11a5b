using System.Net.Http;
using EglWater.Api.Portal;
using EglWater.Engine;
using EglWater.Simulator;
using EglWater.Store;
using EglWater.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>
/// A store synced from the simulator gives, for any range inside what was synced, the very rows the API gives
/// online: the demo household's gap, meter change, anomaly, unknown letters, pending-then-final day and pending
/// last days included, on both APIs, every granularity, with and without interpolation.
/// </summary>
public sealed class HistoryReadTests : IAsyncLifetime
{
    private static readonly DateOnly SimToday = new(2026, 3, 15);
    private static readonly DateTime Today = new(2026, 3, 15);
    private readonly TempFolder _temp = new();
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync() => (_app, _base) = await SimulatorApp.StartAsync(new SimulatorOptions { Today = SimToday });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<IEglBackend> Partner()
    {
        var session = new EglPartnerSession(new EglPartnerClient(new HttpClient()), _base, new EglCredential(SimulatorState.DemoLogin, Secure(SimulatorState.DemoPassword), Secure(SimulatorState.DemoAuthKey)));
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        return session;
    }

    private async Task<IEglBackend> Portal(string login)
    {
        var session = new EglPortalSession(EglTransport.Default, new Uri(_base, "/application"), new EglCredential(login, Secure(SimulatorState.DemoPassword), null));
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        return session;
    }

    private static async Task<IHistoryStore> Synced(IEglBackend backend, string path)
    {
        var store = SqliteHistoryStore.Open(path, write: true);
        using var sync = new HistorySync(backend, backend.Api, store, backend.SubscriptionNumber, Today, null, FastOptions(), DateTimeOffset.UtcNow, CancellationToken.None);
        while (await sync.NextAsync() is { } step) Assert.Null(step.Error);
        return store;
    }

    /// <summary>The rows of Get-EglConsumption: the reader's batches through the pipeline, as the cmdlet runs them.</summary>
    private static async Task<List<string>> Rows(IEglDayApi source, long subscription, DateTime from, DateTime to, EglGranularity granularity, bool interpolate)
    {
        var pipeline = new ConsumptionPipeline(subscription, from, to, granularity, interpolate, Today);
        var rows = new List<EglConsumption>();
        using var reader = new ApiDayReader(source, subscription, from, to, Today, forConsumption: true, FastOptions(), CancellationToken.None);
        while (await reader.NextAsync() is { } batch)
            rows.AddRange(batch.Records is null ? pipeline.AddHole(batch.From, batch.To) : pipeline.Add(batch.Records));
        rows.AddRange(pipeline.Complete());
        return rows.Select(r => string.Join("|", r.Date.ToString("yyyy-MM-dd"), r.EndDate.ToString("yyyy-MM-dd"), r.Days, r.DaysWithData, r.Liters?.ToString("R"), r.Quality, r.RawType, r.Complete, r.MinimumFlowLitersPerHour?.ToString("R"), r.EstimatedLeakLiters?.ToString("R")))
            .Append("issues: " + pipeline.Diagnostics.IssueText)
            .ToList();
    }

    /// <summary>Ranges drawn with a fixed seed: the same ones every run, any length from one day to 500.</summary>
    private static IEnumerable<(DateTime From, DateTime To, EglGranularity Granularity, bool Interpolate)> Drawn(DateTime first, DateTime last, int count)
    {
        var random = new Random(20261202);
        for (int i = 0; i < count; i++)
        {
            var from = first.AddDays(random.Next((last - first).Days + 1));
            var to = from.AddDays(random.Next(501));
            yield return (from, to > last ? last : to, (EglGranularity)random.Next(4), random.Next(2) == 0);
        }
    }

    private static async Task Same(IEglDayApi online, IEglDayApi stored, long subscription, DateTime first)
    {
        // The quirks of the demo household, each in a range of its own, then ranges drawn at random.
        var fixedRanges = new (DateTime, DateTime, EglGranularity, bool)[]
        {
            (new(2024, 8, 1), new(2024, 8, 31), EglGranularity.Day, true),
            (new(2024, 8, 13), new(2024, 8, 13), EglGranularity.Day, false),
            (new(2024, 10, 1), new(2024, 10, 31), EglGranularity.Day, true),
            (new(2024, 6, 10), new(2024, 6, 10), EglGranularity.Day, true),
            (new(2025, 1, 1), new(2025, 12, 31), EglGranularity.Month, true),
            (new(2026, 3, 1), Today, EglGranularity.Day, true),
            (first, Today, EglGranularity.Year, false),
        };
        foreach (var (from, to, granularity, interpolate) in fixedRanges.Concat(Drawn(first, Today, 40)))
        {
            var expected = await Rows(online, subscription, from, to, granularity, interpolate);
            var actual = await Rows(stored, subscription, from, to, granularity, interpolate);
            Assert.True(expected.SequenceEqual(actual), $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd} {granularity} interpolate={interpolate}:\nonline {string.Join("\n       ", expected)}\nstore  {string.Join("\n       ", actual)}");
        }
    }

    [Fact]
    public async Task A_partner_store_gives_the_online_rows_for_any_range()
    {
        var partner = await Partner();
        using var store = await Synced(partner, _temp.File("partner.db"));
        Assert.True(store.State(partner.SubscriptionNumber)!.HistoryComplete);
        await Same(partner, new HistoryDayApi(store, EglApiKind.Partner), partner.SubscriptionNumber, new DateTime(2022, 11, 1));
    }

    [Fact]
    public async Task A_portal_store_gives_the_online_rows_for_any_range_with_and_without_indexes()
    {
        foreach (string login in new[] { SimulatorState.DemoLogin, "teleo@eglwater.test" })
        {
            var portal = await Portal(login);
            using var store = await Synced(portal, _temp.File(login + ".db"));
            await Same(portal, new HistoryDayApi(store, EglApiKind.Portal), portal.SubscriptionNumber, new DateTime(2022, 11, 1));
        }
    }
}
