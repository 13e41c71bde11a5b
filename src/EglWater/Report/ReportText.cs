using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EglWater.Report
{
    /// <summary>
    /// The report's words in English or French. Templates take their values already formatted (see
    /// <see cref="ReportFormat"/>): the words never format a number or a date themselves.
    /// </summary>
    internal sealed class ReportText
    {
        public static readonly ReportText English = new ReportText
        {
            HtmlLanguage = "en",
            DefaultTitle = "Water consumption",
            Subscription = "Subscription {0}",
            Period = "From {0} to {1}",
            Generated = "Made on {0} from {1}.",
            Total = "Total consumption",
            Average = "Average per day",
            YearEarlier = "Same period a year earlier",
            Change = "Change (daily average)",
            Cost = "Cost",
            Tariff = "tariff {0}",
            CostComplete = "complete",
            CostIncomplete = "incomplete: some days are missing or not final",
            CostUnknown = "cannot be computed",
            LastPublished = "Last published day",
            NoData = "no data",
            NoDataForPeriod = "No data for this period.",
            NoSections = "No subscription to show.",
            LitersPerDayUnit = "L/day",
            DataQuality = "Data quality",
            EveryDayMeasured = "every day measured",
            InPeriods = "in {0} periods",
            DailyTitle = "Daily consumption (litres)",
            DailyDesc = "Daily consumption from {0} to {1}: {2} litres per day on average over {3} days with data; the highest day was {4} with {5} litres.",
            DailyDescQuality = " Marked days: {0}.",
            DailyDescAlerts = " Leak alerts shaded: {0}.",
            MonthlyTitle = "Monthly consumption (m³)",
            MonthlyTitlePrevious = "Monthly consumption (m³), beside the same month a year earlier",
            MonthlyDesc = "Consumption per month ({0} – {1}): {2} m³ in all; the highest month: {3}, with {4} m³.",
            MonthlyDescPrevious = " The same months a year earlier: {0} m³.",
            MonthlyDescNoPrevious = " No data a year earlier.",
            TableEquivalent = "The table below gives the same figures.",
            Measured = "Measured",
            ThisPeriod = "This period",
            IncompleteMonth = "Incomplete month (dashed outline)",
            LeakAlert = "Leak alert (shaded)",
            Alerts = "Leak alerts",
            NoAlerts = "No leak alert in this period.",
            AlertNumber = "#",
            AlertKind = "Kind",
            AlertFrom = "From",
            AlertTo = "To",
            AlertExcess = "Excess (L)",
            AlertSeverity = "Severity",
            AlertEvidence = "Evidence",
            MonthTable = "Month by month",
            Month = "Month",
            CubicMeters = "m³",
            LitersPerDay = "L/day",
            PreviousCubicMeters = "A year earlier (m³)",
            Quality = "Quality",
            Partial = "partial",
            DaysKnown = "{0} of {1} days known",
            MarkLegend =
            [
                "Estimated (spread over a gap)",
                "Pending (may still change)",
                "Flagged as an anomaly",
                "Unknown reading type",
                "Meter change (no value)",
                "Invalid reading (no value)",
                "No data",
                "No data",
                "Not published yet",
            ],
            MarkOne =
            [
                "{0} day estimated",
                "{0} day pending",
                "{0} day flagged as an anomaly",
                "{0} day with an unknown reading type",
                "{0} meter change",
                "{0} invalid day",
                "{0} day not read",
                "{0} day without data",
                "{0} day not published yet",
            ],
            MarkMany =
            [
                "{0} days estimated",
                "{0} days pending",
                "{0} days flagged as anomalies",
                "{0} days with an unknown reading type",
                "{0} meter changes",
                "{0} invalid days",
                "{0} days not read",
                "{0} days without data",
                "{0} days not published yet",
            ],
        };

        public static readonly ReportText French = new ReportText
        {
            HtmlLanguage = "fr",
            DefaultTitle = "Consommation d’eau",
            Subscription = "Abonnement {0}",
            Period = "Du {0} au {1}",
            Generated = "Établi le {0} à partir de : {1}.",
            Total = "Consommation totale",
            Average = "Moyenne par jour",
            YearEarlier = "Même période un an plus tôt",
            Change = "Évolution (moyenne par jour)",
            Cost = "Coût",
            Tariff = "tarif {0}",
            CostComplete = "complet",
            CostIncomplete = "incomplet : des jours manquent ou ne sont pas définitifs",
            CostUnknown = "non calculable",
            LastPublished = "Dernier jour publié",
            NoData = "pas de données",
            NoDataForPeriod = "Aucune donnée pour cette période.",
            NoSections = "Aucun abonnement à afficher.",
            LitersPerDayUnit = "L/jour",
            DataQuality = "Qualité des données",
            EveryDayMeasured = "tous les jours mesurés",
            InPeriods = "en {0} périodes",
            DailyTitle = "Consommation journalière (litres)",
            DailyDesc = "Consommation journalière du {0} au {1} : {2} litres par jour en moyenne sur {3} jours avec données ; le jour le plus élevé a été le {4} avec {5} litres.",
            DailyDescQuality = " Jours marqués : {0}.",
            DailyDescAlerts = " Alertes de fuite grisées : {0}.",
            MonthlyTitle = "Consommation mensuelle (m³)",
            MonthlyTitlePrevious = "Consommation mensuelle (m³), à côté du même mois un an plus tôt",
            MonthlyDesc = "Consommation par mois ({0} – {1}) : {2} m³ au total ; le mois le plus élevé : {3}, avec {4} m³.",
            MonthlyDescPrevious = " Les mêmes mois un an plus tôt : {0} m³.",
            MonthlyDescNoPrevious = " Pas de données un an plus tôt.",
            TableEquivalent = "Le tableau ci-dessous donne les mêmes chiffres.",
            Measured = "Mesuré",
            ThisPeriod = "Cette période",
            IncompleteMonth = "Mois incomplet (contour pointillé)",
            LeakAlert = "Alerte de fuite (zone grisée)",
            Alerts = "Alertes de fuite",
            NoAlerts = "Aucune alerte de fuite sur cette période.",
            AlertNumber = "n°",
            AlertKind = "Type",
            AlertFrom = "Du",
            AlertTo = "Au",
            AlertExcess = "Excès (L)",
            AlertSeverity = "Gravité",
            AlertEvidence = "Indice",
            MonthTable = "Mois par mois",
            Month = "Mois",
            CubicMeters = "m³",
            LitersPerDay = "L/jour",
            PreviousCubicMeters = "Un an plus tôt (m³)",
            Quality = "Qualité",
            Partial = "partiel",
            DaysKnown = "{0} jours connus sur {1}",
            MarkLegend =
            [
                "Estimé (réparti sur un trou)",
                "Provisoire (peut encore changer)",
                "Signalé comme anomalie",
                "Type de relevé inconnu",
                "Changement de compteur (pas de valeur)",
                "Relevé invalide (pas de valeur)",
                "Pas de données",
                "Pas de données",
                "Pas encore publié",
            ],
            MarkOne =
            [
                "{0} jour estimé",
                "{0} jour provisoire",
                "{0} jour signalé comme anomalie",
                "{0} jour de type de relevé inconnu",
                "{0} changement de compteur",
                "{0} jour invalide",
                "{0} jour non lu",
                "{0} jour sans données",
                "{0} jour pas encore publié",
            ],
            MarkMany =
            [
                "{0} jours estimés",
                "{0} jours provisoires",
                "{0} jours signalés comme anomalies",
                "{0} jours de type de relevé inconnu",
                "{0} changements de compteur",
                "{0} jours invalides",
                "{0} jours non lus",
                "{0} jours sans données",
                "{0} jours pas encore publiés",
            ],
        };

        private ReportText() { }

        public static ReportText For(ReportLanguage language) => language == ReportLanguage.French ? French : English;

        public string HtmlLanguage { get; private set; } = "";
        public string DefaultTitle { get; private set; } = "";
        public string Subscription { get; private set; } = "";
        public string Period { get; private set; } = "";
        public string Generated { get; private set; } = "";
        public string Total { get; private set; } = "";
        public string Average { get; private set; } = "";
        public string YearEarlier { get; private set; } = "";
        public string Change { get; private set; } = "";
        public string Cost { get; private set; } = "";
        public string Tariff { get; private set; } = "";
        public string CostComplete { get; private set; } = "";
        public string CostIncomplete { get; private set; } = "";
        public string CostUnknown { get; private set; } = "";
        public string LastPublished { get; private set; } = "";
        public string NoData { get; private set; } = "";
        public string NoDataForPeriod { get; private set; } = "";
        public string NoSections { get; private set; } = "";
        public string LitersPerDayUnit { get; private set; } = "";
        public string DataQuality { get; private set; } = "";
        public string EveryDayMeasured { get; private set; } = "";
        public string InPeriods { get; private set; } = "";
        public string DailyTitle { get; private set; } = "";
        public string DailyDesc { get; private set; } = "";
        public string DailyDescQuality { get; private set; } = "";
        public string DailyDescAlerts { get; private set; } = "";
        public string MonthlyTitle { get; private set; } = "";
        public string MonthlyTitlePrevious { get; private set; } = "";
        public string MonthlyDesc { get; private set; } = "";
        public string MonthlyDescPrevious { get; private set; } = "";
        public string MonthlyDescNoPrevious { get; private set; } = "";
        public string TableEquivalent { get; private set; } = "";
        public string Measured { get; private set; } = "";
        public string ThisPeriod { get; private set; } = "";
        public string IncompleteMonth { get; private set; } = "";
        public string LeakAlert { get; private set; } = "";
        public string Alerts { get; private set; } = "";
        /// <summary>An alert's kind (EglLeakKind's name) in the report's language; an unknown one as given.</summary>
        public string Kind(string kind) => (HtmlLanguage == "fr", kind) switch
        {
            (true, "Spike") => "Pic",
            (true, "SustainedRise") => "Hausse durable",
            (true, "ContinuousFlow") => "Débit continu",
            (true, "ProviderEstimate") => "Estimation du fournisseur",
            (false, "SustainedRise") => "Sustained rise",
            (false, "ContinuousFlow") => "Continuous flow",
            (false, "ProviderEstimate") => "Provider estimate",
            _ => kind,
        };

        /// <summary>An alert's severity (EglLeakSeverity's name) in the report's language; an unknown one as given.</summary>
        public string Severity(string severity) => (HtmlLanguage == "fr", severity) switch
        {
            (true, "Critical") => "Critique",
            (true, "Warning") => "Attention",
            (true, "Info") => "Information",
            _ => severity,
        };

        public string NoAlerts { get; private set; } = "";
        public string AlertNumber { get; private set; } = "";
        public string AlertKind { get; private set; } = "";
        public string AlertFrom { get; private set; } = "";
        public string AlertTo { get; private set; } = "";
        public string AlertExcess { get; private set; } = "";
        public string AlertSeverity { get; private set; } = "";
        public string AlertEvidence { get; private set; } = "";
        public string MonthTable { get; private set; } = "";
        public string Month { get; private set; } = "";
        public string CubicMeters { get; private set; } = "";
        public string LitersPerDay { get; private set; } = "";
        public string PreviousCubicMeters { get; private set; } = "";
        public string Quality { get; private set; } = "";
        public string Partial { get; private set; } = "";
        public string DaysKnown { get; private set; } = "";

        /// <summary>The legend of each <see cref="DayMark"/> (indexed by its value).</summary>
        public string[] MarkLegend { get; private set; } = [];

        /// <summary>"{0} day estimated" and so on, for a count of 1 (indexed by <see cref="DayMark"/>).</summary>
        public string[] MarkOne { get; private set; } = [];

        /// <summary>The same for other counts.</summary>
        public string[] MarkMany { get; private set; } = [];

        /// <summary>A count of days with a mark, in words ("3 days estimated").</summary>
        public string MarkCount(DayMark mark, int count, ReportFormat format) =>
            string.Format(format.Culture, count == 1 ? MarkOne[(int)mark] : MarkMany[(int)mark], format.Integer(count));
    }

    /// <summary>Numbers and dates in the report's culture (never the current one).</summary>
    internal sealed class ReportFormat
    {
        private readonly NumberFormatInfo _euro;
        private readonly string _date, _shortDate, _dayMonth, _monthYear;

        public ReportFormat(CultureInfo culture)
        {
            Culture = culture ?? throw new ArgumentNullException(nameof(culture));
            var euro = (NumberFormatInfo)culture.NumberFormat.Clone();
            euro.CurrencySymbol = "€";
            _euro = euro;
            var dtf = culture.DateTimeFormat;
            _date = WithoutWeekday(dtf.LongDatePattern);
            _shortDate = _date.Replace("MMMM", "MMM");
            _dayMonth = dtf.MonthDayPattern.Replace("MMMM", "MMM");
            _monthYear = dtf.YearMonthPattern;
        }

        public CultureInfo Culture { get; }

        public string Integer(long value) => value.ToString("N0", Culture);

        public string Liters(double liters) => liters.ToString("N0", Culture);

        public string CubicMeters(double liters) => (liters / 1000.0).ToString("N2", Culture);

        public string Euros(decimal euros) => euros.ToString("C2", _euro);

        /// <summary>A signed percentage ("+6 %", "-12 %").</summary>
        public string SignedPercent(double ratio)
        {
            string text = ratio.ToString("P0", Culture);
            return ratio > 0 && Math.Round(ratio * 100) != 0 ? Culture.NumberFormat.PositiveSign + text : text;
        }

        /// <summary>A number with the given decimals (axis ticks).</summary>
        public string Number(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);

        /// <summary>A calendar day in full, without the weekday ("5 August 2024").</summary>
        public string Date(DateTime day) => day.ToString(_date, Culture);

        /// <summary>A calendar day with the month abbreviated ("5 Aug 2024").</summary>
        public string ShortDate(DateTime day) => day.ToString(_shortDate, Culture);

        /// <summary>Day and abbreviated month ("5 Aug").</summary>
        public string DayMonth(DateTime day) => day.ToString(_dayMonth, Culture);

        /// <summary>The month and year, capitalised as at the start of a table cell ("August 2024", "Août 2024").</summary>
        public string MonthYear(DateTime month) => Capitalise(month.ToString(_monthYear, Culture));

        /// <summary>The month and year as written inside a sentence ("August 2024", "août 2024").</summary>
        public string MonthYearInText(DateTime month) => month.ToString(_monthYear, Culture);

        public string MonthAbbreviation(DateTime month) => Culture.DateTimeFormat.GetAbbreviatedMonthName(month.Month);

        public string Year(DateTime day) => day.Year.ToString(CultureInfo.InvariantCulture);

        /// <summary>A moment with its date, time and offset from UTC.</summary>
        public string Moment(DateTimeOffset moment) =>
            moment.ToString(_date, Culture) + " " + moment.ToString(Culture.DateTimeFormat.ShortTimePattern, Culture) + " (UTC" + moment.ToString("zzz", CultureInfo.InvariantCulture) + ")";

        /// <summary>A range of days ("5 Aug 2024 – 7 Aug 2024", or one day).</summary>
        public string DayRange(DateTime first, DateTime last) => first == last ? ShortDate(first) : ShortDate(first) + " – " + ShortDate(last);

        private string Capitalise(string text) =>
            text.Length == 0 ? text : Culture.TextInfo.ToUpper(text.Substring(0, 1)) + text.Substring(1);

        private static string WithoutWeekday(string pattern)
        {
            string p = Regex.Replace(pattern, @"d{4}[,.\s]*", string.Empty).Trim();
            return p.Length == 0 ? "d MMMM yyyy" : p;
        }
    }
}
