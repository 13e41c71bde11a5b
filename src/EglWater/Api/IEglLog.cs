namespace EglWater.Api
{
    /// <summary>
    /// Where the client reports what it does, one short line per request or retry. The lines never
    /// hold a secret. Implementations must be thread-safe: chunks are fetched in parallel.
    /// </summary>
    internal interface IEglLog
    {
        void Verbose(string message);

        void Debug(string message);

        /// <summary>Something the user should know about the data (an unknown unit, a field left empty); one per distinct text.</summary>
        void Warning(string message);
    }

    internal sealed class NullEglLog : IEglLog
    {
        public static readonly NullEglLog Instance = new NullEglLog();

        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) { }
    }
}
