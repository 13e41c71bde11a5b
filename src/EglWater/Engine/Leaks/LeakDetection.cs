using System;
using System.Collections.Generic;
using System.Globalization;

namespace EglWater.Engine.Leaks
{
    /// <summary>What <see cref="LeakDetector.Detect"/> found: the alerts in date order and what was checked.</summary>
    internal sealed class LeakDetection
    {
        public LeakDetection(IReadOnlyList<EglLeakAlert> alerts, LeakDiagnostics diagnostics)
        {
            Alerts = alerts;
            Diagnostics = diagnostics;
        }

        /// <summary>The alerts, by start date (then kind).</summary>
        public IReadOnlyList<EglLeakAlert> Alerts { get; }

        /// <summary>What was checked, for the cmdlet's verbose output.</summary>
        public LeakDiagnostics Diagnostics { get; }
    }

    /// <summary>What the detector checked, and where it could not (counts are calendar days of [From, To]).</summary>
    internal sealed class LeakDiagnostics
    {
        internal LeakDiagnostics(
            DateTime from,
            DateTime to,
            int daysExamined,
            int daysWithoutRow,
            int daysMeasured,
            IReadOnlyDictionary<EglQuality, int> daysNotUsable,
            int daysChecked,
            IReadOnlyList<string> daysWithoutBaseline,
            int daysWithoutBaselineCount,
            int baselineDaysBeforeFrom,
            int baselineDaysNeeded,
            int daysWithMinimumFlow,
            int daysWithProviderEstimate,
            IReadOnlyList<string> messages)
        {
            From = from;
            To = to;
            DaysExamined = daysExamined;
            DaysWithoutRow = daysWithoutRow;
            DaysMeasured = daysMeasured;
            DaysNotUsable = daysNotUsable;
            DaysChecked = daysChecked;
            DaysWithoutBaseline = daysWithoutBaseline;
            DaysWithoutBaselineCount = daysWithoutBaselineCount;
            BaselineDaysBeforeFrom = baselineDaysBeforeFrom;
            BaselineDaysNeeded = baselineDaysNeeded;
            DaysWithMinimumFlow = daysWithMinimumFlow;
            DaysWithProviderEstimate = daysWithProviderEstimate;
            Messages = messages;
        }

        public DateTime From { get; }

        public DateTime To { get; }

        /// <summary>Calendar days of [From, To].</summary>
        public int DaysExamined { get; }

        /// <summary>Days of [From, To] without any row (not published, not fetched).</summary>
        public int DaysWithoutRow { get; }

        /// <summary>Days with measured litres: the only evidence for Spike and SustainedRise.</summary>
        public int DaysMeasured { get; }

        /// <summary>Days with a row that is not evidence, by quality (Estimated, Pending, MeterChange, ...).</summary>
        public IReadOnlyDictionary<EglQuality, int> DaysNotUsable { get; }

        /// <summary>Measured days compared with a baseline (a run's days count: they are compared with its frozen baseline).</summary>
        public int DaysChecked { get; }

        /// <summary>Measured days not checked for want of baseline, as compact ranges ("2025-01-03..2025-01-05").</summary>
        public IReadOnlyList<string> DaysWithoutBaseline { get; }

        /// <summary>How many measured days were not checked for want of baseline.</summary>
        public int DaysWithoutBaselineCount { get; }

        /// <summary>Baseline days (measured, not an absence) among the BaselineDays days before From.</summary>
        public int BaselineDaysBeforeFrom { get; }

        /// <summary>Baseline days a window needs (half of BaselineDays, rounded up).</summary>
        public int BaselineDaysNeeded { get; }

        /// <summary>Days of [From, To] with the portal's minimum flow.</summary>
        public int DaysWithMinimumFlow { get; }

        /// <summary>Days of [From, To] with the provider's leak estimate (0 included).</summary>
        public int DaysWithProviderEstimate { get; }

        /// <summary>The same, as sentences for verbose output.</summary>
        public IReadOnlyList<string> Messages { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0:yyyy-MM-dd}..{1:yyyy-MM-dd}: {2} days, {3} measured, {4} checked",
            From,
            To,
            DaysExamined,
            DaysMeasured,
            DaysChecked);
    }
}
