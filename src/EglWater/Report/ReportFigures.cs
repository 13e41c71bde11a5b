using System;
using System.Collections.Generic;
using System.Linq;
using EglWater.Engine;

namespace EglWater.Report
{
    /// <summary>
    /// How a day of the range is marked on the daily chart and counted in the data-quality line:
    /// the non-measured qualities, plus days that have no row at all.
    /// </summary>
    internal enum DayMark
    {
        Estimated,
        Pending,
        Anomaly,
        Unknown,
        MeterChange,
        Invalid,
        Missing,

        /// <summary>No row for the day, before the last day that has one (drawn like Missing).</summary>
        NoRow,

        /// <summary>No row for the day, after the last day that has one: not published yet (not drawn).</summary>
        NotPublished,
    }

    /// <summary>The days of a range laid on a grid (index 0 = the first day): litres and quality of each.</summary>
    internal sealed class DayGrid
    {
        public DayGrid(IEnumerable<EglConsumption> rows, DateTime from, DateTime to)
        {
            From = from.Date;
            To = to.Date;
            int n = To >= From ? (To - From).Days + 1 : 0;
            Liters = new double?[n];
            Quality = new EglQuality?[n];
            foreach (var row in rows)
            {
                DateTime start = row.Date, end = row.EndDate < row.Date ? row.Date : row.EndDate;
                int span = (end - start).Days + 1;
                DateTime lo = start > From ? start : From, hi = end < To ? end : To;
                for (var day = lo; day <= hi; day = day.AddDays(1))
                {
                    int i = (day - From).Days;
                    int k = (day - start).Days + 1;
                    double? liters = row.Liters is double total ? (span == 1 ? total : Spread.Share(total, span, k)) : (double?)null;
                    var quality = span > 1 && liters.HasValue ? ConsumptionCalculator.Worst(row.Quality, EglQuality.Estimated) : row.Quality;
                    Liters[i] = liters;
                    Quality[i] = quality;
                }
            }

            for (int i = n - 1; i >= 0; i--)
            {
                if (Quality[i].HasValue)
                {
                    LastRowIndex = i;
                    break;
                }
            }
        }

        public DateTime From { get; }

        public DateTime To { get; }

        public int Count => Liters.Length;

        public double?[] Liters { get; }

        /// <summary>The quality of each day; null when no row covers it.</summary>
        public EglQuality?[] Quality { get; }

        /// <summary>The index of the last day that has a row, or -1.</summary>
        public int LastRowIndex { get; } = -1;

        public DateTime Day(int i) => From.AddDays(i);

        /// <summary>The mark of day i, or null for a measured day.</summary>
        public DayMark? Mark(int i)
        {
            if (Quality[i] is not EglQuality q) return i > LastRowIndex ? DayMark.NotPublished : DayMark.NoRow;
            return q switch
            {
                EglQuality.Measured => null,
                EglQuality.Estimated => DayMark.Estimated,
                EglQuality.Pending => DayMark.Pending,
                EglQuality.Anomaly => DayMark.Anomaly,
                EglQuality.Unknown => DayMark.Unknown,
                EglQuality.MeterChange => DayMark.MeterChange,
                EglQuality.Invalid => DayMark.Invalid,
                _ => DayMark.Missing,
            };
        }

        /// <summary>Sum and count of the known litres of days [lo, hi] (indexes, clipped).</summary>
        public (double Liters, int Days) Known(int lo, int hi)
        {
            double sum = 0;
            int days = 0;
            for (int i = Math.Max(lo, 0); i <= Math.Min(hi, Count - 1); i++)
            {
                if (Liters[i] is double l)
                {
                    sum += l;
                    days++;
                }
            }

            return (sum, days);
        }
    }

    /// <summary>The figures of one month of the range.</summary>
    internal sealed class MonthFigures
    {
        public MonthFigures(DateTime month, int daysInRange, int daysInMonth, double? liters, int knownDays, double? previousLiters, int measuredDays, IReadOnlyDictionary<DayMark, int> marks, ReportCost? cost)
        {
            Month = month;
            DaysInRange = daysInRange;
            DaysInMonth = daysInMonth;
            Liters = liters;
            KnownDays = knownDays;
            PreviousLiters = previousLiters;
            MeasuredDays = measuredDays;
            Marks = marks;
            Cost = cost;
        }

        /// <summary>The first day of the month.</summary>
        public DateTime Month { get; }

        public int DaysInRange { get; }

        public int DaysInMonth { get; }

        /// <summary>The sum of the known litres, null when no day is known.</summary>
        public double? Liters { get; }

        public int KnownDays { get; }

        /// <summary>The same month one year earlier: the sum of its known litres, or null.</summary>
        public double? PreviousLiters { get; }

        public int MeasuredDays { get; }

        /// <summary>Days by mark (only marks that occur).</summary>
        public IReadOnlyDictionary<DayMark, int> Marks { get; }

        public ReportCost? Cost { get; }

        /// <summary>Litres per day over the known days, or null.</summary>
        public double? LitersPerDay => KnownDays > 0 && Liters.HasValue ? Liters / KnownDays : null;

        /// <summary>The whole month is inside the range and every day of it is measured.</summary>
        public bool Complete => DaysInRange == DaysInMonth && MeasuredDays == DaysInMonth;
    }

    /// <summary>A run of consecutive days with the same mark.</summary>
    internal readonly struct DayRun
    {
        public DayRun(DayMark mark, int start, int end)
        {
            Mark = mark;
            Start = start;
            End = end;
        }

        public DayMark Mark { get; }

        public int Start { get; }

        public int End { get; }

        public int Days => End - Start + 1;
    }

    /// <summary>Everything the page computes for one subscription; pure arithmetic, no formatting.</summary>
    internal sealed class ReportFigures
    {
        public ReportFigures(ReportSection section, DateTime from, DateTime to)
        {
            Section = section ?? throw new ArgumentNullException(nameof(section));
            Grid = new DayGrid(section.Daily, from, to);
            DateTime prevFrom = from.Date.AddYears(-1), prevTo = to.Date.AddYears(-1);
            Previous = new DayGrid(section.PreviousYearDaily, prevFrom, prevTo);

            var (total, known) = Grid.Known(0, Grid.Count - 1);
            KnownDays = known;
            TotalLiters = known > 0 ? total : null;
            var (prevTotal, prevKnown) = Previous.Known(0, Previous.Count - 1);
            PreviousKnownDays = prevKnown;
            PreviousTotalLiters = prevKnown > 0 ? prevTotal : null;

            for (int i = 0; i < Grid.Count; i++)
            {
                if (Grid.Liters[i] is double l && (MaxLiters is null || l > MaxLiters))
                {
                    MaxLiters = l;
                    MaxDay = Grid.Day(i);
                }
            }

            var runs = new List<DayRun>();
            for (int i = 0; i < Grid.Count;)
            {
                var mark = Grid.Mark(i);
                int j = i;
                while (j + 1 < Grid.Count && Grid.Mark(j + 1) == mark) j++;
                if (mark is DayMark m) runs.Add(new DayRun(m, i, j));
                i = j + 1;
            }

            Runs = runs;
            Months = BuildMonths(section);
        }

        public ReportSection Section { get; }

        public DayGrid Grid { get; }

        /// <summary>The same calendar period one year earlier.</summary>
        public DayGrid Previous { get; }

        public int KnownDays { get; }

        public double? TotalLiters { get; }

        public int PreviousKnownDays { get; }

        public double? PreviousTotalLiters { get; }

        /// <summary>The highest known day of the range and its date.</summary>
        public double? MaxLiters { get; }

        public DateTime MaxDay { get; }

        /// <summary>Runs of marked (not measured) days, in date order.</summary>
        public IReadOnlyList<DayRun> Runs { get; }

        /// <summary>One entry per calendar month that the range touches, in order.</summary>
        public IReadOnlyList<MonthFigures> Months { get; }

        /// <summary>Nothing to chart: no day of the range has known litres.</summary>
        public bool IsEmpty => KnownDays == 0;

        public double? AverageLitersPerDay => KnownDays > 0 ? TotalLiters / KnownDays : null;

        public double? PreviousAverageLitersPerDay => PreviousKnownDays > 0 ? PreviousTotalLiters / PreviousKnownDays : null;

        /// <summary>
        /// The change of the daily average against a year earlier (0.06 = +6 %), or null when either side is
        /// unknown or the earlier average is 0. Averages, not totals, so that a missing day does not count as a saving.
        /// </summary>
        public double? Change => AverageLitersPerDay is double now && PreviousAverageLitersPerDay is double before && before > 0 ? (now - before) / before : null;

        /// <summary>Days by mark over the whole range (only marks that occur).</summary>
        public IReadOnlyDictionary<DayMark, int> MarkCounts()
        {
            var counts = new SortedDictionary<DayMark, int>();
            foreach (var run in Runs) counts[run.Mark] = (counts.TryGetValue(run.Mark, out int c) ? c : 0) + run.Days;
            return counts;
        }

        private IReadOnlyList<MonthFigures> BuildMonths(ReportSection section)
        {
            var months = new List<MonthFigures>();
            if (Grid.Count == 0) return months;
            var costs = new Dictionary<DateTime, ReportCost>();
            if (section.Costs is not null)
            {
                foreach (var c in section.Costs.Months) costs[c.Month] = c;
            }

            for (var month = new DateTime(Grid.From.Year, Grid.From.Month, 1); month <= Grid.To; month = month.AddMonths(1))
            {
                var last = month.AddMonths(1).AddDays(-1);
                int lo = Math.Max(0, (month - Grid.From).Days), hi = Math.Min(Grid.Count - 1, (last - Grid.From).Days);
                var (liters, known) = Grid.Known(lo, hi);
                int measured = 0;
                var marks = new SortedDictionary<DayMark, int>();
                for (int i = lo; i <= hi; i++)
                {
                    if (Grid.Mark(i) is DayMark m) marks[m] = (marks.TryGetValue(m, out int c) ? c : 0) + 1;
                    else measured++;
                }

                var prevMonth = month.AddYears(-1);
                int plo = (prevMonth - Previous.From).Days, phi = (prevMonth.AddMonths(1).AddDays(-1) - Previous.From).Days;
                var (prevLiters, prevKnown) = Previous.Known(plo, phi);
                months.Add(new MonthFigures(
                    month,
                    hi - lo + 1,
                    DateTime.DaysInMonth(month.Year, month.Month),
                    known > 0 ? liters : null,
                    known,
                    prevKnown > 0 ? prevLiters : null,
                    measured,
                    marks,
                    costs.TryGetValue(month, out var cost) ? cost : null));
            }

            return months;
        }
    }
}
