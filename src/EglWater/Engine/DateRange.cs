using System;
using System.Globalization;

namespace EglWater.Engine
{
    /// <summary>
    /// The calendar-day ranges of the data cmdlets: the default range, and the window actually read from an
    /// API (no request for days before <see cref="EarliestServedDay"/> or after today). Pure: "today" is given.
    /// </summary>
    internal static class DateRange
    {
        /// <summary>Days of the default range, ending today (Paris).</summary>
        public const int DefaultDays = 30;

        /// <summary>
        /// No EGL API serves a day before this one (the partner API's history starts in November 2022, the
        /// portal's a few years back): a range that starts earlier is read from here, so that
        /// <c>-StartDate 0001-01-01</c> costs a few requests, not two thousand years of them.
        /// </summary>
        public static readonly DateTime EarliestServedDay = new DateTime(2000, 1, 1);

        /// <summary>
        /// The inclusive range of -StartDate / -EndDate: only the calendar day counts; the end defaults to
        /// <paramref name="today"/>, the start to <see cref="DefaultDays"/> days ending at the end. Returns false
        /// (and the reason) when the start is after the end.
        /// </summary>
        public static bool TryResolve(DateTime? start, DateTime? end, DateTime today, out DateTime from, out DateTime to, out string? problem)
        {
            to = (end ?? today).Date;
            from = start?.Date ?? (to.Ticks >= TimeSpan.TicksPerDay * (DefaultDays - 1) ? to.AddDays(-(DefaultDays - 1)) : DateTime.MinValue);
            problem = null;
            if (from <= to) return true;
            problem = string.Format(CultureInfo.InvariantCulture, "-StartDate ({0:yyyy-MM-dd}) is after -EndDate ({1:yyyy-MM-dd})", from, to);
            return false;
        }

        /// <summary>
        /// The days to request for the range [from, to]: from the day before <paramref name="from"/> (it gives
        /// the first day its value) but not before <see cref="EarliestServedDay"/>, to <paramref name="to"/> but
        /// not after <paramref name="today"/> (nothing is published for the future). Null when nothing is to be read.
        /// </summary>
        public static (DateTime From, DateTime To)? FetchWindow(DateTime from, DateTime to, DateTime today, bool dayBefore)
        {
            DateTime start = from.Date < EarliestServedDay ? EarliestServedDay : from.Date;
            if (dayBefore && start > EarliestServedDay) start = start.AddDays(-1);
            DateTime end = to.Date > today.Date ? today.Date : to.Date;
            return start <= end ? (start, end) : ((DateTime, DateTime)?)null;
        }

        /// <summary>"2024-08-12" or "2024-08-12..2024-08-15".</summary>
        public static string Format(DateTime from, DateTime to) => from.Date == to.Date
            ? from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".." + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
