using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace EglWater.Report
{
    /// <summary>
    /// Writes a <see cref="ReportDocument"/> as one self-contained HTML page: inline CSS and SVG, no script,
    /// no network resource, no web font. Numbers and dates in the document's culture, labels in its language;
    /// everything the caller gives is HTML-escaped. Pure: no clock, no current culture, no I/O but the writer.
    /// </summary>
    internal static class HtmlReportWriter
    {
        /// <summary>The page as a string.</summary>
        public static string Render(ReportDocument document)
        {
            if (document is null) throw new ArgumentNullException(nameof(document));
            var sb = new StringBuilder(64 * 1024);
            var text = ReportText.For(document.Language);
            var format = new ReportFormat(document.Culture);
            string title = string.IsNullOrWhiteSpace(document.Title) ? text.DefaultTitle : document.Title;

            sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.HtmlLanguage).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
              .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n")
              .Append("<meta name=\"generator\" content=\"EglWater\">\n<title>").Append(Escape(title)).Append("</title>\n<style>")
              .Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>").Append(Escape(title)).Append("</h1>\n");
            sb.Append("<p class=\"period\">").Append(Escape(string.Format(document.Culture, text.Period, format.Date(document.From), format.Date(document.To)))).Append("</p>\n");
            sb.Append("<p class=\"made\">").Append(string.Format(
                document.Culture,
                Escape(text.Generated),
                "<time datetime=\"" + document.GeneratedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) + "\">" + Escape(format.Moment(document.GeneratedAt)) + "</time>",
                "<span class=\"source\">" + Escape(document.Source) + "</span>")).Append("</p>\n</header>\n<main>\n");

            if (document.Sections.Count == 0) sb.Append("<p class=\"nodata\">").Append(Escape(text.NoSections)).Append("</p>\n");
            for (int i = 0; i < document.Sections.Count; i++)
            {
                var section = document.Sections[i] ?? throw new ArgumentException("A report section is null.", nameof(document));
                Section(sb, "s" + (i + 1).ToString(CultureInfo.InvariantCulture), section, document, text, format);
            }

            sb.Append("</main>\n</body>\n</html>\n");
            return sb.ToString();
        }

        /// <summary>Writes the page to <paramref name="writer"/> (the caller chooses the encoding: UTF-8).</summary>
        public static void Write(ReportDocument document, TextWriter writer)
        {
            if (writer is null) throw new ArgumentNullException(nameof(writer));
            writer.Write(Render(document));
        }

        /// <summary>HTML-escapes text for element content and quoted attribute values.</summary>
        public static string Escape(string? value)
        {
            if (string.IsNullOrEmpty(value)) return string.Empty;
            var sb = new StringBuilder(value!.Length + 16);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '\'': sb.Append("&#39;"); break;
                    default:
                        if (c < ' ' && c != '\n' && c != '\t') sb.Append(' '); // control characters are not valid HTML text
                        else sb.Append(c);
                        break;
                }
            }

            return sb.ToString();
        }

        private static void Section(StringBuilder sb, string id, ReportSection section, ReportDocument document, ReportText text, ReportFormat format)
        {
            var culture = document.Culture;
            var figures = new ReportFigures(section, document.From, document.To);
            string number = section.SubscriptionNumber.ToString(CultureInfo.InvariantCulture);
            sb.Append("<section class=\"sub\" id=\"").Append(id).Append("\" data-subscription=\"").Append(number).Append("\" aria-labelledby=\"").Append(id).Append("-h\">\n")
              .Append("<h2 id=\"").Append(id).Append("-h\">").Append(Escape(string.Format(culture, text.Subscription, number))).Append("</h2>\n");

            if (figures.IsEmpty)
            {
                sb.Append("<p class=\"nodata\">").Append(Escape(text.NoDataForPeriod)).Append("</p>\n");
                if (section.LastPublishedDay is DateTime lastDay)
                {
                    sb.Append("<p class=\"last-day\">").Append(Escape(text.LastPublished)).Append(" : ".Substring(text.HtmlLanguage == "fr" ? 0 : 1))
                      .Append(Escape(format.Date(lastDay))).Append("</p>\n");
                }

                sb.Append("</section>\n");
                return;
            }

            Headline(sb, figures, section, text, format);
            QualityLine(sb, figures, text, format);

            // Daily chart, its legend, then the alerts it shades.
            var marks = figures.MarkCounts();
            var drawnAlerts = section.Alerts.Where(a => a.EndDate >= figures.Grid.From && a.StartDate <= figures.Grid.To).ToList();
            var desc = new StringBuilder(string.Format(
                culture,
                text.DailyDesc,
                format.Date(figures.Grid.From),
                format.Date(figures.Grid.To),
                format.Liters(figures.AverageLitersPerDay ?? 0),
                format.Integer(figures.KnownDays),
                format.Date(figures.MaxDay),
                format.Liters(figures.MaxLiters ?? 0)));
            var drawnMarks = marks.Where(p => p.Key != DayMark.NotPublished).ToList();
            if (drawnMarks.Count > 0) desc.Append(string.Format(culture, text.DailyDescQuality, string.Join(", ", drawnMarks.Select(p => text.MarkCount(p.Key, p.Value, format)))));
            if (drawnAlerts.Count > 0) desc.Append(string.Format(culture, text.DailyDescAlerts, format.Integer(drawnAlerts.Count)));

            sb.Append("<figure class=\"chart-box daily\">\n<div class=\"scroll\">");
            SvgChart.Daily(sb, id + "d", figures, section.Alerts, text.DailyTitle, desc.ToString(), text.LitersPerDayUnit, format);
            sb.Append("</div>\n<ul class=\"legend\">");
            LegendItem(sb, "measured", text.Measured, s => SvgChart.SwatchPath(s, "line", "M1 12L5 6L10 9L15 3"));
            var legendMarks = new List<DayMark>();
            foreach (var mark in marks.Keys)
            {
                var key = mark == DayMark.NoRow ? DayMark.Missing : mark;
                if (key != DayMark.NotPublished && !legendMarks.Contains(key)) legendMarks.Add(key);
            }

            foreach (var mark in legendMarks) LegendItem(sb, "quality:" + QualityName(mark), text.MarkLegend[(int)mark], s => SvgChart.MarkSwatch(s, mark));
            if (drawnAlerts.Count > 0) LegendItem(sb, "alert", text.LeakAlert, s => SvgChart.SwatchPath(s, "alert", "M3 1H13V15H3Z"));
            sb.Append("</ul>\n</figure>\n");
            Alerts(sb, section.Alerts, text, format);

            // Monthly chart, its legend and its table.
            MonthlyChart(sb, id, figures, text, format);
            MonthTable(sb, figures, section, text, format);
            sb.Append("</section>\n");
        }

        private static void Headline(StringBuilder sb, ReportFigures figures, ReportSection section, ReportText text, ReportFormat format)
        {
            string noData = Escape(text.NoData);
            sb.Append("<dl class=\"figures\">\n");
            Figure(sb, text.Total, "<data class=\"total\" value=\"" + Invariant(figures.TotalLiters!.Value / 1000.0) + "\">" + Escape(format.CubicMeters(figures.TotalLiters.Value)) + " m³</data>");
            Figure(sb, text.Average, "<data class=\"average\" value=\"" + Invariant(figures.AverageLitersPerDay!.Value) + "\">" + Escape(format.Liters(figures.AverageLitersPerDay.Value) + " " + text.LitersPerDayUnit) + "</data>");
            string previous = figures.PreviousTotalLiters is double before
                ? "<span class=\"previous\">" + Escape(format.CubicMeters(before) + " m³ (" + format.Liters(figures.PreviousAverageLitersPerDay!.Value) + " " + text.LitersPerDayUnit + ")") + "</span>"
                : "<span class=\"previous nodata\">" + noData + "</span>";
            Figure(sb, text.YearEarlier, previous);
            string change = figures.Change is double ratio
                ? "<data class=\"change\" value=\"" + Invariant(ratio) + "\">" + Escape(format.SignedPercent(ratio)) + "</data>"
                : "<span class=\"change nodata\">" + noData + "</span>";
            Figure(sb, text.Change, change);
            if (section.Costs is ReportCosts costs)
            {
                var note = new List<string>();
                if (costs.TariffName.Length > 0) note.Add(string.Format(format.Culture, text.Tariff, costs.TariffName));
                note.Add(costs.Complete ? text.CostComplete : text.CostIncomplete);
                string value = costs.TotalEuros is decimal euros
                    ? "<data class=\"cost\" value=\"" + euros.ToString(CultureInfo.InvariantCulture) + "\">" + Escape(format.Euros(euros)) + "</data>"
                    : "<span class=\"cost nodata\">" + Escape(text.CostUnknown) + "</span>";
                Figure(sb, text.Cost, value + " <small>" + Escape(string.Join(" · ", note)) + "</small>");
            }

            string last = section.LastPublishedDay is DateTime day
                ? "<time class=\"last-day\" datetime=\"" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\">" + Escape(format.Date(day)) + "</time>"
                : "<span class=\"last-day nodata\">" + noData + "</span>";
            Figure(sb, text.LastPublished, last);
            sb.Append("</dl>\n");
        }

        private static void Figure(StringBuilder sb, string label, string valueHtml) =>
            sb.Append("<div><dt>").Append(Escape(label)).Append("</dt><dd>").Append(valueHtml).Append("</dd></div>\n");

        private static void QualityLine(StringBuilder sb, ReportFigures figures, ReportText text, ReportFormat format)
        {
            var parts = new List<string>();
            foreach (var group in figures.Runs.GroupBy(r => r.Mark).OrderBy(g => g.Key))
            {
                var runs = group.ToList();
                string phrase = text.MarkCount(group.Key, runs.Sum(r => r.Days), format);
                if (group.Key != DayMark.NotPublished)
                {
                    phrase += runs.Count <= 3
                        ? " (" + string.Join(", ", runs.Select(r => format.DayRange(figures.Grid.Day(r.Start), figures.Grid.Day(r.End)))) + ")"
                        : " (" + string.Format(format.Culture, text.InPeriods, format.Integer(runs.Count)) + ")";
                }

                parts.Add(phrase);
            }

            string line = parts.Count == 0 ? text.EveryDayMeasured : string.Join(", ", parts);
            sb.Append("<p class=\"quality\"><strong>").Append(Escape(text.DataQuality)).Append(text.HtmlLanguage == "fr" ? "&#160;:" : ":").Append("</strong> ")
              .Append(Escape(line)).Append(".</p>\n");
        }

        private static void Alerts(StringBuilder sb, IReadOnlyList<ReportAlert> alerts, ReportText text, ReportFormat format)
        {
            if (alerts.Count == 0)
            {
                sb.Append("<p class=\"no-alerts\">").Append(Escape(text.NoAlerts)).Append("</p>\n");
                return;
            }

            sb.Append("<div class=\"scroll\"><table class=\"alerts\"><caption>").Append(Escape(text.Alerts)).Append("</caption>\n<thead><tr>");
            foreach (var h in new[] { text.AlertNumber, text.AlertKind, text.AlertFrom, text.AlertTo, text.AlertExcess, text.AlertSeverity, text.AlertEvidence })
                sb.Append("<th scope=\"col\">").Append(Escape(h)).Append("</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            for (int k = 0; k < alerts.Count; k++)
            {
                var a = alerts[k];
                sb.Append("<tr data-alert=\"").Append((k + 1).ToString(CultureInfo.InvariantCulture)).Append("\"><td>").Append(format.Integer(k + 1))
                  .Append("</td><td class=\"text\">").Append(Escape(text.Kind(a.Kind)))
                  .Append("</td><td>").Append(Escape(format.ShortDate(a.StartDate)))
                  .Append("</td><td>").Append(Escape(format.ShortDate(a.EndDate)))
                  .Append("</td><td>").Append(a.ExcessLiters is double l ? Escape(format.Liters(l)) : "—")
                  .Append("</td><td class=\"text\">").Append(Escape(text.Severity(a.Severity)))
                  .Append("</td><td class=\"text wrap\">").Append(Escape(a.Evidence)).Append("</td></tr>\n");
            }

            sb.Append("</tbody></table></div>\n");
        }

        private static void MonthlyChart(StringBuilder sb, string id, ReportFigures figures, ReportText text, ReportFormat format)
        {
            var culture = format.Culture;
            var months = figures.Months;
            var known = months.Where(m => m.Liters.HasValue).ToList();
            var highest = known.OrderByDescending(m => m.Liters!.Value).ThenBy(m => m.Month).First();
            string desc = string.Format(
                culture,
                text.MonthlyDesc,
                format.MonthYearInText(months[0].Month),
                format.MonthYearInText(months[months.Count - 1].Month),
                format.CubicMeters(figures.TotalLiters!.Value),
                format.MonthYearInText(highest.Month),
                format.CubicMeters(highest.Liters!.Value));
            desc += figures.PreviousTotalLiters is double before
                ? string.Format(culture, text.MonthlyDescPrevious, format.CubicMeters(before))
                : text.MonthlyDescNoPrevious;
            desc += " " + text.TableEquivalent;

            sb.Append("<figure class=\"chart-box monthly\">\n<div class=\"scroll\">");
            SvgChart.Monthly(sb, id + "m", figures, figures.PreviousTotalLiters.HasValue ? text.MonthlyTitlePrevious : text.MonthlyTitle, desc, "m³", format);
            sb.Append("</div>\n<ul class=\"legend\">");
            LegendItem(sb, "period", text.ThisPeriod, s => SvgChart.SwatchPath(s, "bar", "M3 2H13V15H3Z"));
            if (known.Any(m => !m.Complete)) LegendItem(sb, "incomplete", text.IncompleteMonth, s => SvgChart.SwatchPath(s, "bar-part", "M3 2H13V15H3Z"));
            if (figures.PreviousTotalLiters.HasValue)
                LegendItem(sb, "previous", text.YearEarlier, s => SvgChart.SwatchPath(s, "bar-prev-swatch", "M3 2H13V15H3ZM3 8L9 2M3 14L13 4M8 15L13 10"));
            sb.Append("</ul>\n</figure>\n");
        }

        private static void MonthTable(StringBuilder sb, ReportFigures figures, ReportSection section, ReportText text, ReportFormat format)
        {
            bool costs = section.Costs is not null;
            sb.Append("<div class=\"scroll\"><table class=\"months\"><caption>").Append(Escape(text.MonthTable)).Append("</caption>\n<thead><tr>");
            var headers = new List<string> { text.Month, text.CubicMeters, text.LitersPerDay, text.PreviousCubicMeters };
            if (costs) headers.Add(text.Cost);
            headers.Add(text.Quality);
            foreach (var h in headers) sb.Append("<th scope=\"col\">").Append(Escape(h)).Append("</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var m in figures.Months)
            {
                sb.Append("<tr data-month=\"").Append(m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Append("\"><th scope=\"row\">").Append(Escape(format.MonthYear(m.Month))).Append("</th>");
                Cell(sb, m.Liters is double l ? format.CubicMeters(l) : null);
                Cell(sb, m.LitersPerDay is double lpd ? format.Liters(lpd) : null);
                Cell(sb, m.PreviousLiters is double p ? format.CubicMeters(p) : null);
                if (costs)
                {
                    string? cost = m.Cost?.Euros is decimal euros ? format.Euros(euros) + (m.Cost.Complete ? string.Empty : " (" + text.Partial + ")") : null;
                    Cell(sb, cost);
                }

                sb.Append("<td class=\"text wrap\">").Append(Escape(MonthQuality(m, text, format))).Append("</td></tr>\n");
            }

            sb.Append("</tbody></table></div>\n");
        }

        private static string MonthQuality(MonthFigures m, ReportText text, ReportFormat format)
        {
            if (m.KnownDays == 0 && m.Marks.Keys.All(k => k == DayMark.NoRow || k == DayMark.NotPublished)) return text.NoData;
            var parts = new List<string>();
            if (m.DaysInRange < m.DaysInMonth) parts.Add(string.Format(format.Culture, text.DaysKnown, format.Integer(m.KnownDays), format.Integer(m.DaysInMonth)));
            parts.AddRange(m.Marks.Select(p => text.MarkCount(p.Key, p.Value, format)));
            return parts.Count == 0 ? text.EveryDayMeasured : string.Join(", ", parts);
        }

        private static void Cell(StringBuilder sb, string? value) =>
            sb.Append("<td>").Append(value is null ? "—" : Escape(value)).Append("</td>");

        /// <summary>A legend entry; <paramref name="key"/> names what it explains: "quality:Estimated", "alert", "previous"...</summary>
        private static void LegendItem(StringBuilder sb, string key, string label, Action<StringBuilder> swatch)
        {
            sb.Append("<li");
            if (key.StartsWith("quality:", StringComparison.Ordinal)) sb.Append(" data-quality=\"").Append(key.Substring(8)).Append('"');
            else sb.Append(" data-legend=\"").Append(key).Append('"');
            sb.Append('>');
            swatch(sb);
            sb.Append(Escape(label)).Append("</li>");
        }

        private static string QualityName(DayMark mark) => mark switch
        {
            DayMark.Estimated => nameof(EglQuality.Estimated),
            DayMark.Pending => nameof(EglQuality.Pending),
            DayMark.Anomaly => nameof(EglQuality.Anomaly),
            DayMark.Unknown => nameof(EglQuality.Unknown),
            DayMark.MeterChange => nameof(EglQuality.MeterChange),
            DayMark.Invalid => nameof(EglQuality.Invalid),
            _ => nameof(EglQuality.Missing),
        };

        private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>
        /// The page's style: light by default, dark when the reader prefers it (screen only), A4 print with one
        /// subscription per page. System fonts only; no url() at all.
        /// </summary>
        private const string Css =
            ":root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--card:#f2f4f7;--grid:#d9dee4;--axis:#8c959f;" +
            "--line:#1f6fb2;--bar:#1f6fb2;--prev:#7d8793;--est:#c25e00;--pend:#7c3aed;--anom:#b42318;--unk:#8a6100;--mc:#3d4451;--inv:#d1242f;--miss:#8c959f;--alert:#d1242f}" +
            "@media screen and (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--card:#161b22;--grid:#30363d;--axis:#6e7681;" +
            "--line:#58a6ff;--bar:#58a6ff;--prev:#8b949e;--est:#f0883e;--pend:#bc8cff;--anom:#ff7b72;--unk:#d29922;--mc:#c9d1d9;--inv:#ff7b72;--miss:#6e7681;--alert:#ff7b72}}" +
            "*{box-sizing:border-box}" +
            "body{margin:0 auto;max-width:1100px;padding:12px 16px;font:16px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}" +
            "h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.3em;margin:1.2em 0 .5em;border-bottom:2px solid var(--grid)}" +
            "header p{margin:.2em 0;color:var(--muted)}.source{font-style:italic}" +
            ".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,190px),1fr));gap:8px;margin:0 0 12px}" +
            ".figures div{background:var(--card);border-radius:6px;padding:8px 12px}.figures dt{font-size:.85em;color:var(--muted)}" +
            ".figures dd{margin:0;font-size:1.2em;font-weight:600}.figures small{display:block;font-size:.7em;font-weight:400;color:var(--muted)}" +
            ".nodata{color:var(--muted)}p.nodata{font-size:1.2em;padding:1em;background:var(--card);border-radius:6px}" +
            "figure{margin:12px 0}.scroll{overflow-x:auto;max-width:100%}" +
            "svg.chart{display:block;width:100%;height:auto;font-size:11px}" +
            "@media screen and (max-width:560px){svg.chart{min-width:520px}}" +
            "svg text{fill:var(--muted)}.yl text,.unit{text-anchor:end}.xm text,.an{text-anchor:middle}.an{fill:var(--alert);font-weight:700}" +
            ".grid{stroke:var(--grid);stroke-width:1;fill:none}.axis{stroke:var(--axis);stroke-width:1;fill:none}" +
            ".line{fill:none;stroke:var(--line);stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}.line.dense{stroke-width:1}.line-dot{fill:var(--line)}" +
            ".alert{fill:var(--alert);fill-opacity:.14;stroke:var(--alert);stroke-opacity:.5;stroke-dasharray:3 2}" +
            ".q-estimated{fill:var(--bg);stroke:var(--est);stroke-width:1.5}.q-pending{fill:var(--bg);stroke:var(--pend);stroke-width:1.5}" +
            ".q-anomaly{fill:var(--anom)}.q-unknown{fill:var(--bg);stroke:var(--unk);stroke-width:1.5}.q-meterchange{fill:var(--mc)}" +
            ".q-meterchange-line{stroke:var(--mc);stroke-dasharray:4 3;fill:none}.q-invalid{stroke:var(--inv);stroke-width:2;fill:none}" +
            ".q-missing{stroke:none}.hatch{stroke:var(--miss);stroke-width:1.5}.q-missing-swatch{fill:none;stroke:var(--miss);stroke-width:1.5}" +
            ".bar{fill:var(--bar)}.bar-part{fill:var(--bar);fill-opacity:.45;stroke:var(--bar);stroke-width:1.2;stroke-dasharray:3 2}" +
            ".bar-prev{stroke:var(--prev);stroke-width:1}.hatch-prev{stroke:var(--prev);stroke-width:2}.bar-prev-swatch{fill:none;stroke:var(--prev);stroke-width:1.5}" +
            ".legend{list-style:none;margin:6px 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:.88em}" +
            ".legend li{display:flex;align-items:center;gap:6px}svg.sw{width:16px;height:16px;flex:none;overflow:visible}" +
            "table{border-collapse:collapse;width:100%;font-size:.92em;margin:8px 0 16px;font-variant-numeric:tabular-nums}" +
            "caption{text-align:left;font-weight:600;padding:4px 0}th,td{padding:4px 8px;border-bottom:1px solid var(--grid);text-align:right;vertical-align:top}" +
            "th:first-child,td.text{text-align:left}thead th{color:var(--muted);font-weight:600}tbody th{font-weight:400;white-space:nowrap}" +
            // Narrow screens scroll a table sideways (in its .scroll box) rather than break its words letter by letter.
            "th,td{white-space:nowrap}td.wrap{white-space:normal;min-width:16em}" +
            "@media print{@page{size:A4;margin:12mm}body{max-width:none;padding:0;font-size:10.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}" +
            ".sub+.sub{break-before:page;page-break-before:always}figure,tr,.figures div{break-inside:avoid;page-break-inside:avoid}" +
            ".scroll{overflow:visible}svg.chart{min-width:0}}";
    }
}
