using System;
using System.Management.Automation;
using EglWater.Api;

namespace EglWater.Commands
{
    /// <summary>Base of the cmdlets that send requests: -MaximumRetryCount and -TimeoutSec, in Invoke-RestMethod's words.</summary>
    public abstract class EglRequestCmdlet : EglCmdlet
    {
        /// <summary>Retries of a request after a transient failure (Invoke-RestMethod's name).</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 3;

        /// <summary>Seconds allowed for one attempt of one request (Invoke-RestMethod's name).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = (int)EglRequestOptions.DefaultTimeout.TotalSeconds;

        /// <summary>The request settings of this call: the parameters above and the log that feeds Verbose/Debug/Warning.</summary>
        internal EglRequestOptions RequestOptions => new EglRequestOptions
        {
            MaximumRetryCount = MaximumRetryCount,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Log = Log,
        };
    }
}
