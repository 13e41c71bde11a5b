using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CsCheck;
using EglWater.Report;
using Xunit.Abstractions;
using static EglWater.Tests.ReportTestData;

namespace EglWater.Tests;

/// <summary>
/// The HTML report, read back with an HTML parser: structure, figures computed here from the input,
/// labels and number formats of both languages, escaping, size, and that nothing reaches the network.
/// </summary>
public class ReportWriterTests(ITestOutputHelper output)
{
    private static readonly DateTime Jan1 = new(2024, 1, 1), Jan31 = new(2024, 1, 31);

    /// <summary>January 2024, 300 + 2i litres on day i: 10,230 L in all, 330 L a day.</summary>
    private static List<EglConsumption> January(long sub = Sub) => Series(Jan1, Jan31, (i, d) => Day(d, 300 + (2 * i), sub: sub));

    private static string Render(ReportDocument doc) => HtmlReportWriter.Render(doc);

    [Fact]
    public void Each_subscription_gets_one_section_in_the_given_order()
    {
        var doc = Document([new ReportSection(3, January(3)), new ReportSection(1, January(1)), new ReportSection(2, [])], Jan1, Jan31);
        var html = Parse(Render(doc));
        var sections = html.QuerySelectorAll("section.sub");
        Assert.Equal(["3", "1", "2"], sections.Select(s => s.GetAttribute("data-subscription")));
        Assert.Equal(["Subscription 3", "Subscription 1", "Subscription 2"], sections.Select(s => s.QuerySelector("h2")!.TextContent));
        Assert.Equal(3, html.QuerySelectorAll("section").Length);
    }

    [Fact]
    public void Every_chart_is_an_image_with_a_title_and_a_sentence_describing_it()
    {
        var html = Parse(Render(ThreeYears()));
        var charts = html.QuerySelectorAll("svg.chart");
        Assert.Equal(2, charts.Length);
        foreach (var svg in charts)
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            string title = Child(svg, "title").TextContent, desc = Child(svg, "desc").TextContent;
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.True(desc.Length > 40 && desc.TrimEnd().EndsWith('.'), desc);
            // aria-labelledby names the title and the description.
            var ids = svg.GetAttribute("aria-labelledby")!.Split(' ');
            Assert.Equal(new[] { Child(svg, "title").Id!, Child(svg, "desc").Id! }, ids);
        }

        // The daily description gives the average and the highest day, computed here.
        var doc = ThreeYears();
        var known = doc.Sections[0].Daily.Where(r => r.Liters.HasValue).ToList();
        var max = known.OrderByDescending(r => r.Liters).First();
        string dailyDesc = Child(charts[0], "desc").TextContent;
        Assert.Contains(Math.Round(known.Average(r => r.Liters!.Value)).ToString("N0", CultureInfo.GetCultureInfo("en-US")) + " litres per day", dailyDesc);
        Assert.Contains(max.Date.ToString("MMMM d, yyyy", CultureInfo.GetCultureInfo("en-US")), dailyDesc);
    }

    [Fact]
    public void The_page_has_no_script_and_nothing_that_loads_from_the_network()
    {
        foreach (string html in new[] { Render(ThreeYears()), Render(ThreeYears("fr-FR", ReportLanguage.French)) })
        {
            var doc = Parse(html);
            Assert.Empty(doc.QuerySelectorAll("script, link, img, iframe, object, embed, audio, video, source, base"));
            foreach (var element in doc.All)
            {
                foreach (var attribute in element.Attributes)
                {
                    Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.LocalName} has {attribute.Name}");
                    Assert.DoesNotMatch(@"^\s*(https?:|//|javascript:)", attribute.Value);
                    Assert.DoesNotMatch(@"url\(\s*['""]?\s*(https?:|//)", attribute.Value);
                    if (attribute.Name is "href" or "src" or "xlink:href") Assert.StartsWith("#", attribute.Value);
                }
            }

            string css = string.Concat(doc.QuerySelectorAll("style").Select(s => s.TextContent));
            Assert.True(css.Length > 1000);
            Assert.DoesNotContain("url(", css);
            Assert.DoesNotContain("@import", css);
            Assert.DoesNotContain("@font-face", css);
            // Every url() left (pattern fills) points inside the page.
            foreach (Match m in Regex.Matches(html, @"url\(([^)]*)\)")) Assert.StartsWith("#", m.Groups[1].Value);
            // The source is shown as text, not as a link.
            Assert.Contains("https://example.invalid/ws", doc.QuerySelector(".source")!.TextContent);
        }
    }

    [Fact]
    public void The_legend_has_an_entry_for_each_quality_that_occurs_and_no_other()
    {
        var qualities = new[] { EglQuality.Estimated, EglQuality.Pending, EglQuality.Anomaly, EglQuality.Unknown, EglQuality.MeterChange, EglQuality.Invalid, EglQuality.Missing };
        var rng = new Random(7);
        for (int trial = 0; trial < 40; trial++)
        {
            var present = qualities.Where(_ => rng.Next(2) == 0).ToList();
            bool holes = rng.Next(3) == 0;
            var daily = Series(Jan1, Jan31, (i, d) =>
            {
                if (holes && i == 10) return null; // a day without any row
                if (i % 4 != 1 || present.Count == 0) return Day(d, 250 + i);
                var q = present[i / 4 % present.Count];
                bool noValue = q is EglQuality.MeterChange or EglQuality.Invalid or EglQuality.Missing;
                return Day(d, noValue ? null : 260 + i, q);
            });
            var expected = daily.Select(r => r.Quality).Where(q => q != EglQuality.Measured).Select(q => q.ToString()).ToHashSet();
            if (holes) expected.Add("Missing");

            var html = Parse(Render(Document([new ReportSection(Sub, daily)], Jan1, Jan31)));
            var legend = html.QuerySelectorAll("figure.daily .legend li[data-quality]").Select(li => li.GetAttribute("data-quality")!).ToList();
            Assert.Equal(expected.OrderBy(x => x), legend.OrderBy(x => x));
            Assert.Equal(legend.Count, legend.Distinct().Count());
            // Each legend entry has a swatch and words.
            Assert.All(html.QuerySelectorAll("figure.daily .legend li"), li =>
            {
                Assert.NotNull(li.QuerySelector("svg"));
                Assert.True(li.TextContent.Trim().Length > 3);
            });
        }
    }

    [Fact]
    public void Each_marked_day_gets_its_own_mark_with_a_shape_per_quality()
    {
        var daily = Series(Jan1, Jan31, (i, d) => i switch
        {
            3 or 4 or 5 => Day(d, 200, EglQuality.Estimated),
            9 => Day(d, null, EglQuality.MeterChange),
            12 or 13 => Day(d, null, EglQuality.Invalid),
            20 => Day(d, 500, EglQuality.Anomaly),
            21 => Day(d, 510, EglQuality.Unknown),
            29 or 30 => Day(d, 300, EglQuality.Pending),
            _ => Day(d, 300),
        });
        var html = Parse(Render(Document([new ReportSection(Sub, daily)], Jan1, Jan31)));
        var svg = html.QuerySelector("figure.daily svg.chart")!;
        string? D(string cls) => svg.QuerySelector("path." + cls)?.GetAttribute("d");
        Assert.Equal(3, Subpaths(D("q-estimated")));
        Assert.Equal(1, Subpaths(D("q-meterchange")));
        Assert.Equal(1, Subpaths(D("q-meterchange-line")));
        Assert.Equal(2 * 2, Subpaths(D("q-invalid"))); // a cross is two strokes
        Assert.Equal(1, Subpaths(D("q-anomaly")));
        Assert.Equal(1, Subpaths(D("q-unknown")));
        Assert.Equal(2, Subpaths(D("q-pending")));
        Assert.Null(D("q-missing"));
        // Shapes differ, not only colours: circle (arcs), triangle (3 corners), square, cross.
        Assert.Contains('A', D("q-estimated")!);
        Assert.DoesNotContain('A', D("q-pending")!);
        // The series is one path, broken at the four days without litres (9, 12-13): three runs.
        Assert.Single(svg.QuerySelectorAll("path.line"));
        Assert.Equal(3, Subpaths(D("line")));

        string quality = html.QuerySelector("p.quality")!.TextContent;
        Assert.Contains("3 days estimated (Jan 4, 2024 – Jan 6, 2024)", quality);
        Assert.Contains("1 meter change (Jan 10, 2024)", quality);
        Assert.Contains("2 invalid days", quality);
        Assert.Contains("2 days pending", quality);
        Assert.Contains("1 day flagged as an anomaly", quality);
    }

    [Fact]
    public void Alerts_are_shaded_over_their_days_and_listed_in_a_table()
    {
        var alerts = new List<ReportAlert>
        {
            new("Step", new DateTime(2024, 1, 5), new DateTime(2024, 1, 7), 1080, "High", "360 L a day above the usual level"),
            new("Spike", new DateTime(2024, 1, 20), new DateTime(2024, 1, 25), null, "Low", "One day above twice the mean"),
        };
        var html = Parse(Render(Document([new ReportSection(Sub, January(), alerts: alerts)], Jan1, Jan31)));
        var svg = html.QuerySelector("figure.daily svg.chart")!;
        var points = PathPoints(svg.QuerySelector("path.line")!.GetAttribute("d")!).ToList();
        Assert.Equal(31, points.Count);
        for (int k = 0; k < alerts.Count; k++)
        {
            var band = svg.QuerySelector($"rect.alert[data-alert='{k + 1}']")!;
            double x = double.Parse(band.GetAttribute("x")!, CultureInfo.InvariantCulture), w = double.Parse(band.GetAttribute("width")!, CultureInfo.InvariantCulture);
            int first = (alerts[k].StartDate - Jan1).Days, last = (alerts[k].EndDate - Jan1).Days;
            // The band covers the points of its days and no other.
            for (int i = 0; i < points.Count; i++)
            {
                bool inside = points[i].X > x && points[i].X < x + w;
                Assert.True(inside == (i >= first && i <= last), $"alert {k + 1}, day {i}");
            }
        }

        var rows = html.QuerySelectorAll("table.alerts tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Equal(["1", "Step", "Jan 5, 2024", "Jan 7, 2024", "1,080", "High", "360 L a day above the usual level"], rows[0].Children.Select(c => c.TextContent));
        Assert.Equal("—", rows[1].Children[4].TextContent);
        Assert.NotNull(html.QuerySelector("figure.daily .legend li[data-legend='alert']"));

        // No alert: no band, no table, a sentence.
        var quiet = Parse(Render(Document([new ReportSection(Sub, January())], Jan1, Jan31)));
        Assert.Empty(quiet.QuerySelectorAll("rect.alert, table.alerts"));
        Assert.Equal("No leak alert in this period.", quiet.QuerySelector("p.no-alerts")!.TextContent);
    }

    [Fact]
    public void The_headline_total_is_the_sum_of_the_known_daily_litres()
    {
        Gen.Select(Gen.Int[1, 400], Gen.Int[0, int.MaxValue]).Sample((days, seed) =>
        {
            var rng = new Random(seed);
            DateTime to = Jan1.AddDays(days - 1);
            var daily = Series(Jan1, to, (i, d) => rng.Next(10) switch
            {
                0 => Day(d, null, EglQuality.Missing),
                1 => Day(d, Math.Round(rng.NextDouble() * 900, 3), EglQuality.Estimated),
                2 => null,
                _ => Day(d, rng.Next(0, 1500)),
            });
            var known = daily.Where(r => r.Liters.HasValue).ToList();
            var html = Parse(Render(Document([new ReportSection(Sub, daily)], Jan1, to)));
            if (known.Count == 0)
            {
                Assert.NotNull(html.QuerySelector("p.nodata"));
                return;
            }

            double expected = known.Sum(r => r.Liters!.Value) / 1000;
            var total = html.QuerySelector("data.total")!;
            Assert.Equal(expected, double.Parse(total.GetAttribute("value")!, CultureInfo.InvariantCulture), 9);
            Assert.Equal(expected.ToString("N2", CultureInfo.GetCultureInfo("en-US")) + " m³", total.TextContent);
            double average = known.Average(r => r.Liters!.Value);
            Assert.Equal(average, double.Parse(html.QuerySelector("data.average")!.GetAttribute("value")!, CultureInfo.InvariantCulture), 6);
            // One table row per month, and the rows' m³ add up to the total.
            var rows = html.QuerySelectorAll("table.months tbody tr");
            Assert.Equal((to.Year - 2024) * 12 + to.Month, rows.Length);
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void French_labels_and_numbers_with_French_english_with_English()
    {
        var sections = new[] { new ReportSection(Sub, January(), Series(Jan1.AddYears(-1), Jan31.AddYears(-1), (i, d) => Day(d, 300))) };
        var fr = Parse(Render(Document(sections, Jan1, Jan31, "fr-FR", ReportLanguage.French)));
        var en = Parse(Render(Document(sections, Jan1, Jan31, "en-US", ReportLanguage.English)));

        Assert.Equal("fr", fr.DocumentElement.GetAttribute("lang"));
        Assert.Equal("en", en.DocumentElement.GetAttribute("lang"));
        // 10,230 L = 10.23 m³; 330 L a day; 300 L a day a year earlier: +10 %.
        Assert.Equal("10,23 m³", fr.QuerySelector("data.total")!.TextContent);
        Assert.Equal("10.23 m³", en.QuerySelector("data.total")!.TextContent);
        Assert.Equal("330 L/jour", fr.QuerySelector("data.average")!.TextContent);
        Assert.Equal("330 L/day", en.QuerySelector("data.average")!.TextContent);
        Assert.Equal(0.1, double.Parse(en.QuerySelector("data.change")!.GetAttribute("value")!, CultureInfo.InvariantCulture), 12);
        Assert.Equal("+10%", en.QuerySelector("data.change")!.TextContent);
        Assert.Matches(@"^\+10\s%$", fr.QuerySelector("data.change")!.TextContent);
        Assert.Equal("9,30 m³ (300 L/jour)", fr.QuerySelector(".previous")!.TextContent);

        Assert.Equal(["Consommation totale", "Moyenne par jour", "Même période un an plus tôt", "Évolution (moyenne par jour)", "Dernier jour publié"],
            fr.QuerySelectorAll(".figures dt").Select(e => e.TextContent));
        Assert.Equal(["Total consumption", "Average per day", "Same period a year earlier", "Change (daily average)", "Last published day"],
            en.QuerySelectorAll(".figures dt").Select(e => e.TextContent));
        Assert.Equal("Du 1 janvier 2024 au 31 janvier 2024", fr.QuerySelector(".period")!.TextContent);
        Assert.Equal("From January 1, 2024 to January 31, 2024", en.QuerySelector(".period")!.TextContent);
        Assert.Equal("Abonnement 1895683", fr.QuerySelector("h2")!.TextContent);
        Assert.Equal("Janvier 2024", fr.QuerySelector("table.months tbody th")!.TextContent);
        Assert.Equal("January 2024", en.QuerySelector("table.months tbody th")!.TextContent);
        Assert.Equal(["10,23", "330", "9,30"], fr.QuerySelectorAll("table.months tbody td").Take(3).Select(e => e.TextContent));
        Assert.Equal("Qualité des données\u00a0: tous les jours mesurés.", fr.QuerySelector("p.quality")!.TextContent);
        Assert.Equal("Data quality: every day measured.", en.QuerySelector("p.quality")!.TextContent);
        Assert.StartsWith("Consommation journalière", Child(fr.QuerySelector("svg.chart")!, "title").TextContent);
        Assert.StartsWith("Consommation journalière du 1 janvier 2024 au 31 janvier 2024 : 330 litres", Child(fr.QuerySelector("svg.chart")!, "desc").TextContent);

        // The monthly axis: 10.23 m³ gives ticks of 2.5, with the culture's decimal separator.
        var frTicks = fr.QuerySelectorAll("figure.monthly g.yl text").Select(t => t.TextContent).ToList();
        var enTicks = en.QuerySelectorAll("figure.monthly g.yl text").Select(t => t.TextContent).ToList();
        Assert.Equal(["0,0", "2,5", "5,0", "7,5", "10,0", "12,5"], frTicks);
        Assert.Equal(["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"], enTicks);
        Assert.Equal(["Jan", "2024"], en.QuerySelectorAll("figure.monthly g.xm text").Select(t => t.TextContent));
        Assert.Equal(["janv.", "2024"], fr.QuerySelectorAll("figure.monthly g.xm text").Select(t => t.TextContent));
        // The year earlier is a hatched bar beside this period's, with its legend entry.
        Assert.Equal(1, Subpaths(en.QuerySelector("figure.monthly path.bar-prev")!.GetAttribute("d")));
        Assert.Equal(1, Subpaths(en.QuerySelector("figure.monthly path.bar")!.GetAttribute("d")));
        Assert.Equal(["measured"], en.QuerySelectorAll("figure.daily .legend li").Select(li => li.GetAttribute("data-legend")));
        Assert.Equal(["period", "previous"], en.QuerySelectorAll("figure.monthly .legend li").Select(li => li.GetAttribute("data-legend")));
        Assert.Equal("Consommation par mois (janvier 2024 – janvier 2024) : 10,23 m³ au total ; le mois le plus élevé : janvier 2024, avec 10,23 m³. "
            + "Les mêmes mois un an plus tôt : 9,30 m³. Le tableau ci-dessous donne les mêmes chiffres.", Child(fr.QuerySelectorAll("svg.chart")[1], "desc").TextContent);
    }

    [Fact]
    public void The_page_says_when_and_from_what_it_was_made()
    {
        var en = Parse(Render(Document([new ReportSection(Sub, January())], Jan1, Jan31, source: "history store /home/x/history.db")));
        var made = en.QuerySelector("p.made")!;
        Assert.Equal("Made on March 4, 2025 8:30 AM (UTC+01:00) from history store /home/x/history.db.", made.TextContent.Replace('\u202f', ' '));
        Assert.Equal("2025-03-04T08:30:00+01:00", made.QuerySelector("time")!.GetAttribute("datetime"));
        var fr = Parse(Render(Document([new ReportSection(Sub, January())], Jan1, Jan31, "fr-FR", ReportLanguage.French, source: "lignes reçues")));
        Assert.Equal("Établi le 4 mars 2025 08:30 (UTC+01:00) à partir de : lignes reçues.", fr.QuerySelector("p.made")!.TextContent);
    }

    [Fact]
    public void Costs_show_the_total_the_tariff_and_whether_it_is_complete()
    {
        var costs = new ReportCosts("Grand Lyon 2026", 20.98m, false, [new ReportCost(new DateTime(2024, 1, 17), 20.98m, false)]);
        var en = Parse(Render(Document([new ReportSection(Sub, January(), costs: costs)], Jan1, Jan31)));
        var dd = en.QuerySelector("data.cost")!;
        Assert.Equal("€20.98", dd.TextContent);
        Assert.Equal("20.98", dd.GetAttribute("value"));
        Assert.Equal("tariff Grand Lyon 2026 · incomplete: some days are missing or not final", dd.ParentElement!.QuerySelector("small")!.TextContent);
        Assert.Equal(["Month", "m³", "L/day", "A year earlier (m³)", "Cost", "Quality"], en.QuerySelectorAll("table.months thead th").Select(t => t.TextContent));
        Assert.Equal("€20.98 (partial)", en.QuerySelectorAll("table.months tbody td")[3].TextContent);
        var fr = Parse(Render(Document([new ReportSection(Sub, January(), costs: costs)], Jan1, Jan31, "fr-FR", ReportLanguage.French)));
        Assert.Matches(@"^20,98\s€$", fr.QuerySelector("data.cost")!.TextContent);
        // Without costs: no cost figure, no cost column.
        var none = Parse(Render(Document([new ReportSection(Sub, January())], Jan1, Jan31)));
        Assert.Null(none.QuerySelector(".cost"));
        Assert.Equal(5, none.QuerySelectorAll("table.months thead th").Length);
    }

    [Fact]
    public void A_year_earlier_without_data_says_so()
    {
        var html = Parse(Render(Document([new ReportSection(Sub, January())], Jan1, Jan31)));
        Assert.Equal("no data", html.QuerySelector(".previous")!.TextContent);
        Assert.Equal("no data", html.QuerySelector(".change")!.TextContent);
        Assert.Empty(html.QuerySelectorAll("path.bar-prev"));
        Assert.Null(html.QuerySelector("figure.monthly .legend li[data-legend='previous']"));
        Assert.EndsWith("No data a year earlier. The table below gives the same figures.", Child(html.QuerySelectorAll("svg.chart")[1], "desc").TextContent);
    }

    [Fact]
    public void An_empty_section_says_there_is_no_data_instead_of_drawing_a_chart()
    {
        var allUnknown = Series(Jan1, Jan31, (i, d) => Day(d, null, EglQuality.Missing));
        var outside = Series(Jan1.AddYears(-2), Jan31.AddYears(-2), (i, d) => Day(d, 100));
        foreach (var daily in new[] { new List<EglConsumption>(), allUnknown, outside })
        {
            foreach (var (culture, language, message) in new[] { ("en-US", ReportLanguage.English, "No data for this period."), ("fr-FR", ReportLanguage.French, "Aucune donnée pour cette période.") })
            {
                var html = Parse(Render(Document([new ReportSection(Sub, January(2)), new ReportSection(Sub, daily)], Jan1, Jan31, culture, language)));
                var empty = html.QuerySelectorAll("section.sub")[1];
                Assert.Equal(message, empty.QuerySelector("p.nodata")!.TextContent);
                Assert.Empty(empty.QuerySelectorAll("svg, table"));
                Assert.Equal(2, html.QuerySelectorAll("section.sub")[0].QuerySelectorAll("svg.chart").Length);
            }
        }

        // An inverted range and a page without sections also render plainly.
        var inverted = Parse(Render(Document([new ReportSection(Sub, January())], Jan31, Jan1)));
        Assert.Equal("No data for this period.", inverted.QuerySelector("p.nodata")!.TextContent);
        var nothing = Parse(Render(Document([], Jan1, Jan31, title: " ")));
        Assert.Equal("Water consumption", nothing.QuerySelector("h1")!.TextContent);
        Assert.Equal("No subscription to show.", nothing.QuerySelector("p.nodata")!.TextContent);
    }

    [Fact]
    public void Text_from_the_caller_comes_out_inert()
    {
        const string title = "<script>alert('t')</script> & \"co\"";
        const string source = "\"><img src=x onerror=alert(1)><style>body{background:url(https://evil.example/x)}</style>";
        var alerts = new List<ReportAlert> { new("<b>kind</b>", Jan1, Jan1.AddDays(2), 10, "<i>high</i>", "</td></tr></table><script>x()</script>") };
        var costs = new ReportCosts("<svg onload=alert(1)>", 1m, true);
        var html = Parse(Render(Document([new ReportSection(Sub, January(), alerts: alerts, costs: costs)], Jan1, Jan31, title: title, source: source)));
        Assert.Empty(html.QuerySelectorAll("script, img, b, i"));
        Assert.Single(html.QuerySelectorAll("style"));
        Assert.Equal(2, html.QuerySelectorAll("svg.chart").Length);
        Assert.Equal(title, html.Title);
        Assert.Equal(title, html.QuerySelector("h1")!.TextContent);
        Assert.Equal(source, html.QuerySelector(".source")!.TextContent);
        Assert.Equal(["<b>kind</b>", "<i>high</i>", "</td></tr></table><script>x()</script>"],
            html.QuerySelectorAll("table.alerts tbody td.text").Select(td => td.TextContent));
        Assert.Contains("<svg onload=alert(1)>", html.QuerySelector(".figures small")!.TextContent);
        Assert.All(html.All, e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_three_year_page_stays_well_under_one_megabyte()
    {
        var html = Render(ThreeYears());
        int bytes = Encoding.UTF8.GetByteCount(html);
        output.WriteLine($"three-year page: {bytes:N0} bytes");
        Assert.InRange(bytes, 20_000, 1_000_000);

        // The worst case: every day marked, alternating qualities, three subscriptions.
        DateTime from = new(2022, 1, 1), to = new(2024, 12, 31);
        var qualities = new[] { EglQuality.Estimated, EglQuality.Pending, EglQuality.Anomaly, EglQuality.Unknown, EglQuality.Invalid, EglQuality.MeterChange, EglQuality.Missing };
        var worst = Series(from, to, (i, d) => Day(d, i % 7 >= 4 ? null : Litres(i), qualities[i % 7]));
        var sections = Enumerable.Range(1, 3).Select(s => new ReportSection(s, worst, worst)).ToList();
        int worstBytes = Encoding.UTF8.GetByteCount(Render(Document(sections, from, to)));
        output.WriteLine($"three subscriptions, every day marked: {worstBytes:N0} bytes");
        Assert.True(worstBytes < 1_000_000, worstBytes.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_monthly_table_has_one_row_per_month_of_the_range()
    {
        DateTime from = new(2023, 11, 15), to = new(2025, 2, 3);
        // Days only from 2024-03-01 on: the months before show "no data" but keep their row.
        var daily = Series(new DateTime(2024, 3, 1), to, (i, d) => Day(d, 100));
        var html = Parse(Render(Document([new ReportSection(Sub, daily)], from, to)));
        var rows = html.QuerySelectorAll("table.months tbody tr");
        var expected = new List<string>();
        for (var m = new DateTime(2023, 11, 1); m <= to; m = m.AddMonths(1)) expected.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Assert.Equal(16, expected.Count);
        Assert.Equal(expected, rows.Select(r => r.GetAttribute("data-month")));
        Assert.Equal("no data", rows[0].Children.Last().TextContent);
        Assert.Equal(["—", "—", "—"], rows[0].Children.Skip(1).Take(3).Select(c => c.TextContent));
        // March 2024: 31 days of 100 L; February 2025: 3 of 28 days.
        Assert.Equal(["3.10", "100", "—", "every day measured"], rows[4].Children.Skip(1).Select(c => c.TextContent));
        Assert.Equal(["0.30", "100", "—", "3 of 28 days known"], rows[15].Children.Skip(1).Select(c => c.TextContent));
        // Days without a row between the first and the last one count as "without data".
        Assert.Contains("107 days without data (Nov 15, 2023 – Feb 29, 2024)", html.QuerySelector("p.quality")!.TextContent);
        // One bar per month that has data.
        var svg = html.QuerySelectorAll("svg.chart")[1];
        Assert.Equal(12, Subpaths(svg.QuerySelector("path.bar")?.GetAttribute("d")) + Subpaths(svg.QuerySelector("path.bar-part")?.GetAttribute("d")));
    }

    [Fact]
    public void A_row_covering_several_days_is_spread_over_them()
    {
        // A gap without interpolation: one row for 10-12 January holding 300 L.
        var daily = January().Where(r => r.Date.Day is < 10 or > 12).ToList();
        daily.Add(new EglConsumption(Sub, EglGranularity.Day, new DateTime(2024, 1, 10), new DateTime(2024, 1, 12), 3, 3, 300, EglQuality.Estimated, "R", false));
        var html = Parse(Render(Document([new ReportSection(Sub, daily)], Jan1, Jan31)));
        double expected = (daily.Sum(r => r.Liters!.Value)) / 1000;
        Assert.Equal(expected, double.Parse(html.QuerySelector("data.total")!.GetAttribute("value")!, CultureInfo.InvariantCulture), 9);
        Assert.Equal(3, Subpaths(html.QuerySelector("path.q-estimated")!.GetAttribute("d")));
        Assert.Equal(31, PathPoints(html.QuerySelector("path.line")!.GetAttribute("d")!).Count());
        // 10,230 L less days 10-12 (318 + 320 + 322 L), plus the 300 L row.
        Assert.Equal((10230 - 318 - 320 - 322 + 300) / 31.0, double.Parse(html.QuerySelector("data.average")!.GetAttribute("value")!, CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void The_output_does_not_depend_on_the_current_culture()
    {
        var outputs = new Dictionary<string, string>();
        foreach (string culture in new[] { "en-US", "fr-FR", "de-DE", "ar-SA", "" })
        {
            using var scope = new CultureScope(culture);
            outputs[culture] = Render(ThreeYears("fr-FR", ReportLanguage.French)) + Render(ThreeYears());
        }

        Assert.All(outputs.Values, o => Assert.Equal(outputs["en-US"], o));
    }

    [Fact]
    public void The_page_is_laid_out_for_phones_print_and_dark_mode()
    {
        var html = Parse(Render(ThreeYears()));
        string css = html.QuerySelector("style")!.TextContent;
        Assert.Equal("width=device-width, initial-scale=1", html.QuerySelector("meta[name='viewport']")!.GetAttribute("content"));
        Assert.Contains("prefers-color-scheme:dark", css);
        Assert.Contains("@page{size:A4", css);
        Assert.Contains(".sub+.sub{break-before:page", css);
        Assert.Contains("svg.chart{display:block;width:100%;height:auto", css);
        // No fixed width wider than a phone outside the charts' own scrolling box.
        foreach (Match m in Regex.Matches(css, @"(?<![-\w])(min-)?width:(\d+)px")) Assert.True(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) <= 520, m.Value);
        foreach (var svg in html.QuerySelectorAll("svg.chart"))
        {
            Assert.Null(svg.GetAttribute("width"));
            Assert.Equal("scroll", svg.ParentElement!.ClassName);
        }
    }
}
