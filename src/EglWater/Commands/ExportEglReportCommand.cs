using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using EglWater.Engine.Cost;
using EglWater.Engine.Leaks;
using EglWater.Report;

namespace EglWater.Commands
{
    /// <summary>
    /// One self-contained HTML page (inline SVG charts, no script, nothing from the network) of the water of one or
    /// more subscriptions: headline figures, daily and monthly charts, leak alerts, data quality, a monthly table.
    /// This reads the days (the range, the same period a year earlier, the baselines and 1 January before it), runs
    /// the leak and cost engines, and hands plain data to the report writer; the file appears whole or not at all.
    /// </summary>
    [Cmdlet(VerbsData.Export, "EglReport", DefaultParameterSetName = RangeSet, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportEglReportCommand : EglDataCmdlet
    {
        private const string RangeSet = "Range";
        private const string RowsSet = "Rows";

        private readonly PipedDailyRows _piped = new PipedDailyRows();
        private string _path = string.Empty;
        private Tariff? _tariff;

        /// <summary>The HTML file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The subscriptions to show; the session's main one (every one of the store with -HistoryPath or -ConnectionString) by default.</summary>
        [Parameter(ParameterSetName = RangeSet)]
        [Parameter(ParameterSetName = HistorySet)]
        [Parameter(ParameterSetName = DatabaseSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionNumberCompleter))]
        public long[]? SubscriptionNumber { get; set; }

        /// <summary>Daily rows from Get-EglConsumption.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RowsSet)]
        public EglConsumption InputObject { get; set; } = null!;

        /// <summary>The tariff file that prices the range; default: the shipped Eau du Grand Lyon grid.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Tariff { get; set; }

        /// <summary>The page's title.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>Replace the file when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the file's FileInfo.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Piped rows need no session.</summary>
        protected override bool RequiresSessionOnline => false;

        /// <summary>By default the last 12 months.</summary>
        protected override DateTime? DefaultStart(DateTime end) => end.Year > 1 ? end.AddYears(-1).AddDays(1) : DateTime.MinValue;

        private static bool French => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _path = ResolveOutput(Path);
            try
            {
                _tariff = ResolveTariff(Tariff);
            }
            catch (EglException ex)
            {
                ThrowEgl(ex, Tariff);
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RowsSet)
            {
                if (!_piped.Add(InputObject))
                    ThrowArgument($"Export-EglReport needs daily rows, and got a {InputObject.Granularity} row ({InputObject}). Pipe Get-EglConsumption without -Granularity.", "EglNotDailyRows", InputObject);
                return;
            }

            if (!ReadsStore) RequireSession();
            var (from, to) = ResolveRange();
            if (!ShouldProcess(_path, "Write the water report")) return;
            var sections = new List<ReportSection>();
            foreach (var (subscription, source) in ResolveSources(SubscriptionNumber))
            {
                var rows = new List<EglConsumption>();
                ReadConsumption(source, subscription, ReadFrom(from), to, EglGranularity.Day, interpolate: true, "; the report shows them as missing", rows.AddRange);
                sections.Add(Section(subscription, rows, from, to, piped: false));
            }

            string origin = ReadsStore
                ? (French ? "historique " : "history store ") + StoreLocation
                : (ActiveSession.Api == EglApiKind.Partner ? (French ? "API partenaire EGL " : "EGL partner API ") : (French ? "portail client EGL " : "EGL customer portal ")) + ActiveSession.BaseUri;
            Write(sections, from, to, origin);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == RowsSet)
            {
                var piped = _piped.BySubscription().ToList();
                if (piped.Count == 0)
                {
                    WriteWarning("No daily row came through the pipeline: the report was not written.");
                    return;
                }

                DateTime from = StartDate?.Date ?? piped.Min(p => p.First), to = EndDate?.Date ?? piped.Max(p => p.Last);
                if (from > to) ThrowArgument(string.Format(CultureInfo.InvariantCulture, "-StartDate ({0:yyyy-MM-dd}) is after -EndDate ({1:yyyy-MM-dd}). Give a start on or before the end.", from, to), "EglInvalidDateRange", StartDate);
                if (ShouldProcess(_path, "Write the water report"))
                    Write(piped.Select(p => Section(p.Subscription, p.Rows, from, to, piped: true)).ToList(), from, to, French ? "lignes de consommation reçues par le pipeline" : "consumption rows piped into Export-EglReport");
            }

            WarnDoubtfulReadings();
        }

        /// <summary>The first day to read: the same period a year earlier, the leak baselines, and 1 January for the tiers.</summary>
        private static DateTime ReadFrom(DateTime from)
        {
            DateTime earliest = from.Year > 1 ? from.AddYears(-1) : from;
            DateTime baseline = from.AddDays(-2 * new LeakOptions().BaselineDays);
            DateTime january = new DateTime(from.Year, 1, 1);
            return new[] { earliest, baseline, january }.Min();
        }

        private ReportSection Section(long subscription, IReadOnlyList<EglConsumption> rows, DateTime from, DateTime to, bool piped)
        {
            var daily = rows.Where(r => r.Date >= from && r.Date <= to).ToList();
            var previous = from.Year > 1
                ? rows.Where(r => r.Date >= from.AddYears(-1) && r.Date <= to.AddYears(-1)).ToList()
                : new List<EglConsumption>();
            var alerts = LeakDetector.Detect(subscription, rows, from, to).Alerts
                .Select(a => new ReportAlert(a.Kind.ToString(), a.StartDate, a.EndDate, a.ExcessLiters, a.Severity.ToString(), a.Evidence))
                .ToList();
            var lastPublished = rows.Where(r => r.Date <= to && r.Quality != EglQuality.Missing && r.Quality != EglQuality.Estimated)
                .Select(r => (DateTime?)r.EndDate).LastOrDefault();
            return new ReportSection(subscription, daily, previous, Costs(subscription, rows, from, to, piped), alerts, lastPublished);
        }

        /// <summary>
        /// The cost of the range by month. When the tariff prices only the end of the range (the shipped grid starts on
        /// 1 January 2026), the months before cost nothing known: they show no euros, the total is the priced part's,
        /// marked incomplete, and the tariff's name says from when. Null (with a warning) when it prices none of it.
        /// </summary>
        private ReportCosts? Costs(long subscription, IReadOnlyList<EglConsumption> rows, DateTime from, DateTime to, bool piped)
        {
            var tariff = _tariff!;
            DateTime priced = to;
            if (tariff.PeriodOf(to) is null)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the report shows no cost: the tariff '{1}' has no price for {2:yyyy-MM-dd} (its periods: {3}). Give -Tariff with a tariff file that prices the range.", subscription, tariff.Name, to, tariff.DescribePeriods()));
                return null;
            }

            while (priced > from && tariff.PeriodOf(priced.AddDays(-1)) is not null) priced = priced.AddDays(-1);
            try
            {
                var builder = CostCalculator.Start(subscription, priced, to, EglGranularity.Month, tariff, MeterDiameterOf(subscription, null, piped, out _));
                var months = new List<EglCost>();
                foreach (var row in rows.Where(r => r.Date <= to)) months.AddRange(builder.Add(row));
                months.AddRange(builder.Complete());
                var shown = new List<ReportCost>();
                for (var m = new DateTime(from.Year, from.Month, 1); m < new DateTime(priced.Year, priced.Month, 1); m = m.AddMonths(1))
                    shown.Add(new ReportCost(m < from ? from : m, null, false));
                shown.AddRange(months.Select(c => new ReportCost(c.Date, c.TotalEuros, c.Complete && c.Date >= priced)));
                string name = tariff.Name;
                if (priced > from)
                {
                    WriteWarning(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the tariff '{1}' prices the days from {2:yyyy-MM-dd} only: the report's cost is that of {2:yyyy-MM-dd}..{3:yyyy-MM-dd}. Give -Tariff with a tariff file that prices the whole range.", subscription, tariff.Name, priced, to));
                    name += string.Format(CultureInfo.CurrentCulture, French ? " ; prix connus à partir du {0:d}" : "; prices known from {0:d}", priced);
                }

                return new ReportCosts(name, months.Sum(c => c.TotalEuros), priced == from && months.All(c => c.Complete), shown);
            }
            catch (EglTariffUnknownDiameterException ex)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "Subscription {0}: the report shows no cost: {1}", subscription, ex.Message));
                return null;
            }
        }

        private void Write(IReadOnlyList<ReportSection> sections, DateTime from, DateTime to, string origin)
        {
            var document = new ReportDocument(
                Title ?? (French ? "Consommation d'eau" : "Water consumption"),
                UtcNow().ToLocalTime(),
                origin,
                CultureInfo.CurrentCulture,
                French ? ReportLanguage.French : ReportLanguage.English,
                from,
                to,
                sections);
            string html = HtmlReportWriter.Render(document);
            WriteFile(_path, html);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Wrote {0} ({1:N0} bytes, {2} subscription(s), {3:yyyy-MM-dd}..{4:yyyy-MM-dd}).", _path, new FileInfo(_path).Length, sections.Count, from, to));
            if (PassThru) WriteObject(new FileInfo(_path));
        }

        /// <summary>The output path as a file system path, checked before anything is read: not a folder, not an existing file without -Force.</summary>
        private string ResolveOutput(string path)
        {
            string full = string.Empty;
            try
            {
                full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                    ThrowEgl(new EglReportWriteException(path, "it is a " + provider.Name + " path, not a file"), path);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                ThrowEgl(new EglReportWriteException(path, ex.Message, ex), path);
            }

            if (Directory.Exists(full)) ThrowEgl(new EglReportWriteException(full, "it is a folder"), path);
            if (File.Exists(full) && !Force) ThrowEgl(new EglReportExistsException(full), path);
            return full;
        }

        /// <summary>Writes the page to a temporary file beside the target, then moves it into place: never a half page.</summary>
        private void WriteFile(string path, string html)
        {
            string folder = System.IO.Path.GetDirectoryName(path) ?? ".";
            string temp = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("n").Substring(0, 8) + ".tmp");
            try
            {
                if (!Directory.Exists(folder)) throw new DirectoryNotFoundException("its folder does not exist");
                File.WriteAllText(temp, html, new UTF8Encoding(false));
                if (File.Exists(path))
                {
                    if (!Force) throw new EglReportExistsException(path);
                    File.Replace(temp, path, null);
                }
                else
                {
                    File.Move(temp, path);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is EglReportExistsException)
            {
                try
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
                catch (Exception cleanup) when (cleanup is IOException || cleanup is UnauthorizedAccessException)
                {
                    WriteVerbose("Could not delete the temporary file " + temp + ": " + cleanup.Message);
                }

                ThrowEgl(ex as EglException ?? new EglReportWriteException(path, ex.Message, ex), path);
            }
        }
    }
}
