using System;
using System.Globalization;
using System.Management.Automation;

namespace EglWater.Commands
{
    /// <summary>
    /// Culture-safe reading of the values of piped readings: real DateTime / numbers as they are, text
    /// (Import-Csv) tried as ISO 8601 / invariant first, then in the current culture (Export-Csv writes
    /// dates and numbers in the culture of the session that exported), then in the invariant culture.
    /// Only the calendar day written counts: no time-zone conversion ever.
    /// </summary>
    internal static class ReadingInput
    {
        private static readonly string[] IsoFormats =
        {
            "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ssK",
            "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK",
        };

        public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        public static bool TryDay(object? value, CultureInfo current, out DateTime day)
        {
            value = Unwrap(value);
            switch (value)
            {
                case DateTime dt:
                    day = DateTime.SpecifyKind(dt.Date, DateTimeKind.Unspecified);
                    return true;
                case DateTimeOffset dto:
                    day = DateTime.SpecifyKind(dto.DateTime.Date, DateTimeKind.Unspecified);
                    return true;
                case string text:
                    return TryDay(text, current, out day);
                default:
                    day = default;
                    return false;
            }
        }

        public static bool TryDay(string text, CultureInfo current, out DateTime day)
        {
            text = text.Trim();
            const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces;
            // DateTimeOffset keeps the clock time written (its .DateTime), whatever the offset: the day written.
            if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, styles, out var dto)
                || (text.Length > 0 && DateTimeOffset.TryParse(text, current, styles, out dto))
                || (text.Length > 0 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out dto)))
            {
                day = DateTime.SpecifyKind(dto.DateTime.Date, DateTimeKind.Unspecified);
                return true;
            }

            day = default;
            return false;
        }

        /// <summary>A subscription number: a whole number, or text of one (a CSV cell); an array of one.</summary>
        public static bool TrySubscription(object? value, out long number)
        {
            value = Unwrap(value);
            if (value is object[] { Length: 1 } one) value = Unwrap(one[0]);
            switch (value)
            {
                case long l:
                    number = l;
                    return true;
                case int or short or uint or ushort or byte or sbyte:
                    number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    return true;
                case string text:
                    return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
                default:
                    number = 0;
                    return false;
            }
        }

        public static bool TryNumber(object? value, CultureInfo current, out double number)
        {
            value = Unwrap(value);
            switch (value)
            {
                case double d:
                    number = d;
                    return !double.IsNaN(d) && !double.IsInfinity(d);
                case float f:
                    number = f;
                    return !float.IsNaN(f) && !float.IsInfinity(f);
                case decimal m:
                    number = (double)m;
                    return true;
                case int or long or short or uint or ulong or ushort or byte or sbyte:
                    number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    return true;
                case string text:
                    // No thousands separators: "562,5" must never become 5625.
                    const NumberStyles styles = NumberStyles.Float;
                    text = text.Trim();
                    if ((double.TryParse(text, styles, CultureInfo.InvariantCulture, out number) || double.TryParse(text, styles, current, out number))
                        && !double.IsNaN(number) && !double.IsInfinity(number))
                        return true;
                    number = 0;
                    return false;
                default:
                    number = 0;
                    return false;
            }
        }
    }
}
