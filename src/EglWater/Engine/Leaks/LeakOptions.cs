using System;

namespace EglWater.Engine.Leaks
{
    /// <summary>The thresholds of <see cref="LeakDetector"/>. The defaults are the ones measured on the simulator's households.</summary>
    internal sealed class LeakOptions
    {
        /// <summary>A SustainedRise day is above this factor × the baseline (and above baseline + MinimumExcessLiters / 2).</summary>
        public const double RiseFactor = 1.4;

        /// <summary>Measured days a SustainedRise or ContinuousFlow run needs before it is reported.</summary>
        public const int MinimumRunDays = 3;

        /// <summary>A Spike day is above this factor × the baseline (and above baseline + MinimumExcessLiters). Default 2.5.</summary>
        public double SpikeFactor { get; set; } = 2.5;

        /// <summary>
        /// Litres above the baseline a Spike day must exceed; a SustainedRise day must exceed half of it. Default 150
        /// (so a rise is at least 75 L/day, about 3 L/h).
        /// </summary>
        public double MinimumExcessLiters { get; set; } = 150;

        /// <summary>The window of the baseline, in calendar days before the day compared. Default 28.</summary>
        public int BaselineDays { get; set; } = 28;

        /// <summary>The smallest flow of a day (L/h) at or above which water is considered never to stop. Default 2.</summary>
        public double MinimumFlowLitersPerHour { get; set; } = 2;

        /// <summary>
        /// A measured day below this many litres is an absence (holidays, an empty home): it is evidence, but not
        /// part of a baseline, so that coming home is not a rise. Default 20.
        /// </summary>
        public double AbsenceLitersPerDay { get; set; } = 20;

        /// <summary>Baseline days (measured, not absent, not in an alert) a window needs: half of BaselineDays, rounded up.</summary>
        public int MinimumBaselineDays => (BaselineDays + 1) / 2;

        internal void Validate()
        {
            if (double.IsNaN(SpikeFactor) || SpikeFactor < 1) throw new ArgumentOutOfRangeException(nameof(SpikeFactor), SpikeFactor, "The spike factor must be at least 1.");
            if (double.IsNaN(MinimumExcessLiters) || MinimumExcessLiters < 0) throw new ArgumentOutOfRangeException(nameof(MinimumExcessLiters), MinimumExcessLiters, "The minimum excess must be 0 L or more.");
            if (BaselineDays < 2 || BaselineDays > 366) throw new ArgumentOutOfRangeException(nameof(BaselineDays), BaselineDays, "The baseline must cover 2 to 366 days.");
            if (double.IsNaN(MinimumFlowLitersPerHour) || MinimumFlowLitersPerHour <= 0) throw new ArgumentOutOfRangeException(nameof(MinimumFlowLitersPerHour), MinimumFlowLitersPerHour, "The minimum flow must be above 0 L/h.");
            if (double.IsNaN(AbsenceLitersPerDay) || AbsenceLitersPerDay < 0) throw new ArgumentOutOfRangeException(nameof(AbsenceLitersPerDay), AbsenceLitersPerDay, "The absence threshold must be 0 L or more.");
        }
    }
}
