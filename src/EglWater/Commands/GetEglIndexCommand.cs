using System;
using System.Management.Automation;
using EglWater;
using EglWater.Engine;

namespace EglWater.Commands
{
    /// <summary>The meter's daily index readings, in date order, as the API publishes them.</summary>
    [Cmdlet(VerbsCommon.Get, "EglIndex")]
    [OutputType(typeof(EglIndexReading))]
    public sealed class GetEglIndexCommand : EglDataCmdlet
    {
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ActiveSession.PartnerSession is null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new NotSupportedException(
                        $"The session of {ActiveSession.UserName} uses the customer portal API, which gives daily volumes, not meter indexes. Use Get-EglConsumption for the daily, weekly, monthly or yearly litres; index readings need a partner session (Connect-Egl with -AuthKey)."),
                    "EglNotSupported",
                    ErrorCategory.InvalidOperation,
                    ActiveSession));
            }
        }

        protected override void ProcessRecord()
        {
            var (from, to) = ResolveRange();
            if (DateRange.FetchWindow(from, to, TodayInParis, dayBefore: false) is not { } window) return;
            foreach (long subscription in ResolveSubscriptions())
            {
                foreach (var chunk in FetchReadings(subscription, window.From, window.To, string.Empty))
                {
                    if (chunk.Items is null) continue;
                    foreach (var reading in chunk.Items) WriteObject(reading);
                }
            }
        }
    }
}
