using System;

namespace EglWater
{
    /// <summary>The report's file exists and was not to be overwritten: nothing was written.</summary>
    public sealed class EglReportExistsException : EglException
    {
        public EglReportExistsException(string path)
            : base($"The file '{path}' exists; the report was not written.")
        {
            Path = path;
        }

        public string Path { get; }

        public override string ErrorId => "EglReportExists";
    }

    /// <summary>The report could not be written where asked (a folder, no permission, a full disk): nothing was left there.</summary>
    public sealed class EglReportWriteException : EglException
    {
        public EglReportWriteException(string path, string reason, Exception? inner = null)
            : base($"The report could not be written to '{path}': {reason}. Nothing was left there.", inner)
        {
            Path = path;
        }

        public string Path { get; }

        public override string ErrorId => "EglReportWrite";
    }
}
