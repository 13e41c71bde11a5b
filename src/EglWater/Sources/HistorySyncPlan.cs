using System;
using EglWater.Engine;
using EglWater.Store;

namespace EglWater.Sources
{
    /// <summary>
    /// Which days a sync reads, from what the store already holds. Pure: "today" is given.
    /// <para>
    /// Forward: with -StartDate, from the day before it (which gives that day its consumption) to today; else, once the store holds the subscription, from the
    /// earlier of its first pending day and its last final day minus <see cref="RecheckDays"/> (late publication and
    /// corrections) to today: one request on the partner API when that is at most 367 days.
    /// </para>
    /// <para>
    /// Backward (the first sync, and any sync after one that stopped early): newest days first, as far back as
    /// the API serves: on the partner API a year back from today, then calendar years, until one is empty; on
    /// the portal 90 days at a time, until two in a row are empty. The newest request does not count as empty
    /// (publication lags behind today). Never before <see cref="DateRange.EarliestServedDay"/>.
    /// </para>
    /// </summary>
    internal static class HistorySyncPlan
    {
        /// <summary>Final days re-read at every sync: EGL publishes 1 to 5 days late and corrects recent days.</summary>
        public const int RecheckDays = 10;

        /// <summary>The first request of the backward walk on the partner API reaches this many days before today (one request: 367 days).</summary>
        public const int PartnerFirstRequestDays = EglRangeFetcher.MaximumYearRequestDays;

        /// <summary>The first day the forward part reads (to today), or null when there is none (a first sync walks back from today).</summary>
        public static DateTime? ForwardStart(HistorySubscriptionState? state, DateTime today, DateTime? startDate)
        {
            today = today.Date;
            // The day before -StartDate too: it gives the first day its consumption (an index difference).
            if (startDate is { } start) return Clamp(start.Date > DateRange.EarliestServedDay ? start.Date.AddDays(-1) : start.Date, today);
            if (state is null) return null;
            DateTime? recheck = state.LastFinalDay?.AddDays(-RecheckDays);
            DateTime? from = Earlier(state.FirstPendingDay, recheck) ?? state.HistoryStart ?? today;
            return Clamp(from.Value, today);
        }

        /// <summary>The last day of the backward walk's first request, or null when the history is complete (or -StartDate chose it).</summary>
        public static DateTime? BackwardEnd(HistorySubscriptionState? state, DateTime today, DateTime? startDate)
        {
            if (startDate is not null) return null;
            if (state is null) return today.Date;
            if (state.HistoryComplete) return null;
            DateTime end = (state.HistoryStart ?? today.Date.AddDays(1)).AddDays(-1);
            return end < DateRange.EarliestServedDay ? (DateTime?)null : end;
        }

        /// <summary>The backward walk's request that ends on <paramref name="end"/>; <paramref name="first"/> for the walk's newest one on a store that has nothing yet.</summary>
        public static (DateTime From, DateTime To) BackwardChunk(EglApiKind api, DateTime end, bool first)
        {
            DateTime from = api == EglApiKind.Partner
                ? (first ? end.AddDays(1 - PartnerFirstRequestDays) : new DateTime(end.Year, 1, 1))
                : end.AddDays(1 - EglRangeFetcher.PortalChunkDays);
            return (from < DateRange.EarliestServedDay ? DateRange.EarliestServedDay : from, end);
        }

        /// <summary>Empty requests in a row after which the backward walk has gone past the first published day.</summary>
        public static int EmptyRequestsToStop(EglApiKind api) => api == EglApiKind.Partner ? 1 : 2;

        private static DateTime Clamp(DateTime day, DateTime today)
        {
            if (day > today) return today;
            return day < DateRange.EarliestServedDay ? DateRange.EarliestServedDay : day;
        }

        private static DateTime? Earlier(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a < b ? a : b);
    }
}
