using System.Globalization;

namespace EglWater
{
    /// <summary>
    /// A subscription (contract) of a session, with what the API says of it. The partner API gives the numbers
    /// only; the customer portal's contract search gives the details (empty when it does not).
    /// </summary>
    public sealed class EglSubscription
    {
        public EglSubscription(long subscriptionNumber, EglApiKind api, string? reference, string? status, int? meterDiameter, int? residents, string? usage, bool? meterBatteryOk)
        {
            SubscriptionNumber = subscriptionNumber;
            Api = api;
            Reference = reference ?? string.Empty;
            Status = status ?? string.Empty;
            MeterDiameter = meterDiameter;
            Residents = residents;
            Usage = usage ?? string.Empty;
            MeterBatteryOk = meterBatteryOk;
        }

        /// <summary>The subscription (num_abt, or the contract's reference on the portal).</summary>
        public long SubscriptionNumber { get; }

        /// <summary>The API of the session that lists it.</summary>
        public EglApiKind Api { get; }

        /// <summary>The contract's reference, as the portal writes it.</summary>
        public string Reference { get; }

        /// <summary>The contract's status (statutExtrait), such as Actif.</summary>
        public string Status { get; }

        /// <summary>The meter's diameter in millimetres (calibreCompteur DN15 is 15): it sets the yearly subscription price.</summary>
        public int? MeterDiameter { get; }

        /// <summary>The number of residents declared (nombreHabitants).</summary>
        public int? Residents { get; }

        /// <summary>The contract's usage (usage), such as Domestique.</summary>
        public string Usage { get; }

        /// <summary>Whether the meter's radio module reports a good battery (etatPile); empty when unknown.</summary>
        public bool? MeterBatteryOk { get; }

        public override string ToString() => SubscriptionNumber.ToString(CultureInfo.InvariantCulture) + (MeterDiameter is { } d ? " (DN" + d.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty);
    }
}
