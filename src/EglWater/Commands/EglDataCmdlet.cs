using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
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

        /// <summary>
        /// The subscriptions to read: -SubscriptionNumber (each one checked against the session's
        /// list, before any request), or the session's main one.
        /// </summary>
        protected IReadOnlyList<long> ResolveSubscriptions()
        {
            if (SubscriptionNumber is null || SubscriptionNumber.Length == 0) return new[] { ActiveSession.SubscriptionNumber };
            var known = ActiveSession.ApiSession.Subscriptions;
            foreach (long n in SubscriptionNumber)
            {
                if (!known.Contains(n))
                {
                    ThrowArgument(
                        string.Format(
                            CultureInfo.InvariantCulture,
                            "The subscription {0} is not one of this login's ({1}). Give one of them to -SubscriptionNumber, or omit it for the main one; (Get-EglSession).Subscriptions lists them.",
                            n,
                            string.Join(", ", known.Select(k => k.ToString(CultureInfo.InvariantCulture)))),
                        "EglUnknownSubscription",
                        n);
                }
            }

            return SubscriptionNumber.Distinct().ToArray();
        }

        /// <summary>The one progress activity of a multi-chunk fetch.</summary>
        internal const int ProgressActivityId = 0x4E57;

        /// <summary>
        /// Fetches [from, to] of one subscription in chunks of at most a year, at most
        /// <see cref="EglRangeFetcher.DefaultParallelism"/> at a time, and yields each chunk's readings
        /// (sorted by day) in date order as soon as it and every chunk before it are complete. Runs on
        /// the pipeline thread. A chunk that fails is written as a non-terminating error (terminating
        /// under -ErrorAction Stop) and the others still come. Reports progress when there are several
        /// chunks, under one activity id, completed at the end. Stopping the enumeration early cancels
        /// the chunks still in flight.
        /// </summary>
        protected IEnumerable<IReadOnlyList<EglIndexReading>> FetchChunks(long subscription, DateTime from, DateTime to)
        {
            var api = ActiveSession.ApiSession;
            var options = RequestOptions;
            var chunks = EglRangeFetcher.Split(from, to);
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            var tasks = EglRangeFetcher.Start(
                (start, end, ct) => api.GetReadingsAsync(subscription, start, end, options, ct),
                from,
                to,
                cancel.Token);
            // A fresh record per write: hosts and tests may keep the ones already written.
            bool showProgress = chunks.Count > 1;
            const string activity = "Reading EGL meter data";
            bool completed = false;
            try
            {
                for (int i = 0; i < tasks.Count; i++)
                {
                    if (showProgress)
                    {
                        string status = string.Format(
                            CultureInfo.InvariantCulture,
                            "Subscription {0}: {1:yyyy-MM-dd} to {2:yyyy-MM-dd} (part {3} of {4})",
                            subscription,
                            chunks[i].From,
                            chunks[i].To,
                            i + 1,
                            chunks.Count);
                        WriteProgress(new ProgressRecord(ProgressActivityId, activity, status) { PercentComplete = 100 * i / chunks.Count });
                    }

                    IReadOnlyList<EglIndexReading>? chunk = null;
                    try
                    {
                        chunk = Await(tasks[i]);
                    }
                    catch (EglException ex)
                    {
                        WriteEgl(ex, subscription);
                    }

                    if (chunk is not null) yield return chunk.OrderBy(r => r.Date).ToList();
                }

                completed = true;
            }
            finally
            {
                cancel.Cancel();
                if (showProgress)
                {
                    try
                    {
                        WriteProgress(new ProgressRecord(ProgressActivityId, activity, completed ? "Done" : "Stopped")
                        {
                            RecordType = ProgressRecordType.Completed,
                            PercentComplete = 100,
                        });
                    }
                    catch (PipelineStoppedException)
                    {
                        // Ctrl+C: nothing more may be written.
                    }
                }
            }
        }
    }
}
