namespace EglWater
{
    /// <summary>The meaning of the API's <c>TypeAgregat</c> letter.</summary>
    public enum EglReadingType
    {
        /// <summary>R: a real reading of the meter.</summary>
        Real,

        /// <summary>A: the reading was flagged as an anomaly.</summary>
        Anomaly,

        /// <summary>D: the meter was changed; the index restarts from the new meter's value.</summary>
        MeterChange,

        /// <summary>T: pending data, not final yet (a final row may follow for the same day).</summary>
        Pending,

        /// <summary>V, X or any other letter: undocumented; the letter is kept in RawType.</summary>
        Unknown,
    }

    public static class EglReadingTypes
    {
        /// <summary>Maps the API's letter to a reading type; anything not documented is Unknown.</summary>
        public static EglReadingType FromRaw(string? raw) => (raw ?? string.Empty).Trim().ToUpperInvariant() switch
        {
            "R" => EglReadingType.Real,
            "A" => EglReadingType.Anomaly,
            "D" => EglReadingType.MeterChange,
            "T" => EglReadingType.Pending,
            _ => EglReadingType.Unknown,
        };
    }
}
