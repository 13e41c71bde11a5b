namespace EglWater
{
    /// <summary>Which EGL API a session talks to.</summary>
    public enum EglApiKind
    {
        /// <summary>The partner ("agrégats") API: login with an AuthKey, daily meter indexes.</summary>
        Partner,

        /// <summary>The customer portal API: a household's own login, daily volumes (no indexes).</summary>
        Portal,
    }
}
