using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace EglWater.Api.Portal
{
    /// <summary>One day's volume from the portal, in litres.</summary>
    public readonly struct EglDailyVolume
    {
        public EglDailyVolume(DateTime date, double liters)
        {
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            Liters = liters;
        }

        public DateTime Date { get; }

        public double Liters { get; }
    }

    /// <summary>A contract of the portal: its opaque id (used in routes) and its subscription number.</summary>
    public sealed class EglPortalContract
    {
        public EglPortalContract(string id, long subscriptionNumber)
        {
            Id = id;
            SubscriptionNumber = subscriptionNumber;
        }

        internal string Id { get; }

        public long SubscriptionNumber { get; }

        public override string ToString() => SubscriptionNumber.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The portal's JSON answers: token, contracts, daily volumes (0-based months, m3 or litres).</summary>
    public static class EglPortalWire
    {
        /// <summary>The UTC instant of a Paris midnight, as the portal's query wants it: 2025-01-13T23:00:00.000Z.</summary>
        public static string FormatInstant(DateTimeOffset instant) =>
            instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        public static (string AccessToken, int ExpiresIn) ParseToken(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglWire.Context(route, status, contentType, text, secrets);
            using var doc = EglWire.ParseDocument(ctx);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ctx.Invalid("the answer is not a JSON object");
            if (!root.TryGetProperty("access_token", out var t) || t.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(t.GetString()))
                throw ctx.Invalid("the field 'access_token' is missing");
            int expiresIn = 3600;
            if (root.TryGetProperty("expires_in", out var e))
            {
                string? raw = e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                if (raw is null || !double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
                    throw ctx.Invalid("the field 'expires_in' is not a positive number");
                expiresIn = (int)Math.Min(seconds, int.MaxValue);
            }

            return (t.GetString()!, expiresIn);
        }

        public static IReadOnlyList<EglPortalContract> ParseContracts(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglWire.Context(route, status, contentType, text, secrets);
            using var doc = EglWire.ParseDocument(ctx);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("content", out var content)) root = content;
            if (root.ValueKind != JsonValueKind.Array) throw ctx.Invalid("the contract list is not a JSON array");
            var contracts = new List<EglPortalContract>();
            int position = 0;
            foreach (var c in root.EnumerateArray())
            {
                position++;
                if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
                    throw ctx.Invalid($"contract {position} has no 'id'");
                long number = position;
                if (c.TryGetProperty("reference", out var reference))
                {
                    string? r = reference.ValueKind == JsonValueKind.String ? reference.GetString() : reference.ValueKind == JsonValueKind.Number ? reference.GetRawText() : null;
                    if (r is not null && long.TryParse(r.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n)) number = n;
                }

                contracts.Add(new EglPortalContract(id.GetString()!, number));
            }

            return contracts;
        }

        /// <summary>
        /// Daily volumes in litres. Months are 0-based on the wire; the unit is "m3" or "l" (an unknown or
        /// missing unit is an error, never a guess).
        /// </summary>
        public static IReadOnlyList<EglDailyVolume> ParseDailyVolumes(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglWire.Context(route, status, contentType, text, secrets);
            using var doc = EglWire.ParseDocument(ctx);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ctx.Invalid("the answer is not a JSON object");
            var result = new List<EglDailyVolume>();
            if (!root.TryGetProperty("postes", out var postes) || postes.ValueKind != JsonValueKind.Array) throw ctx.Invalid("the field 'postes' is missing");
            if (postes.GetArrayLength() == 0) return result;
            double factor = UnitFactor(root, ctx);
            foreach (var poste in postes.EnumerateArray())
            {
                if (!poste.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) continue;
                foreach (var d in data.EnumerateArray())
                {
                    if (!TryInt(d, "annee", out int year) || !TryInt(d, "mois", out int month0) || !TryInt(d, "jour", out int day))
                        throw ctx.Invalid("a day has no numeric 'annee', 'mois' or 'jour'");
                    if (month0 < 0 || month0 > 11 || year < 1900 || day < 1 || day > DateTime.DaysInMonth(year, month0 + 1))
                        throw ctx.Invalid($"a day is not a valid date (annee {year}, mois {month0} counted from 0, jour {day})");
                    if (!d.TryGetProperty("consommation", out var v) || !TryDouble(v, out double volume))
                        throw ctx.Invalid($"the day {year:0000}-{month0 + 1:00}-{day:00} has no numeric 'consommation'");
                    if (volume < 0) throw ctx.Invalid($"the day {year:0000}-{month0 + 1:00}-{day:00} has a negative volume");
                    result.Add(new EglDailyVolume(new DateTime(year, month0 + 1, day), Math.Round(volume * factor, 6)));
                }
            }

            result.Sort((a, b) => a.Date.CompareTo(b.Date));
            return result;
        }

        private static double UnitFactor(JsonElement root, EglWire.Context ctx)
        {
            string? unit = root.TryGetProperty("unites", out var u) && u.ValueKind == JsonValueKind.Object && u.TryGetProperty("consommation", out var c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()
                : null;
            switch ((unit ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "m3":
                case "m³":
                    return 1000.0;
                case "l":
                case "litre":
                case "litres":
                    return 1.0;
                default:
                    throw ctx.Invalid(unit is null ? "the unit 'unites.consommation' is missing" : $"the unit '{EglWire.Excerpt(unit, 10)}' is unknown");
            }
        }

        private static bool TryInt(JsonElement obj, string name, out int value)
        {
            value = 0;
            if (!obj.TryGetProperty(name, out var e)) return false;
            string? raw = e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return raw is not null && int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        }

        private static bool TryDouble(JsonElement e, out double value)
        {
            value = 0;
            string? raw = e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return raw is not null && double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value) && !double.IsInfinity(value);
        }
    }
}
