using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EglWater.Api;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>
    /// Base of the cmdlets that read a date range: -StartDate / -EndDate (calendar days, end
    /// inclusive, the last 30 days by default), -SubscriptionNumber, and the chunked fetch.
    /// </summary>
    public abstract class EglDataCmdlet : EglSessionCmdlet
    {
        /// <summary>Days of the default range, ending today (Paris).</summary>
        public const int DefaultDays = 30;

        /// <summary>The first calendar day (only the date part counts). Default: 29 days before -EndDate.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public DateTime? StartDate { get; set; }

        /// <summary>The last calendar day, inclusive (only the date part counts). Default: today in Paris.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public DateTime? EndDate { get; set; }

        /// <summary>The subscriptions to read; the session's main one by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>The inclusive range in calendar days, checked (start not after end).</summary>
        protected (DateTime From, DateTime To) ResolveRange()
        {
            DateTime to = (EndDate ?? ParisCalendar.Today).Date;
            DateTime from = (StartDate ?? to.AddDays(-(DefaultDays - 1))).Date;
            if (from > to)
            {
                ThrowArgument(
                    string.Format(CultureInfo.InvariantCulture, "-StartDate ({0:yyyy-MM-dd}) is after -EndDate ({1:yyyy-MM-dd}). Give a start on or before the end.", from, to),
                    "EglInvalidDateRange",
                    from);
            }

            return (from, to);
        }

        protected IReadOnlyList<long> ResolveSubscriptions()
        {
            var known = ActiveSession.ApiSession.Subscriptions;
            if (SubscriptionNumber is null || SubscriptionNumber.Length == 0) return new[] { ActiveSession.SubscriptionNumber };
            return SubscriptionNumber.Distinct().ToArray();
        }

        /// <summary>
        /// Fetches [from, to] of one subscription in chunks fetched in parallel, and yields each chunk's
        /// readings (sorted by day) in date order as soon as it is ready. A chunk that fails is written
        /// as a non-terminating error and the others still come.
        /// </summary>
        protected IEnumerable<IReadOnlyList<EglIndexReading>> FetchChunks(long subscription, DateTime from, DateTime to)
        {
            var api = ActiveSession.ApiSession;
            var options = RequestOptions;
            var tasks = EglRangeFetcher.Start(
                (start, end, ct) => api.GetReadingsAsync(subscription, start, end, options, ct),
                from,
                to,
                CancellationToken);
            foreach (var task in tasks)
            {
                IReadOnlyList<EglIndexReading>? chunk = null;
                try
                {
                    chunk = Await(task);
                }
                catch (EglException ex)
                {
                    WriteEgl(ex, subscription);
                }

                if (chunk is not null) yield return chunk.OrderBy(r => r.Date).ToList();
            }
        }
    }
}
