using System;

namespace EglWater.Commands
{
    /// <summary>The meter's calendar: days are Paris days, whatever the machine's time zone.</summary>
    internal static class ParisCalendar
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

        /// <summary>Today's date in Paris (the machine's local date if the zone is unknown).</summary>
        public static DateTime Today =>
            Paris.Value is { } tz ? TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tz).Date : DateTime.Today;
    }
}
