namespace EglWater.Engine.Leaks
{
    /// <summary>
    /// The severity of an alert (the same rules as on <see cref="EglLeakSeverity"/>):
    /// <list type="bullet">
    /// <item>Spike: Warning when the day's excess is at least <see cref="SpikeWarningLiters"/> (1,000 L), else Info.</item>
    /// <item>SustainedRise, ContinuousFlow, ProviderEstimate: rate = excess litres / days with a value.
    /// Critical when ongoing with a rate of at least <see cref="CriticalLitersPerDay"/> (240 L/day = 10 L/h), or
    /// when the excess is at least <see cref="CriticalLiters"/> (10,000 L); Warning when ongoing or the excess is
    /// at least <see cref="WarningLiters"/> (1,000 L); Info otherwise.</item>
    /// </list>
    /// </summary>
    internal static class LeakSeverityRules
    {
        public const double SpikeWarningLiters = 1000;
        public const double CriticalLitersPerDay = 240;
        public const double CriticalLiters = 10000;
        public const double WarningLiters = 1000;

        public static EglLeakSeverity Of(EglLeakKind kind, double excessLiters, int daysWithValue, bool ongoing)
        {
            if (kind == EglLeakKind.Spike) return excessLiters >= SpikeWarningLiters ? EglLeakSeverity.Warning : EglLeakSeverity.Info;
            double rate = daysWithValue > 0 ? excessLiters / daysWithValue : 0;
            if ((ongoing && rate >= CriticalLitersPerDay) || excessLiters >= CriticalLiters) return EglLeakSeverity.Critical;
            if (ongoing || excessLiters >= WarningLiters) return EglLeakSeverity.Warning;
            return EglLeakSeverity.Info;
        }
    }
}
