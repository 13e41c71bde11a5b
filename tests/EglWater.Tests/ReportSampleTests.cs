using System.Text;
using EglWater.Report;
using Xunit.Abstractions;

namespace EglWater.Tests;

/// <summary>Writes example pages to a temporary folder, for a human to open in a browser.</summary>
public class ReportSampleTests(ITestOutputHelper output)
{
    [Fact]
    public void Writes_an_example_page_to_open_in_a_browser()
    {
        string folder = Path.Combine(Path.GetTempPath(), "eglwater-report-sample");
        Directory.CreateDirectory(folder);
        foreach (var (name, doc) in new[]
        {
            ("report-sample-en.html", ReportTestData.ThreeYears()),
            ("report-sample-fr.html", ReportTestData.ThreeYears("fr-FR", ReportLanguage.French)),
            ("report-sample-month-fr.html", ReportTestData.OneMonthAllMarks()),
        })
        {
            string path = Path.Combine(folder, name);
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
                HtmlReportWriter.Write(doc, writer);
            output.WriteLine($"example page: {path} ({new FileInfo(path).Length:N0} bytes)");
            Assert.True(File.Exists(path));
            Assert.True(new FileInfo(path).Length > 10_000);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
        }
    }
}
