using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using EglWater.Report;

namespace EglWater.Tests;

/// <summary>Data sets and parsing helpers of the report tests.</summary>
internal static class ReportTestData
{
    public const long Sub = 1895683;
    public static readonly DateTimeOffset GeneratedAt = new(2025, 3, 4, 8, 30, 0, TimeSpan.FromHours(1));

    public static EglConsumption Day(DateTime day, double? liters, EglQuality quality = EglQuality.Measured, long sub = Sub) =>
        new(sub, EglGranularity.Day, day, day, 1, liters.HasValue ? 1 : 0, liters, quality, "R", quality == EglQuality.Measured && liters.HasValue);

    /// <summary>One row per day of [from, to]; a null from <paramref name="row"/> leaves the day without a row.</summary>
    public static List<EglConsumption> Series(DateTime from, DateTime to, Func<int, DateTime, EglConsumption?> row)
    {
        var rows = new List<EglConsumption>();
        for (int i = 0; from.AddDays(i) <= to; i++)
        {
            if (row(i, from.AddDays(i)) is EglConsumption r) rows.Add(r);
        }

        return rows;
    }

    public static ReportDocument Document(
        IReadOnlyList<ReportSection> sections,
        DateTime from,
        DateTime to,
        string culture = "en-US",
        ReportLanguage language = ReportLanguage.English,
        string title = "Water at home",
        string source = "Eau du Grand Lyon partner API (https://example.invalid/ws)") =>
        new(title, GeneratedAt, source, new CultureInfo(culture), language, from, to, sections);

    /// <summary>A realistic three-year page: seasonal litres, a gap spread evenly, pending tail, a meter change, alerts, costs.</summary>
    public static ReportDocument ThreeYears(string culture = "en-US", ReportLanguage language = ReportLanguage.English)
    {
        DateTime from = new(2022, 1, 1), to = new(2024, 12, 31);
        var daily = Series(from, to, (i, d) => i switch
        {
            >= 200 and <= 203 => Day(d, 250, EglQuality.Estimated),
            500 => Day(d, null, EglQuality.MeterChange),
            800 => Day(d, null, EglQuality.Invalid),
            >= 900 and <= 904 => Day(d, null, EglQuality.Missing),
            950 => Day(d, 1210, EglQuality.Anomaly),
            >= 1094 => Day(d, 300, EglQuality.Pending),
            _ => Day(d, Litres(i) + (i is >= 600 and <= 640 ? 360 : 0)),
        });
        var previous = Series(from.AddYears(-1), to.AddYears(-1), (i, d) => Day(d, Litres(i + 17) * 0.95));
        var costs = new ReportCosts(
            "Grand Lyon 2026",
            421.37m,
            false,
            Enumerable.Range(0, 36).Select(m => new ReportCost(from.AddMonths(m), 11.5m + (m % 7), m != 35)).ToList());
        var alerts = new List<ReportAlert>
        {
            new("Step", from.AddDays(600), from.AddDays(640), 41 * 360, "High", "The days sit 360 L above the usual level"),
            new("Spike", from.AddDays(950), from.AddDays(950), 900, "Medium", "One day above twice the 7-day mean"),
        };
        var section = new ReportSection(Sub, daily, previous, costs, alerts, to.AddDays(-2));
        return Document([section], from, to, culture, language);
    }

    /// <summary>One month with every kind of mark, an alert, costs and a year earlier; two subscriptions, one empty.</summary>
    public static ReportDocument OneMonthAllMarks(string culture = "fr-FR", ReportLanguage language = ReportLanguage.French)
    {
        DateTime from = new(2024, 8, 1), to = new(2024, 8, 31);
        var daily = Series(from, to, (i, d) => i switch
        {
            >= 4 and <= 6 => Day(d, 280, EglQuality.Estimated),
            9 => Day(d, null, EglQuality.MeterChange),
            12 => Day(d, null, EglQuality.Invalid),
            14 or 15 => Day(d, null, EglQuality.Missing),
            17 => Day(d, 820, EglQuality.Anomaly),
            18 => Day(d, 410, EglQuality.Unknown),
            >= 27 and <= 28 => Day(d, 330, EglQuality.Pending),
            >= 29 => null,
            _ => Day(d, Litres(i) + (i is >= 20 and <= 24 ? 360 : 0)),
        });
        var previous = Series(from.AddYears(-1), to.AddYears(-1), (i, d) => Day(d, Litres(i + 40)));
        var costs = new ReportCosts("Grand Lyon 2026", 38.12m, false, [new ReportCost(from, 38.12m, false)]);
        var alerts = new List<ReportAlert> { new("Step", from.AddDays(20), from.AddDays(24), 1800, "High", "5 days 360 L above the usual level") };
        return Document([new ReportSection(Sub, daily, previous, costs, alerts, from.AddDays(28)), new ReportSection(Sub + 1, [])], from, to, culture, language);
    }

    /// <summary>Deterministic household-like litres: a season, a weekly rhythm and a little noise.</summary>
    public static double Litres(int i) =>
        Math.Round(300 + (60 * Math.Sin(2 * Math.PI * i / 365.0)) + (i % 7 == 5 ? 90 : 0) + (i * 7919 % 97), 0);

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    public static IElement Child(IElement parent, string localName) => parent.Children.Single(c => c.LocalName == localName);

    /// <summary>The points a path goes through (absolute M, L, H, V, A, Z only); arcs add their vertical extent.</summary>
    public static IEnumerable<(double X, double Y)> PathPoints(string d)
    {
        var tokens = Regex.Matches(d, @"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)").Select(m => m.Value).ToList();
        char command = ' ';
        double x = 0, y = 0;
        double N(int k) => double.Parse(tokens[k], NumberStyles.Float, CultureInfo.InvariantCulture);
        for (int i = 0; i < tokens.Count;)
        {
            if (char.IsLetter(tokens[i][0]))
            {
                command = tokens[i][0];
                i++;
                if (command == 'Z') continue;
            }

            switch (command)
            {
                case 'M':
                case 'L':
                    (x, y) = (N(i), N(i + 1));
                    i += 2;
                    yield return (x, y);
                    break;
                case 'H':
                    x = N(i++);
                    yield return (x, y);
                    break;
                case 'V':
                    y = N(i++);
                    yield return (x, y);
                    break;
                case 'A':
                    double ry = N(i + 1);
                    (x, y) = (N(i + 5), N(i + 6));
                    i += 7;
                    yield return (x, y - ry);
                    yield return (x, y + ry);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected path command '{command}' in: {d}");
            }
        }
    }

    /// <summary>The number of subpaths (M commands) of a path.</summary>
    public static int Subpaths(string? d) => d is null ? 0 : d.Count(c => c == 'M');
}
