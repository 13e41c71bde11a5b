using System;
using System.Management.Automation;
using EglWater.Api;

namespace EglWater.Commands
{
    /// <summary>The meter's daily index readings, in date order, as the API publishes them (or as a history store kept them).</summary>
    [Cmdlet(VerbsCommon.Get, "EglIndex", DefaultParameterSetName = "Range")]
    [OutputType(typeof(EglIndexReading))]
    public sealed class GetEglIndexCommand : EglDataCmdlet
    {
        /// <summary>The subscriptions to read; the session's main one by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (!ReadsStore && ActiveSession.Backend.Indexes == EglIndexAvailability.Never)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new NotSupportedException(
                        $"The session of {ActiveSession.UserName} uses the customer portal API, whose answers give daily volumes, not meter indexes. Use Get-EglConsumption for the daily, weekly, monthly or yearly litres; index readings need a partner session (Connect-Egl with -AuthKey)."),
                    "EglNotSupported",
                    ErrorCategory.InvalidOperation,
                    ActiveSession));
            }
        }

        protected override void ProcessRecord()
        {
            var (from, to) = ResolveRange();
            foreach (var (subscription, source) in ResolveSources(SubscriptionNumber))
            {
                bool days = false, indexes = false;
                ReadDays(source, subscription, from, to, forConsumption: false, lostDaysNote: string.Empty, batch =>
                {
                    if (batch.Records is null) return;
                    foreach (var record in batch.Records)
                    {
                        days = true;
                        if (record.ToReading() is not { } reading || reading.Date < from || reading.Date > to) continue;
                        indexes = true;
                        WriteObject(reading);
                    }
                });

                // The portal's older answers give volumes only: said per subscription, once its days are read.
                if (days && !indexes)
                {
                    WriteError(new ErrorRecord(
                        new NotSupportedException($"The customer portal gave daily volumes but no meter index for subscription {subscription}{(!ReadsStore ? string.Empty : " (as the history store kept them)")}. Use Get-EglConsumption for its litres; index readings need a portal that gives them or a partner session (Connect-Egl with -AuthKey)."),
                        "EglNotSupported",
                        ErrorCategory.InvalidOperation,
                        subscription));
                }
            }
        }
    }
}
