using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace EglWater.Commands
{
    /// <summary>
    /// The readings piped into a cmdlet (Get-EglIndex output, Import-Csv rows): each object's Date, Index,
    /// RawType and SubscriptionNumber read in C# (one pipeline parameter instead of four bound by property
    /// name), culture-safely (<see cref="ReadingInput"/>), kept per subscription. A row that cannot be read
    /// is an error record naming it, never a silent skip.
    /// </summary>
    internal sealed class PipedReadings
    {
        private readonly Dictionary<long, List<EglDayRecord>> _bySubscription = new Dictionary<long, List<EglDayRecord>>();
        private int _row;

        /// <summary>Adds one piped object; returns the error record of a row that cannot be read, else null.</summary>
        public ErrorRecord? Add(PSObject input, CultureInfo culture)
        {
            _row++;
            object? date = Value(input, "Date"), index = Value(input, "Index"), rawType = Value(input, "RawType"), subscription = Value(input, "SubscriptionNumber");
            string? problem = null;
            long number = 0;
            if (!ReadingInput.TryDay(date, culture, out var day))
                problem = string.Format(CultureInfo.InvariantCulture, "its Date '{0}' is not a date (tried ISO 8601, {1} and the invariant culture)", Show(date), CultureName(culture));
            else if (!ReadingInput.TryNumber(index, culture, out double liters))
                problem = string.Format(CultureInfo.InvariantCulture, "its Index '{0}' is not a number of litres (tried the invariant culture and {1})", Show(index), CultureName(culture));
            else if (liters < 0)
                problem = string.Format(CultureInfo.InvariantCulture, "its Index {0} is negative", liters);
            else if (subscription is not null && !ReadingInput.TrySubscription(subscription, out number))
                problem = string.Format(CultureInfo.InvariantCulture, "its SubscriptionNumber '{0}' is not one subscription number", Show(subscription));
            else
            {
                if (!_bySubscription.TryGetValue(number, out var list)) _bySubscription[number] = list = new List<EglDayRecord>();
                list.Add(EglDayRecord.FromReading(new EglIndexReading(number, day, liters, ReadingInput.Unwrap(rawType)?.ToString() ?? string.Empty)));
                return null;
            }

            return new ErrorRecord(
                new FormatException(string.Format(CultureInfo.InvariantCulture, "Input reading {0} is left out: {1}. Fix or remove that row and run the command again.", _row, problem)),
                "EglInvalidReading",
                ErrorCategory.InvalidData,
                new { Row = _row, Date = ReadingInput.Unwrap(date), Index = ReadingInput.Unwrap(index), RawType = ReadingInput.Unwrap(rawType) });
        }

        /// <summary>The readings per subscription, subscriptions in ascending order.</summary>
        public IEnumerable<(long Subscription, IReadOnlyList<EglDayRecord> Records)> BySubscription() =>
            _bySubscription.OrderBy(p => p.Key).Select(p => (p.Key, (IReadOnlyList<EglDayRecord>)p.Value));

        private static object? Value(PSObject input, string name) => input.Properties[name]?.Value;

        private static string Show(object? value) => ReadingInput.Unwrap(value) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

        private static string CultureName(CultureInfo c) => c.Name.Length == 0 ? "the invariant culture" : c.Name;
    }
}
