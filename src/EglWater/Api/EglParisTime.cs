using System;

namespace EglWater.Api
{
    /// <summary>The meter's calendar: Europe/Paris days, whatever the machine's time zone.</summary>
    internal static class EglParisTime
    {
        private static readonly Lazy<TimeZoneInfo?> Paris = new Lazy<TimeZoneInfo?>(() =>
        {
            foreach (var id in new[] { "Europe/Paris", "Romance Standard Time" })
            {
                try
                {
                    return TimeZoneInfo.FindSystemTimeZoneById(id);
                }
                catch (TimeZoneNotFoundException)
                {
                }
                catch (InvalidTimeZoneException)
                {
                }
            }

            return null;
        });

        /// <summary>Today's date in Paris at <paramref name="now"/>.</summary>
        public static DateTime TodayAt(DateTimeOffset now) =>
            DateTime.SpecifyKind(Paris.Value is { } tz ? TimeZoneInfo.ConvertTime(now, tz).Date : now.ToOffset(StandardOffset(now)).Date, DateTimeKind.Unspecified);

        /// <summary>Midnight of a Paris calendar day, with its offset (+01:00 in winter, +02:00 in summer).</summary>
        public static DateTimeOffset Midnight(DateTime day)
        {
            var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
            var offset = Paris.Value is { } tz ? tz.GetUtcOffset(local) : EuropeanOffset(local);
            return new DateTimeOffset(local, offset);
        }

        // Without a time-zone database: the EU rule (summer time from the last Sunday of March,
        // 01:00 UTC, to the last Sunday of October, 01:00 UTC).
        private static TimeSpan EuropeanOffset(DateTime local)
        {
            DateTime start = LastSunday(local.Year, 3), end = LastSunday(local.Year, 10);
            return local >= start.AddHours(2) && local < end.AddHours(3) ? TimeSpan.FromHours(2) : TimeSpan.FromHours(1);
        }

        private static TimeSpan StandardOffset(DateTimeOffset now) => EuropeanOffset(now.UtcDateTime.AddHours(1));

        private static DateTime LastSunday(int year, int month)
        {
            var d = new DateTime(year, month, DateTime.DaysInMonth(year, month));
            while (d.DayOfWeek != DayOfWeek.Sunday) d = d.AddDays(-1);
            return d;
        }
    }
}
