using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EglWater.Simulator;

/// <summary>Start-up options; each can be given on the command line as --name value.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The path prefix of the routes (production has /ws).</summary>
    public string Prefix { get; set; } = "/ws";

    /// <summary>The simulator's "today" in Paris; the real Paris date when not set. Tests pin it.</summary>
    public DateOnly? Today { get; set; }

    /// <summary>Days the publication lags behind today: the last day served is today minus this.</summary>
    public int PublishLagDays { get; set; } = 1;

    /// <summary>Delay added to every API answer.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Exit when standard input closes (the parent process went away).</summary>
    public bool ExitOnStdinClose { get; set; }

    /// <summary>The fault plan of every login without one of its own (see <see cref="FaultPlan.FromConfiguration"/>).</summary>
    public FaultPlan Faults { get; set; } = new();

    public DateOnly EffectiveToday => Today ?? Paris.Today;

    public string NormalizedPrefix
    {
        get
        {
            string p = (Prefix ?? string.Empty).Trim().Trim('/');
            return p.Length == 0 ? string.Empty : "/" + p;
        }
    }

    public static SimulatorOptions FromConfiguration(IConfiguration config)
    {
        var o = new SimulatorOptions();
        if (config["prefix"] is { } prefix) o.Prefix = prefix;
        if (config["today"] is { Length: > 0 } today) o.Today = DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (config["publish-lag"] is { Length: > 0 } lag) o.PublishLagDays = int.Parse(lag, CultureInfo.InvariantCulture);
        if (config["latency-ms"] is { Length: > 0 } latency) o.LatencyMs = int.Parse(latency, CultureInfo.InvariantCulture);
        if (config["exit-on-stdin-close"] is { Length: > 0 } exit) o.ExitOnStdinClose = bool.Parse(exit);
        o.Faults = FaultPlan.FromConfiguration(config);
        return o;
    }
}
