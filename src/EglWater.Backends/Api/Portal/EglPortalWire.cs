using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using EglWater.Api;
using EglWater.Api.Http;

namespace EglWater.Api.Portal
{
    /// <summary>One day's volume from the portal, in litres.</summary>
    internal readonly struct EglDailyVolume
    {
        public EglDailyVolume(DateTime date, double liters)
        {
            Date = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
            Liters = liters;
        }

        public DateTime Date { get; }

        public double Liters { get; }
    }

    /// <summary>
    /// A contract of the portal: its opaque id (used in routes), its subscription number, and the details the
    /// 2026 contract search gives (null when the answer has none).
    /// </summary>
    internal sealed class EglPortalContract
    {
        public EglPortalContract(string id, long subscriptionNumber, string? reference = null, string? status = null, int? meterDiameter = null, int? residents = null, string? usage = null, bool? meterBatteryOk = null)
        {
            Id = id;
            SubscriptionNumber = subscriptionNumber;
            Reference = reference;
            Status = status;
            MeterDiameter = meterDiameter;
            Residents = residents;
            Usage = usage;
            MeterBatteryOk = meterBatteryOk;
        }

        internal string Id { get; }

        public long SubscriptionNumber { get; }

        public string? Reference { get; }

        public string? Status { get; }

        /// <summary>The meter's diameter in mm (calibreCompteur "DN15" is 15).</summary>
        public int? MeterDiameter { get; }

        /// <summary>nombreHabitants.</summary>
        public int? Residents { get; }

        public string? Usage { get; }

        /// <summary>The radio module's battery (etatPile): true when the portal says it is fine, false when low or worn.</summary>
        public bool? MeterBatteryOk { get; }

        public override string ToString() => SubscriptionNumber.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The portal's JSON answers: token, contracts, daily items (0-based months, units per field), OAuth redirects and errors.</summary>
    internal static class EglPortalWire
    {
        /// <summary>The UTC instant of a Paris midnight, as the portal's query wants it: 2025-01-13T23:00:00.000Z.</summary>
        public static string FormatInstant(DateTimeOffset instant) =>
            instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        /// <summary>The access token of a token answer, if it has one (read before anything else, so it can be masked).</summary>
        public static string? AccessTokenOf(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public static (string AccessToken, int ExpiresIn) ParseToken(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglJson.Context(route, status, contentType, text, secrets);
            using var doc = EglJson.ParseDocument(ctx);
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

        /// <summary>
        /// The contracts: the 2026 search's {"content":[…]} or a bare list (the older route). A contract's
        /// subscription number is its numeric reference (its position when it has none); the details are read
        /// where the search gives them.
        /// </summary>
        public static IReadOnlyList<EglPortalContract> ParseContracts(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglJson.Context(route, status, contentType, text, secrets);
            using var doc = EglJson.ParseDocument(ctx);
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
                string? reference = Scalar(c, "reference");
                long number = reference is not null && long.TryParse(reference.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : position;
                string? diameter = Path(c, "servicesSouscrits", "calibreCompteur", "libelle") ?? Path(c, "calibreCompteur", "libelle") ?? Scalar(c, "calibreCompteur");
                string? residents = Path(c, "servicesSouscrits", "nombreHabitants", "libelle") ?? Path(c, "nombreHabitants", "libelle") ?? Scalar(c, "nombreHabitants");
                contracts.Add(new EglPortalContract(
                    id.GetString()!,
                    number,
                    reference,
                    Scalar(c, "statutExtrait") ?? Scalar(c, "statut"),
                    FirstNumber(diameter),
                    FirstNumber(residents),
                    Path(c, "usage", "libelle") ?? Scalar(c, "usage"),
                    BatteryOk(Path(c, "pointDeReleve", "moduleRadio", "etatPile"))));
            }

            return contracts;
        }

        /// <summary>The first whole number written in a text ("DN15" is 15, "3 habitants" is 3).</summary>
        internal static int? FirstNumber(string? text)
        {
            if (text is null) return null;
            var m = System.Text.RegularExpressions.Regex.Match(text, "[0-9]+");
            return m.Success && int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
        }

        /// <summary>etatPile: "OK", "BON", "NORMAL" is fine; "KO", "FAIBLE", "BAS", "USEE", "LOW" is not; anything else unknown.</summary>
        internal static bool? BatteryOk(string? state)
        {
            if (string.IsNullOrWhiteSpace(state)) return null;
            string s = state!.Trim().ToUpperInvariant();
            if (s is "OK" or "BON" or "NORMAL" or "GOOD" or "TRUE") return true;
            if (s.StartsWith("KO", StringComparison.Ordinal) || s.Contains("FAIBLE") || s.Contains("BAS") || s.Contains("USE") || s.Contains("LOW") || s == "FALSE") return false;
            return null;
        }

        private static string? Scalar(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? v.GetRawText() : null
                : null;

        /// <summary>A scalar at a path of objects (the first element of an array on the way).</summary>
        private static string? Path(JsonElement obj, params string[] names)
        {
            var e = obj;
            for (int i = 0; i < names.Length; i++)
            {
                if (e.ValueKind == JsonValueKind.Array)
                {
                    if (e.GetArrayLength() == 0) return null;
                    e = e[0];
                }

                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(names[i], out e)) return null;
            }

            if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0) e = e[0];
            return e.ValueKind == JsonValueKind.String ? e.GetString() : e.ValueKind == JsonValueKind.Number ? e.GetRawText() : null;
        }

        /// <summary>The fields of a daily item the portal measures, and the kind of unit each takes.</summary>
        private static readonly (string Field, bool Flow)[] DayFields =
        {
            ("consommation", false), ("index", false), ("debitMin", true), ("volumeEstimeFuite", false),
        };

        /// <summary>
        /// The days of a consommationsJournalieres answer as records: the volume (consommation), the meter's index,
        /// the day's minimum flow (debitMin) and the provider's leak estimate (volumeEstimeFuite), each converted
        /// to litres (or litres per hour) with its own unit from 'unites'. Months are 0-based on the wire. A field
        /// whose unit is missing or unknown is left empty with one warning naming the field and the unit, never
        /// guessed from its magnitude. Several postes on one day are summed, never one overwriting another (an
        /// index only when every poste of the day gives one). A malformed item (null, a string, a non-numeric
        /// value, an impossible date) is skipped with a verbose line naming it; the rest of the answer is kept.
        /// </summary>
        public static IReadOnlyList<EglDayRecord> ParseDays(string route, int status, string? contentType, string text, long subscriptionNumber, IEglLog log, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglJson.Context(route, status, contentType, text, secrets);
            using var doc = EglJson.ParseDocument(ctx);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ctx.Invalid("the answer is not a JSON object");
            if (!root.TryGetProperty("postes", out var postes) || postes.ValueKind != JsonValueKind.Array) throw ctx.Invalid("the field 'postes' is missing");
            var units = root.TryGetProperty("unites", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
            var factors = new Dictionary<string, double?>(StringComparer.Ordinal);
            var days = new SortedDictionary<DateTime, DaySum>();
            int posteNumber = 0;
            foreach (var poste in postes.EnumerateArray())
            {
                posteNumber++;
                string posteName = poste.ValueKind == JsonValueKind.Object && poste.TryGetProperty("libelle", out var l) && l.ValueKind == JsonValueKind.String
                    ? "'" + EglJson.Excerpt(l.GetString(), 30) + "'"
                    : posteNumber.ToString(CultureInfo.InvariantCulture);
                if (poste.ValueKind != JsonValueKind.Object || !poste.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) continue;
                int item = 0;
                foreach (var d in data.EnumerateArray())
                {
                    item++;
                    string? problem = ReadDay(d, units, factors, log, out DateTime day, out double?[] values);
                    if (problem is not null)
                    {
                        log.Verbose(string.Format(CultureInfo.InvariantCulture, "{0}: item {1} of poste {2} left out: {3}.", route, item, posteName, problem));
                        continue;
                    }

                    if (!days.TryGetValue(day, out var sum)) days[day] = sum = new DaySum();
                    sum.Add(values);
                }
            }

            var records = new List<EglDayRecord>(days.Count);
            foreach (var pair in days)
            {
                var v = pair.Value;
                records.Add(new EglDayRecord(subscriptionNumber, pair.Key, v.Index, EglReadingType.Real, string.Empty, v.Values[0], v.Values[2], v.Values[3]));
            }

            return records;
        }

        /// <summary>One day's sums over its postes (consommation, index, debitMin, volumeEstimeFuite).</summary>
        private sealed class DaySum
        {
            private int _postes, _postesWithIndex;

            public readonly double?[] Values = new double?[4];

            public double? Index => _postesWithIndex == _postes ? Values[1] : null;

            public void Add(double?[] values)
            {
                _postes++;
                if (values[1].HasValue) _postesWithIndex++;
                for (int i = 0; i < values.Length; i++)
                {
                    if (values[i] is { } v) Values[i] = Math.Round((Values[i] ?? 0) + v, 6);
                }
            }
        }

        /// <summary>Reads one daily item; returns why it is left out, or null.</summary>
        private static string? ReadDay(JsonElement d, JsonElement units, Dictionary<string, double?> factors, IEglLog log, out DateTime day, out double?[] values)
        {
            day = default;
            values = new double?[DayFields.Length];
            if (d.ValueKind != JsonValueKind.Object) return "it is " + (d.ValueKind == JsonValueKind.Null ? "null" : "not an object (" + d.ValueKind.ToString().ToLowerInvariant() + ")");
            if (!TryInt(d, "annee", out int year) || !TryInt(d, "mois", out int month0) || !TryInt(d, "jour", out int dayOfMonth))
                return "it has no numeric 'annee', 'mois' or 'jour'";
            if (month0 < 0 || month0 > 11 || year < 1900 || year > 9999 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month0 + 1))
                return string.Format(CultureInfo.InvariantCulture, "annee {0}, mois {1} (counted from 0), jour {2} is not a valid date", year, month0, dayOfMonth);
            day = new DateTime(year, month0 + 1, dayOfMonth);
            for (int i = 0; i < DayFields.Length; i++)
            {
                var (field, flow) = DayFields[i];
                if (!d.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null) continue;
                if (!TryDouble(e, out double value)) return string.Format(CultureInfo.InvariantCulture, "its '{0}' of {1:yyyy-MM-dd} is not a number", field, day);
                if (value < 0) return string.Format(CultureInfo.InvariantCulture, "its '{0}' of {1:yyyy-MM-dd} is negative", field, day);
                if (Factor(field, flow, units, factors, log) is { } factor) values[i] = value * factor;
            }

            return null;
        }

        /// <summary>The factor to litres (or L/h) of a field's unit, or null (with one warning) when the unit is missing or unknown.</summary>
        private static double? Factor(string field, bool flow, JsonElement units, Dictionary<string, double?> factors, IEglLog log)
        {
            if (factors.TryGetValue(field, out var known)) return known;
            string? unit = units.ValueKind == JsonValueKind.Object && units.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            double? factor = UnitFactor(unit, flow);
            if (factor is null)
            {
                log.Warning(unit is null
                    ? string.Format(CultureInfo.InvariantCulture, "The portal gave '{0}' without a unit (unites.{0}): those values are left empty, not guessed.", field)
                    : string.Format(CultureInfo.InvariantCulture, "The portal gave '{0}' in an unknown unit '{1}': those values are left empty, not guessed.", field, EglJson.Excerpt(unit, 20)));
            }

            factors[field] = factor;
            return factor;
        }

        /// <summary>
        /// Litres (or litres per hour for a flow) per unit, for the spellings seen: l, L, litre, litres, m3, m³;
        /// L/h, l/h, litres / h, m3/h. Null for anything else.
        /// </summary>
        public static double? UnitFactor(string? unit, bool flow)
        {
            if (unit is null) return null;
            string u = unit.Trim().ToLowerInvariant().Replace(" ", string.Empty).Replace('³', '3');
            if (flow)
            {
                return u switch
                {
                    "l/h" or "litre/h" or "litres/h" or "l/heure" or "litres/heure" => 1.0,
                    "m3/h" => 1000.0,
                    _ => null,
                };
            }

            return u switch
            {
                "l" or "litre" or "litres" => 1.0,
                "m3" => 1000.0,
                _ => null,
            };
        }

        /// <summary>Daily volumes in litres (the days whose volume is known), for callers that only need those.</summary>
        public static IReadOnlyList<EglDailyVolume> ParseDailyVolumes(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var volumes = new List<EglDailyVolume>();
            foreach (var r in ParseDays(route, status, contentType, text, 0, NullEglLog.Instance, secrets))
            {
                if (r.Liters is { } liters) volumes.Add(new EglDailyVolume(r.Date, liters));
            }

            return volumes;
        }

        /// <summary>
        /// The authorization code of the authorize step's answer: from a redirect's Location (absolute or relative,
        /// in the query or the fragment), or from a 200 page or JSON. An OAuth error the answer carries instead
        /// (error=access_denied) comes out in <paramref name="oauthError"/>.
        /// </summary>
        public static string? AuthorizationCodeOf(int status, Uri? location, string text, out string? oauthError)
        {
            oauthError = null;
            if (status >= 300 && status < 400)
            {
                string target = location?.OriginalString ?? string.Empty;
                var parameters = UriParameters(target);
                if (parameters.TryGetValue("code", out var code) && code.Length > 0) return code;
                if (parameters.TryGetValue("error", out var error))
                    oauthError = parameters.TryGetValue("error_description", out var description) ? error + ": " + description : error;
                return null;
            }

            if (status != 200) return null;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } code) return code;
                    if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String) oauthError = e.GetString();
                    return null;
                }
            }
            catch (JsonException)
            {
            }

            var m = System.Text.RegularExpressions.Regex.Match(text, "[?&#]code=([A-Za-z0-9._~%-]+)");
            return m.Success ? Uri.UnescapeDataString(m.Groups[1].Value) : null;
        }

        /// <summary>The parameters of a URI's query and fragment (a relative URI too), unescaped; the first of a name wins.</summary>
        internal static Dictionary<string, string> UriParameters(string uri)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            int q = uri.IndexOfAny(new[] { '?', '#' });
            if (q < 0) return result;
            foreach (var part in uri.Substring(q + 1).Split('&', '#', '?'))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0) continue;
                string name = part.Substring(0, eq);
                if (result.ContainsKey(name)) continue;
                try
                {
                    result[name] = Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                }
                catch (UriFormatException)
                {
                    result[name] = part.Substring(eq + 1);
                }
            }

            return result;
        }

        /// <summary>The human-readable message of a JSON error body (message, error_description, libelle...), or null.</summary>
        public static string? MessageOf(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return null;
                foreach (var name in new[] { "message", "error_description", "libelle", "libelleRetour", "erreur", "error" })
                {
                    if (root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String) return m.GetString();
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        /// <summary>The error and error_description of an OAuth error answer.</summary>
        public static (string? Error, string? Description) OAuthErrorOf(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return (null, null);
                string? error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                string? description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return (error, description);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }

        /// <summary>What the login form's answer says, whatever its HTTP status (the portal may answer 200 with an error body).</summary>
        public readonly struct LoginRefusal
        {
            public LoginRefusal(bool refused, bool sessionCap, string? code, string? message)
            {
                Refused = refused;
                SessionCap = sessionCap;
                Code = code;
                Message = message;
            }

            /// <summary>The login was refused (bad credentials, or any error the body states).</summary>
            public bool Refused { get; }

            /// <summary>The server's session cap: "nombre maximum de connexion atteint".</summary>
            public bool SessionCap { get; }

            public string? Code { get; }

            public string? Message { get; }
        }

        private static readonly System.Text.RegularExpressions.Regex ErrorCodeWords = new System.Text.RegularExpressions.Regex(
            "ERR|KO|FAIL|INVALID|INCORRECT|REFUS|LIMIT|DENIED|BLOQU|LOCK|UNAUTHORI",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Reads the login form's answer: refused or not, session cap or not, the server's code and message.</summary>
        public static LoginRefusal LoginRefusalOf(int status, string text)
        {
            bool sessionCap = text.IndexOf("nombre maximum de connexion", StringComparison.OrdinalIgnoreCase) >= 0;
            string? message = MessageOf(text);
            string? code = null;
            bool refused = status == 400 || status == 401;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in root.EnumerateObject())
                    {
                        string name = p.Name.ToLowerInvariant();
                        var v = p.Value;
                        string? scalar = v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
                        switch (name)
                        {
                            case "error":
                            case "erreur":
                                if (v.ValueKind != JsonValueKind.Null && v.ValueKind != JsonValueKind.False && !(scalar is { Length: 0 }))
                                {
                                    refused = true;
                                    code ??= scalar;
                                }

                                break;
                            case "success":
                            case "succes":
                            case "authenticated":
                                if (v.ValueKind == JsonValueKind.False) refused = true;
                                break;
                            case "coderetour":
                                if (scalar is not null && scalar.Trim() != "100")
                                {
                                    refused = true;
                                    code = scalar;
                                }

                                break;
                            case "code":
                            case "status":
                            case "statut":
                                if (scalar is null) break;
                                if ((int.TryParse(scalar, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 400) || (v.ValueKind == JsonValueKind.String && ErrorCodeWords.IsMatch(scalar)))
                                {
                                    refused = true;
                                    code = scalar;
                                }

                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
            }

            return new LoginRefusal(refused || sessionCap, sessionCap, code, message);
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
