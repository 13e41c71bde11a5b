using System.Management.Automation;

namespace EglWater.Commands
{
    /// <summary>The subscriptions of a session, with what the API says of them (the portal: meter diameter, residents, usage, battery).</summary>
    [Cmdlet(VerbsCommon.Get, "EglSubscription")]
    [OutputType(typeof(EglSubscription))]
    public sealed class GetEglSubscriptionCommand : EglSessionCmdlet
    {
        /// <summary>The subscriptions to describe; all of the session's by default.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var subscription in ActiveSession.Backend.SubscriptionDetails)
            {
                if (SubscriptionNumber is null || System.Array.IndexOf(SubscriptionNumber, subscription.SubscriptionNumber) >= 0) WriteObject(subscription);
            }
        }
    }
}
