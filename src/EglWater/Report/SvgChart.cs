using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace EglWater.Report
{
    /// <summary>
    /// Draws the report's charts as inline SVG: no script, no external resource. Coordinates are written
    /// invariantly with one decimal, one path per series (and per kind of mark), inside a fixed viewBox that
    /// the page scales to its width. Colours come from the page's CSS classes (light, dark and print).
    /// </summary>
    internal static class SvgChart
    {
        public const double Width = 640;
        public const double DailyHeight = 260;
        public const double MonthlyHeight = 240;

        private const double MinLeft = 52, Right = 630, Top = 16;
        private const double MarkRadius = 3.5;

        /// <summary>The daily chart: litres per day, a mark on each day that is not measured, alert bands.</summary>
        public static void Daily(StringBuilder sb, string id, ReportFigures figures, IReadOnlyList<ReportAlert> alerts, string title, string desc, string unit, ReportFormat format)
        {
            var grid = figures.Grid;
            const double bottom = DailyHeight - 36;
            int n = Math.Max(grid.Count, 1);
            var scale = NiceScale(figures.MaxLiters ?? 0, 5);
            double left = LeftMargin(scale, unit, format);
            double slot = (Right - left) / n;
            double Y(double liters) => bottom - (Math.Min(Math.Max(liters, 0), scale.Max) / scale.Max * (bottom - Top));
            double X(int i) => left + (i * slot);
            double Cx(int i) => left + ((i + 0.5) * slot);

            Open(sb, id, DailyHeight, title, desc);
            sb.Append("<defs><pattern id=\"").Append(id).Append("-h\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><path class=\"hatch\" d=\"M0 0V6\"/></pattern></defs>");
            YAxis(sb, scale, Y, left, bottom, unit, format);

            // Alert bands first: behind everything. Their numbers above the plot; numbers that would overlap (alerts
            // that start together, such as a rise, a flow and an estimate of one leak) share one label: "1, 2, 3".
            var labels = new List<(double X, string Number)>();
            for (int k = 0; k < alerts.Count; k++)
            {
                var a = alerts[k];
                if (a.EndDate < grid.From || a.StartDate > grid.To) continue;
                int lo = Math.Max(0, (a.StartDate - grid.From).Days), hi = Math.Min(grid.Count - 1, (a.EndDate - grid.From).Days);
                double x = X(lo), w = Math.Max((hi - lo + 1) * slot, 2);
                if (x + w > Right) x = Right - w;
                string number = (k + 1).ToString(CultureInfo.InvariantCulture);
                sb.Append("<rect class=\"alert\" data-alert=\"").Append(number).Append("\" x=\"").Append(C(x)).Append("\" y=\"").Append(C(Top))
                  .Append("\" width=\"").Append(C(w)).Append("\" height=\"").Append(C(bottom - Top)).Append("\"/>");
                labels.Add((x + (w / 2), number));
            }

            const double LabelGap = 16;
            foreach (var group in GroupLabels(labels, LabelGap))
            {
                sb.Append("<text class=\"an\" x=\"").Append(C(group.X)).Append("\" y=\"").Append(C(Top - 4)).Append("\">").Append(group.Text).Append("</text>");
            }

            // Days without data: one hatched path of merged bands.
            var bands = new StringBuilder();
            var meterLines = new StringBuilder();
            foreach (var run in figures.Runs)
            {
                if (run.Mark == DayMark.Missing || run.Mark == DayMark.NoRow)
                {
                    bands.Append('M').Append(C(X(run.Start))).Append(' ').Append(C(Top)).Append('H').Append(C(X(run.End + 1)))
                         .Append('V').Append(C(bottom)).Append('H').Append(C(X(run.Start))).Append('Z');
                }
                else if (run.Mark == DayMark.MeterChange)
                {
                    for (int i = run.Start; i <= run.End; i++) meterLines.Append('M').Append(C(Cx(i))).Append(' ').Append(C(Top)).Append('V').Append(C(bottom));
                }
            }

            if (bands.Length > 0) sb.Append("<path class=\"q-missing\" fill=\"url(#").Append(id).Append("-h)\" d=\"").Append(bands).Append("\"/>");
            if (meterLines.Length > 0) sb.Append("<path class=\"q-meterchange-line\" d=\"").Append(meterLines).Append("\"/>");

            // The series: one path, broken where a day has no known litres; a day alone between two breaks is a dot.
            var line = new StringBuilder();
            var dots = new StringBuilder();
            for (int i = 0; i < grid.Count; i++)
            {
                if (grid.Liters[i] is not double l) continue;
                bool before = i > 0 && grid.Liters[i - 1].HasValue, after = i + 1 < grid.Count && grid.Liters[i + 1].HasValue;
                if (!before && !after) Circle(dots, Cx(i), Y(l), 1.6);
                else line.Append(before ? (i > 1 && grid.Liters[i - 2].HasValue ? " " : "L") : "M").Append(C(Cx(i))).Append(' ').Append(C(Y(l)));
            }

            if (line.Length > 0) sb.Append(slot < 2 ? "<path class=\"line dense\" d=\"" : "<path class=\"line\" d=\"").Append(line).Append("\"/>");
            if (dots.Length > 0) sb.Append("<path class=\"line-dot\" d=\"").Append(dots).Append("\"/>");

            // One path per kind of mark, a shape on each marked day.
            var marks = new SortedDictionary<DayMark, StringBuilder>();
            foreach (var run in figures.Runs)
            {
                if (run.Mark == DayMark.Missing || run.Mark == DayMark.NoRow || run.Mark == DayMark.NotPublished) continue;
                if (!marks.TryGetValue(run.Mark, out var d)) marks[run.Mark] = d = new StringBuilder();
                for (int i = run.Start; i <= run.End; i++)
                {
                    double cy = grid.Liters[i] is double l ? Y(l) : bottom - MarkRadius - 1.5;
                    MarkShape(d, run.Mark, Cx(i), cy, MarkRadius);
                }
            }

            foreach (var pair in marks) sb.Append("<path class=\"").Append(MarkClass(pair.Key)).Append("\" d=\"").Append(pair.Value).Append("\"/>");

            XAxisDays(sb, grid.From, grid.To, X, bottom, format);
            sb.Append("</svg>");
        }

        /// <summary>The monthly chart: one bar per month, and the same month a year earlier beside it (hatched).</summary>
        public static void Monthly(StringBuilder sb, string id, ReportFigures figures, string title, string desc, string unit, ReportFormat format)
        {
            var months = figures.Months;
            const double bottom = MonthlyHeight - 36;
            int m = Math.Max(months.Count, 1);
            bool previous = figures.PreviousTotalLiters.HasValue;
            double max = 0;
            foreach (var month in months) max = Math.Max(max, Math.Max(month.Liters ?? 0, previous ? month.PreviousLiters ?? 0 : 0) / 1000.0);
            var scale = NiceScale(max, 5);
            double left = LeftMargin(scale, unit, format);
            double slot = (Right - left) / m;
            double Y(double cubicMeters) => bottom - (Math.Min(Math.Max(cubicMeters, 0), scale.Max) / scale.Max * (bottom - Top));

            Open(sb, id, MonthlyHeight, title, desc);
            sb.Append("<defs><pattern id=\"").Append(id).Append("-p\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><path class=\"hatch-prev\" d=\"M0 0V5\"/></pattern></defs>");
            YAxis(sb, scale, Y, left, bottom, unit, format);

            var full = new StringBuilder();
            var part = new StringBuilder();
            var prev = new StringBuilder();
            for (int j = 0; j < months.Count; j++)
            {
                var month = months[j];
                double w = Math.Min(slot * (previous ? 0.38 : 0.6), 26), x = left + (j * slot) + ((slot - (previous ? 2 * w : w)) / 2);
                if (month.Liters is double l) Bar(month.Complete ? full : part, x, w, Y(l / 1000.0), bottom);
                if (previous && month.PreviousLiters is double p) Bar(prev, x + w, w, Y(p / 1000.0), bottom);
            }

            if (prev.Length > 0) sb.Append("<path class=\"bar-prev\" fill=\"url(#").Append(id).Append("-p)\" d=\"").Append(prev).Append("\"/>");
            if (full.Length > 0) sb.Append("<path class=\"bar\" d=\"").Append(full).Append("\"/>");
            if (part.Length > 0) sb.Append("<path class=\"bar-part\" d=\"").Append(part).Append("\"/>");

            // Month labels: every month, or every 2, 3, 6 or 12 so that at most 12 show; January always among them.
            int step = 1;
            foreach (int s in new[] { 1, 2, 3, 6, 12 })
            {
                step = s;
                if ((months.Count + s - 1) / s <= 12) break;
            }

            var ticks = new StringBuilder();
            sb.Append("<g class=\"xm\">");
            int lastYear = -1;
            for (int j = 0; j < months.Count; j++)
            {
                var month = months[j].Month;
                if ((month.Month - 1) % step != 0) continue;
                double cx = left + ((j + 0.5) * slot);
                ticks.Append('M').Append(C(cx)).Append(' ').Append(C(bottom)).Append('V').Append(C(bottom + 4));
                string label = step == 12 ? format.Year(month) : format.MonthAbbreviation(month);
                Text(sb, cx, bottom + 16, label);
                if (step != 12 && month.Year != lastYear) Text(sb, cx, bottom + 30, format.Year(month));
                lastYear = month.Year;
            }

            sb.Append("</g>");
            if (ticks.Length > 0) sb.Append("<path class=\"axis\" d=\"").Append(ticks).Append("\"/>");
            sb.Append("</svg>");
        }

        /// <summary>A small legend picture of a mark (16 × 16).</summary>
        public static void MarkSwatch(StringBuilder sb, DayMark mark)
        {
            var d = new StringBuilder();
            if (mark == DayMark.Missing || mark == DayMark.NoRow)
            {
                SwatchPath(sb, "q-missing-swatch", "M2 2H14V14H2ZM2 8L8 2M2 14L14 2M8 14L14 8");
                return;
            }

            MarkShape(d, mark, 8, 8, 5);
            SwatchPath(sb, MarkClass(mark), d.ToString());
        }

        /// <summary>A small legend picture with one path of the given class.</summary>
        public static void SwatchPath(StringBuilder sb, string cssClass, string d) =>
            sb.Append("<svg class=\"sw\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><path class=\"").Append(cssClass).Append("\" d=\"").Append(d).Append("\"/></svg>");

        /// <summary>The CSS class of a mark's path.</summary>
        public static string MarkClass(DayMark mark) => mark switch
        {
            DayMark.Estimated => "q-estimated",
            DayMark.Pending => "q-pending",
            DayMark.Anomaly => "q-anomaly",
            DayMark.Unknown => "q-unknown",
            DayMark.MeterChange => "q-meterchange",
            DayMark.Invalid => "q-invalid",
            _ => "q-missing",
        };

        /// <summary>
        /// Round axis bounds: the smallest multiple of a step of 1, 2, 2.5 or 5 × 10^k that covers
        /// <paramref name="dataMax"/> in about <paramref name="ticks"/> steps, and the decimals its labels need.
        /// A maximum above a multiple of the step by floating-point noise only (under a billionth of a step, as in
        /// 0.1 + 0.2) ends the axis on that multiple rather than a whole step higher.
        /// </summary>
        public static (double Max, double Step, int Decimals) NiceScale(double dataMax, int ticks)
        {
            if (double.IsNaN(dataMax) || double.IsInfinity(dataMax) || dataMax <= 0) dataMax = 1;
            double raw = dataMax / Math.Max(ticks, 1);
            int exponent = (int)Math.Floor(Math.Log10(raw));
            double magnitude = Math.Pow(10, exponent);
            double normal = raw / magnitude;
            double factor = normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 2.5 ? 2.5 : normal <= 5 ? 5 : 10;
            if (factor == 10)
            {
                factor = 1;
                exponent++;
                magnitude *= 10;
            }

            double step = factor * magnitude;
            double max = Math.Ceiling((dataMax / step) - 1e-9) * step;
            int decimals = Math.Max(0, -exponent) + (factor == 2.5 && exponent < 1 ? 1 : 0);
            return (max, step, decimals);
        }

        /// <summary>A coordinate: invariant, one decimal, no "-0".</summary>
        public static string C(double value)
        {
            double r = Math.Round(value, 1, MidpointRounding.AwayFromZero);
            return r == 0 ? "0" : r.ToString("0.#", CultureInfo.InvariantCulture);
        }

        private static void Open(StringBuilder sb, string id, double height, string title, string desc)
        {
            sb.Append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").Append(C(Width)).Append(' ').Append(C(height))
              .Append("\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\"><title id=\"").Append(id).Append("-t\">")
              .Append(HtmlReportWriter.Escape(title)).Append("</title><desc id=\"").Append(id).Append("-d\">").Append(HtmlReportWriter.Escape(desc)).Append("</desc>");
        }

        private static void YAxis(StringBuilder sb, (double Max, double Step, int Decimals) scale, Func<double, double> y, double left, double bottom, string unit, ReportFormat format)
        {
            var grid = new StringBuilder();
            sb.Append("<g class=\"yl\">");
            int count = (int)Math.Round(scale.Max / scale.Step);
            for (int k = 0; k <= count; k++)
            {
                double value = k * scale.Step, py = y(value);
                if (k > 0) grid.Append('M').Append(C(left)).Append(' ').Append(C(py)).Append('H').Append(C(Right));
                Text(sb, left - 6, py + 4, format.Number(value, scale.Decimals));
            }

            sb.Append("</g>");
            if (grid.Length > 0) sb.Append("<path class=\"grid\" d=\"").Append(grid).Append("\"/>");
            sb.Append("<path class=\"axis\" d=\"M").Append(C(left)).Append(' ').Append(C(bottom)).Append('H').Append(C(Right)).Append("\"/>");
            sb.Append("<text class=\"unit\" x=\"").Append(C(left - 6)).Append("\" y=\"").Append(C(Top - 6)).Append("\">").Append(HtmlReportWriter.Escape(unit)).Append("</text>");
        }

        private static void XAxisDays(StringBuilder sb, DateTime from, DateTime to, Func<int, double> x, double bottom, ReportFormat format)
        {
            int n = to >= from ? (to - from).Days + 1 : 0;
            if (n == 0) return;
            var ticks = ChooseDayTicks(from, to, out bool monthly, out bool yearly);
            var d = new StringBuilder();
            sb.Append("<g class=\"xl\">");
            int lastYear = -1;
            foreach (var day in ticks)
            {
                double px = x((day - from).Days);
                d.Append('M').Append(C(px)).Append(' ').Append(C(bottom)).Append('V').Append(C(bottom + 4));
                string label = yearly ? format.Year(day) : monthly ? format.MonthAbbreviation(day) : format.DayMonth(day);
                if (px + 2 + TextWidth(label) > Width) continue; // no room for a label at the right edge
                Text(sb, px + 2, bottom + 16, label);
                if (!yearly && day.Year != lastYear) Text(sb, px + 2, bottom + 30, format.Year(day));
                lastYear = day.Year;
            }

            sb.Append("</g>");
            sb.Append("<path class=\"axis\" d=\"").Append(d).Append("\"/>");
        }

        /// <summary>
        /// The days that get a tick: every day, 2 days, Monday, other Monday, month start, or every 2, 3, 6 or
        /// 12 months (January always among them): the finest that gives at most 9 ticks.
        /// </summary>
        internal static List<DateTime> ChooseDayTicks(DateTime from, DateTime to, out bool monthly, out bool yearly)
        {
            int n = (to - from).Days + 1;
            monthly = yearly = false;
            foreach (int step in new[] { 1, 2 })
            {
                if ((n + step - 1) / step <= 9)
                {
                    var list = new List<DateTime>();
                    for (int i = 0; i < n; i += step) list.Add(from.AddDays(i));
                    return list;
                }
            }

            foreach (int weeks in new[] { 1, 2 })
            {
                var list = new List<DateTime>();
                var monday = from.AddDays((8 - (int)from.DayOfWeek) % 7);
                for (var day = monday; day <= to; day = day.AddDays(7 * weeks)) list.Add(day);
                if (list.Count <= 9) return list;
            }

            monthly = true;
            foreach (int months in new[] { 1, 2, 3, 6, 12 })
            {
                var list = new List<DateTime>();
                var start = new DateTime(from.Year, from.Month, 1);
                for (var month = start; month <= to; month = month.AddMonths(1))
                {
                    if (month >= from && (month.Month - 1) % months == 0) list.Add(month);
                }

                if (list.Count <= 9 || months == 12)
                {
                    yearly = months == 12;
                    if (list.Count <= 9) return list;
                }
            }

            // Many years: one tick per year, thinned to at most 9.
            var years = new List<DateTime>();
            int every = 1 + ((to.Year - from.Year) / 9);
            for (int year = from.Year + 1; year <= to.Year; year++)
            {
                if ((year - from.Year - 1) % every == 0) years.Add(new DateTime(year, 1, 1));
            }

            yearly = true;
            return years;
        }

        /// <summary>Room on the left for the widest tick label or the unit, at least <see cref="MinLeft"/>.</summary>
        private static double LeftMargin((double Max, double Step, int Decimals) scale, string unit, ReportFormat format)
        {
            double widest = TextWidth(unit);
            int count = (int)Math.Round(scale.Max / scale.Step);
            for (int k = 0; k <= count; k++) widest = Math.Max(widest, TextWidth(format.Number(k * scale.Step, scale.Decimals)));
            return Math.Max(MinLeft, Math.Min(widest + 10, 200));
        }

        /// <summary>A generous estimate of the width of a label at 11 px in a system sans-serif font.</summary>
        private static double TextWidth(string text) => text.Length * 6.5;

        private static void Bar(StringBuilder d, double x, double w, double top, double bottom) =>
            d.Append('M').Append(C(x)).Append(' ').Append(C(bottom)).Append('V').Append(C(top)).Append('H').Append(C(x + w)).Append('V').Append(C(bottom)).Append('Z');

        private static void Text(StringBuilder sb, double x, double y, string text) =>
            sb.Append("<text x=\"").Append(C(x)).Append("\" y=\"").Append(C(y)).Append("\">").Append(HtmlReportWriter.Escape(text)).Append("</text>");

        private static void Circle(StringBuilder d, double cx, double cy, double r) =>
            d.Append('M').Append(C(cx - r)).Append(' ').Append(C(cy))
             .Append('A').Append(C(r)).Append(' ').Append(C(r)).Append(" 0 1 0 ").Append(C(cx + r)).Append(' ').Append(C(cy))
             .Append('A').Append(C(r)).Append(' ').Append(C(r)).Append(" 0 1 0 ").Append(C(cx - r)).Append(' ').Append(C(cy)).Append('Z');

        /// <summary>The shape of a mark centred on (cx, cy): absolute commands only (M, L, H, V, A, Z).</summary>
        private static void MarkShape(StringBuilder d, DayMark mark, double cx, double cy, double r)
        {
            switch (mark)
            {
                case DayMark.Estimated: // hollow circle
                    Circle(d, cx, cy, r);
                    break;
                case DayMark.Pending: // hollow triangle
                    d.Append('M').Append(C(cx)).Append(' ').Append(C(cy - r)).Append('L').Append(C(cx + r)).Append(' ').Append(C(cy + (r * 0.8)))
                     .Append('H').Append(C(cx - r)).Append('Z');
                    break;
                case DayMark.Anomaly: // filled square
                    r *= 0.85;
                    d.Append('M').Append(C(cx - r)).Append(' ').Append(C(cy - r)).Append('H').Append(C(cx + r)).Append('V').Append(C(cy + r))
                     .Append('H').Append(C(cx - r)).Append('Z');
                    break;
                case DayMark.Unknown: // hollow diamond
                case DayMark.MeterChange: // filled diamond (on a dashed vertical line)
                    d.Append('M').Append(C(cx)).Append(' ').Append(C(cy - r)).Append('L').Append(C(cx + r)).Append(' ').Append(C(cy))
                     .Append('L').Append(C(cx)).Append(' ').Append(C(cy + r)).Append('L').Append(C(cx - r)).Append(' ').Append(C(cy)).Append('Z');
                    break;
                default: // Invalid: a cross
                    d.Append('M').Append(C(cx - r)).Append(' ').Append(C(cy - r)).Append('L').Append(C(cx + r)).Append(' ').Append(C(cy + r))
                     .Append('M').Append(C(cx - r)).Append(' ').Append(C(cy + r)).Append('L').Append(C(cx + r)).Append(' ').Append(C(cy - r));
                    break;
            }
        }

        /// <summary>Labels sorted by position, those closer than <paramref name="gap"/> to the previous one merged ("1, 2"), at their mean position.</summary>
        internal static IEnumerable<(double X, string Text)> GroupLabels(IEnumerable<(double X, string Number)> labels, double gap)
        {
            var group = new List<(double X, string Number)>();
            foreach (var label in labels.OrderBy(l => l.X))
            {
                if (group.Count > 0 && label.X - group[group.Count - 1].X >= gap)
                {
                    yield return (group.Average(g => g.X), string.Join(", ", group.Select(g => g.Number)));
                    group.Clear();
                }

                group.Add(label);
            }

            if (group.Count > 0) yield return (group.Average(g => g.X), string.Join(", ", group.Select(g => g.Number)));
        }
    }
}
