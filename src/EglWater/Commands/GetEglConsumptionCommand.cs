using System.Collections.Generic;
using System.Management.Automation;
using EglWater.Engine;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>Daily water consumption computed from the meter's index readings.</summary>
    [Cmdlet(VerbsCommon.Get, "EglConsumption")]
    [OutputType(typeof(EglConsumption))]
    public sealed class GetEglConsumptionCommand : EglDataCmdlet
    {
        protected override void ProcessRecord()
        {
            var (from, to) = ResolveRange();
            foreach (long subscription in ResolveSubscriptions())
            {
                // The day before the start gives the first day its value.
                var readings = new List<EglIndexReading>();
                foreach (var chunk in FetchChunks(subscription, from.AddDays(-1), to)) readings.AddRange(chunk);
                foreach (var row in ConsumptionCalculator.Daily(readings, from, to)) WriteObject(row);
            }
        }
    }
}
