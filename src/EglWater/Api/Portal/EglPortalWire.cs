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
            if (!root.TryGetProperty("postes", out var postes) || postes.ValueKind != JsonValueKind.Array) throw ctx.Invalid("the field 'postes' is missing");
            if (postes.GetArrayLength() == 0) return new List<EglDailyVolume>();
            double factor = UnitFactor(root, ctx);
            // Several postes (meters, or tariff periods) of one contract: a day's volume is the sum of its postes,
            // never one overwriting another. Inside one poste a day given twice keeps its last value.
            var byDay = new SortedDictionary<DateTime, double>();
            foreach (var poste in postes.EnumerateArray())
            {
                if (poste.ValueKind != JsonValueKind.Object || !poste.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) continue;
                var posteDays = new Dictionary<DateTime, double>();
                foreach (var d in data.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Object || !TryInt(d, "annee", out int year) || !TryInt(d, "mois", out int month0) || !TryInt(d, "jour", out int day))
                        throw ctx.Invalid("a day has no numeric 'annee', 'mois' or 'jour'");
                    if (month0 < 0 || month0 > 11 || year < 1900 || year > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month0 + 1))
                        throw ctx.Invalid(string.Format(CultureInfo.InvariantCulture, "a day is not a valid date (annee {0}, mois {1} counted from 0, jour {2})", year, month0, day));
                    if (!d.TryGetProperty("consommation", out var v) || !TryDouble(v, out double volume))
                        throw ctx.Invalid(string.Format(CultureInfo.InvariantCulture, "the day {0:0000}-{1:00}-{2:00} has no numeric 'consommation'", year, month0 + 1, day));
                    if (volume < 0) throw ctx.Invalid(string.Format(CultureInfo.InvariantCulture, "the day {0:0000}-{1:00}-{2:00} has a negative volume", year, month0 + 1, day));
                    posteDays[new DateTime(year, month0 + 1, day)] = volume * factor;
                }

                foreach (var pair in posteDays) byDay[pair.Key] = (byDay.TryGetValue(pair.Key, out double sum) ? sum : 0) + pair.Value;
            }

            var result = new List<EglDailyVolume>(byDay.Count);
            foreach (var pair in byDay) result.Add(new EglDailyVolume(pair.Key, Math.Round(pair.Value, 6)));
            return result;
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
