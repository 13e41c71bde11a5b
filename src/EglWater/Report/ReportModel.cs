using System;
using System.Collections.Generic;
using System.Globalization;

namespace EglWater.Report
{
    /// <summary>The language of the report's labels (numbers and dates follow <see cref="ReportDocument.Culture"/>).</summary>
    internal enum ReportLanguage
    {
        English,
        French,
    }

    /// <summary>
    /// Everything a report page shows, given by the caller: plain data, no clock, no current culture.
    /// </summary>
    internal sealed class ReportDocument
    {
        public ReportDocument(
            string title,
            DateTimeOffset generatedAt,
            string source,
            CultureInfo culture,
            ReportLanguage language,
            DateTime from,
            DateTime to,
            IReadOnlyList<ReportSection> sections)
        {
            Title = title ?? string.Empty;
            GeneratedAt = generatedAt;
            Source = source ?? string.Empty;
            Culture = culture ?? throw new ArgumentNullException(nameof(culture));
            Language = language;
            From = DateTime.SpecifyKind(from.Date, DateTimeKind.Unspecified);
            To = DateTime.SpecifyKind(to.Date, DateTimeKind.Unspecified);
            Sections = sections ?? throw new ArgumentNullException(nameof(sections));
        }

        /// <summary>The page's title (shown as is, escaped).</summary>
        public string Title { get; }

        /// <summary>When the page was made (given by the caller: the writer reads no clock).</summary>
        public DateTimeOffset GeneratedAt { get; }

        /// <summary>Where the data came from, in plain words (never a secret).</summary>
        public string Source { get; }

        /// <summary>The culture of numbers and dates.</summary>
        public CultureInfo Culture { get; }

        /// <summary>The language of the labels.</summary>
        public ReportLanguage Language { get; }

        /// <summary>The first calendar day of the range.</summary>
        public DateTime From { get; }

        /// <summary>The last calendar day of the range (inclusive).</summary>
        public DateTime To { get; }

        /// <summary>One section per subscription, in the order shown.</summary>
        public IReadOnlyList<ReportSection> Sections { get; }
    }

    /// <summary>What the page shows for one subscription.</summary>
    internal sealed class ReportSection
    {
        public ReportSection(
            long subscriptionNumber,
            IReadOnlyList<EglConsumption>? daily,
            IReadOnlyList<EglConsumption>? previousYearDaily = null,
            ReportCosts? costs = null,
            IReadOnlyList<ReportAlert>? alerts = null,
            DateTime? lastPublishedDay = null)
        {
            SubscriptionNumber = subscriptionNumber;
            Daily = daily ?? Array.Empty<EglConsumption>();
            PreviousYearDaily = previousYearDaily ?? Array.Empty<EglConsumption>();
            Costs = costs;
            Alerts = alerts ?? Array.Empty<ReportAlert>();
            LastPublishedDay = lastPublishedDay?.Date;
        }

        public long SubscriptionNumber { get; }

        /// <summary>The daily rows of the range (one per day; a row covering several days is spread evenly).</summary>
        public IReadOnlyList<EglConsumption> Daily { get; }

        /// <summary>The daily rows of the same calendar period one year earlier (may be empty).</summary>
        public IReadOnlyList<EglConsumption> PreviousYearDaily { get; }

        /// <summary>The cost of the range, or null when not computed.</summary>
        public ReportCosts? Costs { get; }

        /// <summary>Leak and over-consumption alerts of the range (may be empty).</summary>
        public IReadOnlyList<ReportAlert> Alerts { get; }

        /// <summary>The last day the provider has published, or null when unknown.</summary>
        public DateTime? LastPublishedDay { get; }
    }

    /// <summary>The cost of the range: a total, the tariff's name and one line per month.</summary>
    internal sealed class ReportCosts
    {
        public ReportCosts(string tariffName, decimal? totalEuros, bool complete, IReadOnlyList<ReportCost>? months = null)
        {
            TariffName = tariffName ?? string.Empty;
            TotalEuros = totalEuros;
            Complete = complete;
            Months = months ?? Array.Empty<ReportCost>();
        }

        public string TariffName { get; }

        /// <summary>The cost of the whole range in euros, or null when it cannot be computed.</summary>
        public decimal? TotalEuros { get; }

        /// <summary>Every day of the range is known and final.</summary>
        public bool Complete { get; }

        public IReadOnlyList<ReportCost> Months { get; }
    }

    /// <summary>The cost of one month of the range.</summary>
    internal sealed class ReportCost
    {
        public ReportCost(DateTime month, decimal? euros, bool complete)
        {
            Month = new DateTime(month.Year, month.Month, 1);
            Euros = euros;
            Complete = complete;
        }

        /// <summary>The first day of the month.</summary>
        public DateTime Month { get; }

        public decimal? Euros { get; }

        public bool Complete { get; }
    }

    /// <summary>One alert to show: a shaded band on the daily chart and a row of the alerts table.</summary>
    internal sealed class ReportAlert
    {
        public ReportAlert(string kind, DateTime startDate, DateTime endDate, double? excessLiters, string severity, string evidence)
        {
            Kind = kind ?? string.Empty;
            StartDate = DateTime.SpecifyKind(startDate.Date, DateTimeKind.Unspecified);
            EndDate = DateTime.SpecifyKind(endDate.Date < startDate.Date ? startDate.Date : endDate.Date, DateTimeKind.Unspecified);
            ExcessLiters = excessLiters;
            Severity = severity ?? string.Empty;
            Evidence = evidence ?? string.Empty;
        }

        public string Kind { get; }

        public DateTime StartDate { get; }

        /// <summary>The last day of the alert (inclusive).</summary>
        public DateTime EndDate { get; }

        /// <summary>Litres above the usual level over the alert, or null when not estimated.</summary>
        public double? ExcessLiters { get; }

        public string Severity { get; }

        /// <summary>Why the alert was raised, in plain words.</summary>
        public string Evidence { get; }
    }
}
