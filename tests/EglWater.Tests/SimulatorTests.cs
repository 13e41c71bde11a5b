using System.Net.Http;
using EglWater.Api;
using EglWater.Simulator;
using Microsoft.AspNetCore.Builder;
using static EglWater.Tests.TestSupport;

namespace EglWater.Tests;

/// <summary>The client against the simulator hosted in this process.</summary>
public sealed class SimulatorTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync() => (_app, _base) = await SimulatorApp.StartAsync(new SimulatorOptions { Today = Today });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static EglCredential Demo() =>
        new(SimulatorState.DemoLogin, Secure(SimulatorState.DemoPassword), Secure(SimulatorState.DemoAuthKey));

    [Fact]
    public void The_simulator_serves_under_the_ws_prefix()
    {
        Assert.Equal("/ws", _base.AbsolutePath);
        Assert.True(_base.IsLoopback);
    }

    [Fact]
    public async Task Login_then_readings_match_the_simulator_data_across_summer_time()
    {
        var session = new EglPartnerSession(new EglPartnerClient(new HttpClient()), _base, Demo());
        await session.LoginAsync(FastOptions(), CancellationToken.None);
        Assert.Equal(SimulatorState.DemoSubscription, session.SubscriptionNumber);

        var readings = await session.GetReadingsAsync(session.SubscriptionNumber, new DateTime(2025, 3, 28), new DateTime(2025, 4, 2), FastOptions(), CancellationToken.None);

        // The demo data sends one day twice (pending then final): the last row of a day is its truth.
        var truth = SimulatorState.DemoRows(Today, 1).GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(6, readings.Count);
        foreach (var r in readings)
        {
            var t = truth[DateOnly.FromDateTime(r.Date)];
            Assert.Equal(t.Index, r.Index);
            Assert.Equal(t.Type, r.RawType);
        }

        Assert.Equal(new DateTime(2025, 3, 28), readings[0].Date);
        Assert.Equal(new DateTime(2025, 4, 2), readings[^1].Date);
    }

    [Fact]
    public void The_simulator_writes_Paris_midnight_with_the_season_offset()
    {
        Assert.Equal("2025-01-15T00:00:00+01:00", Paris.DateReleve(new DateOnly(2025, 1, 15)));
        Assert.Equal("2025-07-15T00:00:00+02:00", Paris.DateReleve(new DateOnly(2025, 7, 15)));
        Assert.Equal("2025-03-30T00:00:00+01:00", Paris.DateReleve(new DateOnly(2025, 3, 30)));
        Assert.Equal("2025-03-31T00:00:00+02:00", Paris.DateReleve(new DateOnly(2025, 3, 31)));
    }

    [Fact]
    public async Task A_wrong_AuthKey_is_refused_by_the_simulator()
    {
        var client = new EglPartnerClient(new HttpClient());
        var bad = new EglCredential(SimulatorState.DemoLogin, Secure(SimulatorState.DemoPassword), Secure("nope"));
        var ex = await Assert.ThrowsAsync<EglAuthenticationException>(() => client.LoginAsync(_base, bad, FastOptions(), CancellationToken.None));
        Assert.NotEqual("100", ex.Code);
    }

    [Fact]
    public async Task The_simulator_answers_a_non_100_code_to_an_invalid_date()
    {
        var client = new EglPartnerClient(new HttpClient());
        var login = await client.LoginAsync(_base, Demo(), FastOptions(), CancellationToken.None);
        using var http = new HttpClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = login.Token,
            ["num_abt"] = login.SubscriptionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["date_debut"] = "31/12/2024",
            ["date_fin"] = "01/15/2025",
        });
        var response = await http.PostAsync(EglServers.Combine(_base, EglPartnerEndpoints.AggregatesRoute), form);
        string text = await response.Content.ReadAsStringAsync();
        var rows = EglPartnerWire.ParseAggregates("r", 200, null, text, 1, out var code, out var message);
        Assert.Null(rows);
        Assert.NotEqual("100", code);
        Assert.Contains("date", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_demo_data_is_deterministic_realistic_and_three_years_long()
    {
        var a = SimulatorState.DemoRows(Today, 1);
        var b = SimulatorState.DemoRows(Today, 1);
        Assert.Equal(a, b);
        Assert.True(a.Count >= 3 * 365);
        // Consecutive final days only: the demo data also has its quirks (a gap, a meter change, pending rows).
        var daily = a.Zip(a.Skip(1), (x, y) => (x, y))
            .Where(p => p.y.Day == p.x.Day.AddDays(1) && p.x.Type != "T" && p.y.Type is not ("T" or "D"))
            .Select(p => (p.y.Day, Liters: p.y.Index - p.x.Index)).ToList();
        Assert.All(daily, d => Assert.InRange(d.Liters, 100, 800));
        double weekend = daily.Where(d => d.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(d => d.Liters);
        double week = daily.Where(d => d.Day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(d => d.Liters);
        Assert.True(weekend > week * 1.15, $"weekend {weekend} vs week {week}");
        double july = daily.Where(d => d.Day.Month == 7).Average(d => d.Liters);
        double january = daily.Where(d => d.Day.Month == 1).Average(d => d.Liters);
        Assert.True(july > january * 1.3, $"july {july} vs january {january}");
    }
}
