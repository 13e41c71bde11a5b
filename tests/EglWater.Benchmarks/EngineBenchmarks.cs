using BenchmarkDotNet.Attributes;
using EglWater.Api.Partner;
using EglWater.Engine;

namespace EglWater.Benchmarks;

/// <summary>The wire parser on a ten-year answer.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private string _answer = string.Empty;

    /// <summary>Ten years, 2016-01-01 to 2025-12-31: 3,653 rows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _answer = TestData.AggregatesAnswer(new DateTime(2016, 1, 1), new DateTime(2025, 12, 31));
        int rows = EglPartnerWire.ParseAggregates("getAllAgregatsByAbonnement.aspx", 200, "application/json", _answer, 1_895_683, out _, out _)!.Count;
        if (rows != 3653) throw new InvalidOperationException($"Expected 3653 rows, parsed {rows}.");
    }

    [Benchmark]
    public int ParseAggregates_TenYears_3653Rows() =>
        EglPartnerWire.ParseAggregates("getAllAgregatsByAbonnement.aspx", 200, "application/json", _answer, 1_895_683, out _, out _)!.Count;
}

/// <summary>The consumption engine on 100,000 readings.</summary>
[MemoryDiagnoser]
public class DailyBenchmarks
{
    private List<EglIndexReading> _readings = new();
    private DateTime _from;
    private DateTime _to;

    [GlobalSetup]
    public void Setup()
    {
        _readings = TestData.Readings(new DateTime(1752, 1, 1), 100_000);
        _from = _readings[0].Date;
        _to = _readings[^1].Date;
    }

    [Benchmark]
    public double Daily_100000Readings()
    {
        double sum = 0;
        foreach (var row in ConsumptionCalculator.Daily(_readings, _from, _to)) sum += row.Liters ?? 0;
        return sum;
    }
}

/// <summary>The aggregator on 100,000 daily rows, by month.</summary>
[MemoryDiagnoser]
public class MonthlyBenchmarks
{
    private List<EglConsumption> _daily = new();
    private DateTime _from;
    private DateTime _to;

    [GlobalSetup]
    public void Setup()
    {
        var readings = TestData.Readings(new DateTime(1752, 1, 1), 100_001);
        _from = readings[1].Date;
        _to = readings[^1].Date;
        _daily = ConsumptionCalculator.Daily(readings, _from, _to).ToList();
        if (_daily.Count != 100_000) throw new InvalidOperationException($"Expected 100000 daily rows, got {_daily.Count}.");
    }

    [Benchmark]
    public int AggregateByMonth_100000DailyRows() => ConsumptionAggregator.Aggregate(_daily, EglGranularity.Month, _from, _to).Count;
}
