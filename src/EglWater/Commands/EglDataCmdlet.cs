using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Engine;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>
    /// Base of the cmdlets that read a date range: -StartDate / -EndDate (calendar days, end
    /// inclusive, the last 30 days by default), -SubscriptionNumber, and the chunked fetch.
    /// </summary>
    public abstract class EglDataCmdlet : EglSessionCmdlet
    {
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

        /// <summary>
        /// The clock of the data cmdlets (the default range, the last day any API can have published). A seam for
        /// tests that pin "now" around Paris midnight; nothing else sets it.
        /// </summary>
        internal static Func<DateTimeOffset> UtcNow = () => DateTimeOffset.UtcNow;

        /// <summary>Today in Paris: the default end, and the last day any API can have published.</summary>
        protected static DateTime TodayInParis => EglParisTime.TodayAt(UtcNow());

        /// <summary>The inclusive range in calendar days, checked (start not after end).</summary>
        protected (DateTime From, DateTime To) ResolveRange()
        {
            if (!DateRange.TryResolve(StartDate, EndDate, TodayInParis, out var from, out var to, out var problem))
                ThrowArgument(problem + ". Give a start on or before the end.", "EglInvalidDateRange", StartDate);
            return (from, to);
        }

        /// <summary>
        /// The subscriptions to read: -SubscriptionNumber (each one checked against the session's
        /// list, before any request), or the session's main one.
        /// </summary>
        protected IReadOnlyList<long> ResolveSubscriptions()
        {
            if (SubscriptionNumber is null || SubscriptionNumber.Length == 0) return new[] { ActiveSession.SubscriptionNumber };
            var known = ActiveSession.Backend.Subscriptions;
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

        /// <summary>One chunk of a fetch: its days, and its items, or null when its request failed (the error is written).</summary>
        protected sealed class FetchedChunk<T>
        {
            public FetchedChunk(DateTime from, DateTime to, IReadOnlyList<T>? items)
            {
                From = from;
                To = to;
                Items = items;
            }

            public DateTime From { get; }

            public DateTime To { get; }

            /// <summary>The chunk's items (sorted by day, inside [From, To]), or null: the request failed.</summary>
            public IReadOnlyList<T>? Items { get; }
        }

        /// <summary>Index readings of [from, to] of one subscription, chunk by chunk (see the generic overload).</summary>
        protected IEnumerable<FetchedChunk<EglIndexReading>> FetchReadings(long subscription, DateTime from, DateTime to, string lostDaysNote)
        {
            var api = ActiveSession.PartnerSession
                ?? throw new InvalidOperationException("Index readings come from the partner API only.");
            var options = RequestOptions;
            return FetchChunks(subscription, from, to, EglRangeFetcher.DefaultChunkDays, (start, end, ct) => api.GetReadingsAsync(subscription, start, end, options, ct), r => r.Date, lostDaysNote);
        }

        /// <summary>
        /// Fetches [from, to] of one subscription in chunks of at most <paramref name="chunkDays"/> days, at most
        /// <see cref="EglRangeFetcher.DefaultParallelism"/> at a time, and yields each chunk in date order as soon as
        /// it and every chunk before it are complete. Runs on the pipeline thread. A chunk that fails is a
        /// non-terminating error naming the days lost (terminating under -ErrorAction Stop) and is yielded with
        /// no items; the others still come. A failure that breaks the session (closed, refused login, firewall
        /// block, session cap) stops the command at once. Items outside a chunk's days (a server that answers
        /// more than it was asked) are dropped with a verbose line. Reports progress when there are several
        /// chunks, under one activity id, completed at the end. Stopping the enumeration cancels the chunks in flight.
        /// </summary>
        protected IEnumerable<FetchedChunk<T>> FetchChunks<T>(
            long subscription, DateTime from, DateTime to, int chunkDays, Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<T>>> fetch, Func<T, DateTime> dayOf, string lostDaysNote)
        {
            var chunks = EglRangeFetcher.Split(from, to, chunkDays);
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            var tasks = EglRangeFetcher.Start(fetch, from, to, cancel.Token, chunkDays);
            // A fresh record per write: hosts and tests may keep the ones already written.
            bool showProgress = chunks.Count > 1;
            const string activity = "Reading EGL meter data";
            bool completed = false;
            try
            {
                for (int i = 0; i < tasks.Count; i++)
                {
                    var (start, end) = chunks[i];
                    if (showProgress)
                    {
                        string status = string.Format(
                            CultureInfo.InvariantCulture,
                            "Subscription {0}: {1:yyyy-MM-dd} to {2:yyyy-MM-dd} (part {3} of {4})",
                            subscription,
                            start,
                            end,
                            i + 1,
                            chunks.Count);
                        WriteProgress(new ProgressRecord(ProgressActivityId, activity, status) { PercentComplete = 100 * i / chunks.Count });
                    }

                    yield return new FetchedChunk<T>(start, end, AwaitChunk(tasks[i], subscription, start, end, dayOf, lostDaysNote, cancel));
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

        /// <summary>One request's items (sorted, inside [from, to]), or null after writing the error; terminating when the session is broken.</summary>
        protected IReadOnlyList<T>? AwaitChunk<T>(
            Task<IReadOnlyList<T>> task, long subscription, DateTime from, DateTime to, Func<T, DateTime> dayOf, string lostDaysNote, CancellationTokenSource? cancel = null)
        {
            try
            {
                var items = Await(task);
                var inside = items.Where(item => dayOf(item) >= from && dayOf(item) <= to).OrderBy(dayOf).ToList();
                if (inside.Count < items.Count)
                {
                    WriteVerbose(string.Format(
                        CultureInfo.InvariantCulture,
                        "Subscription {0}: the answer for {1} held {2} row(s) outside the days asked; they were left out (the request that covers their days reads them).",
                        subscription,
                        DateRange.Format(from, to),
                        items.Count - inside.Count));
                }

                return inside;
            }
            catch (EglException ex) when (BreaksSession(ex))
            {
                cancel?.Cancel();
                ThrowEgl(ex, subscription);
                return null;
            }
            catch (EglException ex)
            {
                var record = ErrorRecordFor(ex, subscription);
                record.ErrorDetails = new ErrorDetails(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} The days {1} of subscription {2} were not read{3}.",
                    ex.Message,
                    DateRange.Format(from, to),
                    subscription,
                    lostDaysNote));
                WriteError(record);
                return null;
            }
        }

        /// <summary>Failures after which no request of this session can succeed: the command stops at once.</summary>
        private static bool BreaksSession(EglException ex) =>
            ex is EglNotConnectedException || ex is EglAuthenticationException || ex is Api.Portal.EglBlockedException || ex is Api.Portal.EglSessionLimitException;
    }
}
