namespace EglWater
{
    /// <summary>
    /// How much a consumption value can be trusted. The order is from best to worst:
    /// an aggregated row takes the worst quality of its days.
    /// </summary>
    public enum EglQuality
    {
        /// <summary>Both readings are real (R).</summary>
        Measured,

        /// <summary>Spread evenly across days the API did not publish.</summary>
        Estimated,

        /// <summary>The day's reading is pending (T) and may still change.</summary>
        Pending,

        /// <summary>The day's reading was flagged as an anomaly (A).</summary>
        Anomaly,

        /// <summary>The day's reading has an undocumented letter (V, X, ...); see RawType.</summary>
        Unknown,

        /// <summary>The meter was changed that day (D): no consumption can be computed for it.</summary>
        MeterChange,

        /// <summary>The index went down without a meter change: the value is unknown.</summary>
        Invalid,

        /// <summary>The day's data could not be read (a request failed): no litres, never estimated.</summary>
        Missing,
    }

    /// <summary>The period a consumption row covers.</summary>
    public enum EglGranularity
    {
        Day,
        Week,
        Month,
        Year,
    }
}
