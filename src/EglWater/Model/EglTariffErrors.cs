using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EglWater.Api;

namespace EglWater
{
    /// <summary>A tariff (file or built in code) that cannot be used: the message names the file and what is wrong.</summary>
    public sealed class EglTariffInvalidException : EglException
    {
        public EglTariffInvalidException(string file, string problem, Exception? inner = null)
            : base($"The tariff file '{file}' is invalid: {problem}.", inner)
        {
            File = file;
            Problem = problem;
        }

        /// <summary>The file (path as given), or a description of where the tariff comes from.</summary>
        public string File { get; }

        /// <summary>What is wrong, in plain words.</summary>
        public string Problem { get; }

        public override string ErrorId => "EglTariffInvalid";
    }

    /// <summary>The tariff file does not exist.</summary>
    public sealed class EglTariffNotFoundException : EglException
    {
        public EglTariffNotFoundException(string file, string problem, Exception? inner = null)
            : base($"The tariff file '{file}' {problem}.", inner)
        {
            File = file;
        }

        public string File { get; }

        public override string ErrorId => "EglTariffNotFound";
    }

    /// <summary>A day to price is in none of the tariff's periods.</summary>
    public sealed class EglTariffMissingPeriodException : EglException
    {
        public EglTariffMissingPeriodException(DateTime day, string tariff, string file, string known)
            : base(string.Format(CultureInfo.InvariantCulture, "The tariff '{0}' (file '{1}') has no price for {2:yyyy-MM-dd}: its periods are {3}.", tariff, file, day, known))
        {
            Day = day;
            Tariff = tariff;
            File = file;
        }

        public DateTime Day { get; }

        public string Tariff { get; }

        public string File { get; }

        public override string ErrorId => "EglTariffMissingPeriod";
    }

    /// <summary>The tariff has no subscription for the meter's diameter.</summary>
    public sealed class EglTariffUnknownDiameterException : EglException
    {
        public EglTariffUnknownDiameterException(int diameter, string tariff, string file, IEnumerable<int> known, DateTime periodStart)
            : base(string.Format(CultureInfo.InvariantCulture, "The tariff '{0}' (file '{1}') has no subscription for a {2} mm meter on {3:yyyy-MM-dd}; the diameters it knows are {4} mm.", tariff, file, diameter, periodStart, string.Join(", ", known.OrderBy(k => k).Select(k => k.ToString(CultureInfo.InvariantCulture)))))
        {
            Diameter = diameter;
            Tariff = tariff;
            File = file;
            KnownDiameters = known.OrderBy(k => k).ToArray();
        }

        public int Diameter { get; }

        public string Tariff { get; }

        public string File { get; }

        public IReadOnlyList<int> KnownDiameters { get; }

        public override string ErrorId => "EglTariffUnknownDiameter";
    }
}
