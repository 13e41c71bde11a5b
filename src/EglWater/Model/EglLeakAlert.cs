using System;
using System.Globalization;

namespace EglWater
{
    /// <summary>What a leak alert is based on.</summary>
    public enum EglLeakKind
    {
        /// <summary>One day far above the household's usual use (by default 2.5 times the baseline and 150 L more).</summary>
        Spike,

        /// <summary>
        /// At least 3 measured days in a row each above 1.4 times the baseline and 75 L more (by default): a
        /// step such as a leak. The baseline is frozen at the run's first day; the run then goes on while each
        /// measured day stays 75 L above it.
        /// </summary>
        SustainedRise,

        /// <summary>
        /// At least 3 days in a row whose smallest flow (the portal's minimum flow) stayed at or above the
        /// threshold (2 L/h by default): water never stopped running, not even at night.
        /// </summary>
        ContinuousFlow,

        /// <summary>Days for which the provider itself estimated a volume lost to a leak (portal data).</summary>
        ProviderEstimate,
    }

    /// <summary>
    /// How urgent an alert is. The rules, by kind:
    /// <list type="bullet">
    /// <item><b>Spike</b>: Warning when the day used at least 1,000 L more than usual, else Info. Never
    /// Critical: a single day is over.</item>
    /// <item><b>SustainedRise, ContinuousFlow, ProviderEstimate</b>: the rate is ExcessLiters divided by the
    /// run's days that have a value. Critical when the run is ongoing and loses at least 240 L/day (10 L/h,
    /// a running toilet), or when it lost at least 10,000 L in all; Warning when it is ongoing or lost at
    /// least 1,000 L; Info otherwise (a short rise that is over).</item>
    /// </list>
    /// </summary>
    public enum EglLeakSeverity
    {
        /// <summary>Worth knowing: something unusual that is over and small.</summary>
        Info,

        /// <summary>Worth a look: ongoing, or more than a cubic metre.</summary>
        Warning,

        /// <summary>Act now: an ongoing loss of 240 L/day or more, or 10 m³ or more in all.</summary>
        Critical,
    }

    /// <summary>
    /// One sign of a leak or of an unusual use of water for one subscription, found by Find-EglLeak.
    /// Flat and scalar, so that a table or a CSV file holds it.
    /// </summary>
    public sealed class EglLeakAlert
    {
        public EglLeakAlert(
            long subscriptionNumber,
            EglLeakKind kind,
            DateTime startDate,
            DateTime endDate,
            double excessLiters,
            double? baselineLitersPerDay,
            EglLeakSeverity severity,
            string evidence,
            bool ongoing)
        {
            SubscriptionNumber = subscriptionNumber;
            Kind = kind;
            StartDate = DateTime.SpecifyKind(startDate.Date, DateTimeKind.Unspecified);
            EndDate = DateTime.SpecifyKind(endDate.Date, DateTimeKind.Unspecified);
            Days = (EndDate - StartDate).Days + 1;
            ExcessLiters = excessLiters;
            BaselineLitersPerDay = baselineLitersPerDay;
            Severity = severity;
            Evidence = evidence ?? string.Empty;
            Ongoing = ongoing;
        }

        /// <summary>The subscription (num_abt).</summary>
        public long SubscriptionNumber { get; }

        /// <summary>What the alert is based on.</summary>
        public EglLeakKind Kind { get; }

        /// <summary>The first calendar day of the alert.</summary>
        public DateTime StartDate { get; }

        /// <summary>
        /// The last calendar day of the alert that has a value (for an ongoing alert, the last day seen; days
        /// not yet published or not measured after it are not included).
        /// </summary>
        public DateTime EndDate { get; }

        /// <summary>Calendar days from StartDate to EndDate, inclusive (days without a value inside are counted).</summary>
        public int Days { get; }

        /// <summary>
        /// Litres above usual, summed over the days. Spike and SustainedRise: the day's litres minus the baseline,
        /// over the measured days (days without a measured value are not counted). ContinuousFlow: the minimum
        /// flow × 24 h summed over the days (water that flowed at least that fast all day long: a lower bound of
        /// the loss). ProviderEstimate: the sum of the provider's estimates.
        /// </summary>
        public double ExcessLiters { get; }

        /// <summary>The usual litres per day the days were compared with (frozen at the start); empty for ContinuousFlow and ProviderEstimate.</summary>
        public double? BaselineLitersPerDay { get; }

        /// <summary>How urgent it is (see <see cref="EglLeakSeverity"/> for the rules).</summary>
        public EglLeakSeverity Severity { get; }

        /// <summary>One sentence: what was seen, against what.</summary>
        public string Evidence { get; }

        /// <summary>The alert reaches the last day examined that has a value: nothing shows it has ended.</summary>
        public bool Ongoing { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1:yyyy-MM-dd}..{2:yyyy-MM-dd} +{3:0} L {4}{5}",
            Kind,
            StartDate,
            EndDate,
            ExcessLiters,
            Severity,
            Ongoing ? " (ongoing)" : string.Empty);
    }
}
