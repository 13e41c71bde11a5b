using System.Globalization;
using CsCheck;
using EglWater.Report;
using static EglWater.Tests.ReportTestData;

namespace EglWater.Tests;

/// <summary>The SVG charts: everything drawn stays inside the viewBox; round axis ticks; readable date ticks.</summary>
public class ReportChartTests
{
    private static double Num(string? s) => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Pages with awkward data: three years, one day, all zeros, a huge spike, alerts at the edges and outside.</summary>
    public static TheoryData<string> Cases() => ["three-years", "one-day", "zeros", "spike", "negative", "edges", "fr-three-years"];

    private static ReportDocument Case(string name)
    {
        DateTime jan1 = new(2024, 1, 1);
        switch (name)
        {
            case "three-years": return ThreeYears();
            case "fr-three-years": return ThreeYears("fr-FR", ReportLanguage.French);
            case "one-day": return Document([new ReportSection(Sub, [Day(jan1, 42, EglQuality.Pending)], [Day(jan1.AddYears(-1), 40)])], jan1, jan1);
            case "zeros": return Document([new ReportSection(Sub, Series(jan1, jan1.AddDays(40), (i, d) => Day(d, 0, i % 5 == 0 ? EglQuality.Estimated : EglQuality.Measured)))], jan1, jan1.AddDays(40));
            case "spike":
                return Document([new ReportSection(Sub, Series(jan1, jan1.AddDays(89), (i, d) => Day(d, i == 44 ? 1_234_567.8 : 0.3, i == 44 ? EglQuality.Anomaly : EglQuality.Measured)))], jan1, jan1.AddDays(89));
            case "negative": // piped rows may hold anything: a negative day is drawn on the axis
                return Document([new ReportSection(Sub, Series(jan1, jan1.AddDays(9), (i, d) => Day(d, i == 4 ? -500 : 120)), [Day(jan1.AddYears(-1), -3000)])], jan1, jan1.AddDays(9));
            default:
                var alerts = new List<ReportAlert>
                {
                    new("a", jan1.AddDays(-10), jan1.AddDays(1), 1, "", ""),
                    new("b", jan1.AddDays(29), jan1.AddDays(60), 1, "", ""),
                    new("c", jan1.AddDays(100), jan1.AddDays(101), 1, "", ""),
                };
                var daily = Series(jan1, jan1.AddDays(29), (i, d) => i is 0 or 29 ? Day(d, null, EglQuality.MeterChange) : Day(d, 100 + i));
                return Document([new ReportSection(Sub, daily, alerts: alerts)], jan1, jan1.AddDays(29));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_coordinate_stays_inside_the_view_box(string name)
    {
        var html = Parse(HtmlReportWriter.Render(Case(name)));
        var charts = html.QuerySelectorAll("svg.chart");
        Assert.Equal(2, charts.Length);
        int checkedPoints = 0;
        foreach (var svg in charts)
        {
            var box = svg.GetAttribute("viewBox")!.Split(' ').Select(v => Num(v)).ToArray();
            Assert.Equal(4, box.Length);
            (double x0, double y0, double w, double h) = (box[0], box[1], box[2], box[3]);
            void Inside(double x, double y, string what)
            {
                Assert.True(x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h, $"{name}: {what} at ({x}, {y}) outside {w}x{h}");
                checkedPoints++;
            }

            foreach (var path in svg.QuerySelectorAll("path"))
            {
                string d = path.GetAttribute("d")!;
                Assert.DoesNotContain(",", d); // invariant numbers, whatever the culture
                foreach (var (x, y) in PathPoints(d)) Inside(x, y, "path." + path.ClassName);
            }

            foreach (var rect in svg.QuerySelectorAll("rect"))
            {
                double x = Num(rect.GetAttribute("x")), y = Num(rect.GetAttribute("y"));
                double rw = Num(rect.GetAttribute("width")), rh = Num(rect.GetAttribute("height"));
                Assert.True(rw > 0 && rh > 0);
                Inside(x, y, "rect");
                Inside(x + rw, y + rh, "rect");
            }

            foreach (var text in svg.QuerySelectorAll("text"))
            {
                // Its anchor point, and both ends for a lower estimate of its width (5.5 px a character at 11 px).
                double x = Num(text.GetAttribute("x")), y = Num(text.GetAttribute("y")), width = text.TextContent.Length * 5.5;
                string anchor = text.ParentElement!.ClassName switch
                {
                    "yl" => "end",
                    "xm" => "middle",
                    _ => text.ClassName is "unit" ? "end" : text.ClassName is "an" ? "middle" : "start",
                };
                double left = anchor switch { "end" => x - width, "middle" => x - (width / 2), _ => x };
                Inside(x, y, "text " + text.TextContent);
                Inside(left, y, "start of text " + text.TextContent);
                Inside(left + width, y, "end of text " + text.TextContent);
            }
            Assert.Empty(svg.QuerySelectorAll("polyline, polygon, line, circle, image, foreignObject, use"));
        }

        Assert.True(checkedPoints > 20);
    }

    [Fact]
    public void The_edge_alerts_are_clipped_to_the_range_and_an_alert_outside_it_is_only_listed()
    {
        var html = Parse(HtmlReportWriter.Render(Case("edges")));
        Assert.Equal(["1", "2"], html.QuerySelectorAll("rect.alert").Select(r => r.GetAttribute("data-alert")));
        Assert.Equal(3, html.QuerySelectorAll("table.alerts tbody tr").Length);
    }

    [Fact]
    public void The_spike_day_is_the_top_of_the_chart_and_the_small_days_stay_on_it()
    {
        var html = Parse(HtmlReportWriter.Render(Case("spike")));
        var ticks = html.QuerySelectorAll("figure.daily g.yl text").Select(t => t.TextContent).ToList();
        Assert.Equal("0", ticks[0]);
        Assert.Equal("1,250,000", ticks[^1]);
    }

    [Theory]
    [InlineData(845, 1000, 200, 0)]
    [InlineData(10.23, 12.5, 2.5, 1)]
    [InlineData(0, 1, 0.2, 1)]
    [InlineData(1, 1, 0.2, 1)]
    [InlineData(360, 400, 100, 0)]
    [InlineData(1234567.8, 1250000, 250000, 0)]
    [InlineData(0.042, 0.05, 0.01, 2)]
    [InlineData(120, 125, 25, 0)]
    [InlineData(1.2, 1.25, 0.25, 2)]
    // Floating-point noise above a round value (0.01 * 3) does not cost a whole step: the axis ends at 0.03.
    [InlineData(0.030000000000000002, 0.03, 0.01, 2)]
    [InlineData(0.30000000000000004, 0.3, 0.1, 1)]
    public void Nice_scales_by_hand(double max, double niceMax, double step, int decimals)
    {
        var scale = SvgChart.NiceScale(max, 5);
        Assert.Equal(niceMax, scale.Max, 9);
        Assert.Equal(step, scale.Step, 9);
        Assert.Equal(decimals, scale.Decimals);
    }

    [Fact]
    public void Nice_scales_cover_the_data_with_few_round_steps()
    {
        Gen.Double[1e-4, 1e9].Sample(max =>
        {
            var (top, step, decimals) = SvgChart.NiceScale(max, 5);
            // The axis covers the data, up to floating-point noise of a billionth of a step (NiceScale's tolerance,
            // far below a pixel): 0.030000000000000002 ends at 0.03, not at 0.04.
            Assert.True(top >= max - (step * 1e-9) && top < max + step + (step * 1e-9), $"{max:R} -> {top:R} by {step:R}");
            double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-12));
            Assert.Contains(Math.Round(mantissa, 9), new[] { 1, 2, 2.5, 5 });
            double ticks = Math.Round(top / step);
            Assert.InRange(ticks, 1, 10);
            // The labels' decimals show the step exactly, and no more.
            string label = step.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            Assert.Equal(step, double.Parse(label, CultureInfo.InvariantCulture), 9);
            if (decimals > 0) Assert.NotEqual('0', label[^1]);
        }, iter: 2000);
    }

    [Fact]
    public void Date_ticks_are_at_most_nine_inside_the_range_and_on_round_days()
    {
        Gen.Select(Gen.Int[0, 3000], Gen.Int[0, 5000]).Sample((offset, length) =>
        {
            DateTime from = new DateTime(2015, 1, 1).AddDays(offset), to = from.AddDays(length);
            var ticks = SvgChart.ChooseDayTicks(from, to, out bool monthly, out bool yearly);
            Assert.InRange(ticks.Count, 1, 9);
            Assert.All(ticks, t => Assert.InRange(t, from, to));
            Assert.Equal(ticks.OrderBy(t => t), ticks);
            if (yearly) Assert.All(ticks, t => Assert.Equal((1, 1), (t.Month, t.Day)));
            else if (monthly) Assert.All(ticks, t => Assert.Equal(1, t.Day));
            else if (length >= 18) Assert.All(ticks, t => Assert.Equal(DayOfWeek.Monday, t.DayOfWeek));
        }, iter: 3000);
    }
}

/// <summary>Alert labels on the daily chart, and alert words in the report's language.</summary>
public class ReportAlertLabelTests
{
    [Fact]
    public void Labels_that_would_overlap_share_one_text_at_their_mean_position()
    {
        var groups = EglWater.Report.SvgChart.GroupLabels([(100, "2"), (90, "1"), (104, "3"), (300, "4")], 16).ToList();
        Assert.Equal([(98.0, "1, 2, 3"), (300.0, "4")], groups);
        Assert.Equal([(10.0, "1"), (26.0, "2")], EglWater.Report.SvgChart.GroupLabels([(10, "1"), (26, "2")], 16).ToList());
    }

    [Fact]
    public void A_leak_reported_by_three_signals_gets_one_label_and_words_in_french()
    {
        var doc = ReportTestData.OneMonthAllMarks();
        var section = doc.Sections[0];
        var from = section.Daily[0].Date;
        var three = new List<EglWater.Report.ReportAlert>
        {
            new("SustainedRise", from.AddDays(10), from.AddDays(20), 3000, "Critical", "rise"),
            new("ContinuousFlow", from.AddDays(10), from.AddDays(20), 2900, "Critical", "flow"),
            new("ProviderEstimate", from.AddDays(11), from.AddDays(20), 2800, "Warning", "estimate"),
        };
        var page = EglWater.Report.HtmlReportWriter.Render(new EglWater.Report.ReportDocument(doc.Title, doc.GeneratedAt, doc.Source, doc.Culture, doc.Language, doc.From, doc.To,
            [new EglWater.Report.ReportSection(section.SubscriptionNumber, section.Daily, section.PreviousYearDaily, section.Costs, three, section.LastPublishedDay)]));
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page);
        Assert.Equal(["1, 2, 3"], html.QuerySelectorAll("svg text.an").Select(t => t.TextContent));
        Assert.Equal(3, html.QuerySelectorAll("svg rect.alert").Length);
        var cells = html.QuerySelectorAll("table.alerts tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToList()).ToList();
        Assert.Equal(["Hausse durable", "Débit continu", "Estimation du fournisseur"], cells.Select(c => c[1]));
        Assert.Equal(["Critique", "Critique", "Attention"], cells.Select(c => c[5]));
    }
}
