using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.Json;
using EglWater.Engine.Cost;

namespace EglWater.Tariffs
{
    /// <summary>
    /// Reads a tariff file (JSON) and checks it; every problem is an <see cref="EglTariffInvalidException"/>
    /// that names the file and says precisely what is wrong (a missing file: <see cref="EglTariffNotFoundException"/>).
    /// </summary>
    /// <remarks>
    /// The format:
    /// <code>
    /// { "name": "…", "currency": "EUR", "source": "…", "note": "…",
    ///   "periods": [ { "from": "2026-01-01", "to": "2026-12-31",
    ///       "drinkingWater": [ { "upToCubicMeters": 12, "pricePerCubicMeter": 0 }, …, { "upToCubicMeters": null, "pricePerCubicMeter": 2.7852 } ],
    ///       "perCubicMeter": [ { "name": "Assainissement", "pricePerCubicMeter": 1.4495 } ],
    ///       "subscriptionPerYear": { "15": 50.66, "20": 242.87 } } ] }
    /// </code>
    /// Numbers are read as decimals (JSON numbers are invariant). "from" and "to" (yyyy-MM-dd, inclusive)
    /// may be left out for an open end. "source" and "note" strings are allowed on the root, a period,
    /// each tier, each item and in the subscription object; the pricing ignores them. Unknown properties
    /// are errors (a misspelt "perCubicMetre" must not silently drop sanitation). Comments and trailing
    /// commas are tolerated.
    /// </remarks>
    internal static class TariffReader
    {
        /// <summary>The manifest resource name of the shipped grid.</summary>
        public const string DefaultResourceName = "EglWater.Tariffs.eau-du-grand-lyon.json";

        /// <summary>How messages name the shipped grid.</summary>
        public const string DefaultFile = "eau-du-grand-lyon.json (built into EglWater)";

        /// <summary>A tariff file is a few kilobytes; anything over this is not one.</summary>
        public const long MaxBytes = 1024 * 1024;

        /// <summary>The largest price, bound or subscription accepted: far above any real one, low enough that no sum overflows.</summary>
        public const decimal MaxAmount = Tariff.MaxAmount;

        private static readonly Lazy<Tariff> DefaultTariff = new Lazy<Tariff>(LoadDefault);

        /// <summary>Reads and checks the tariff file at <paramref name="path"/> (a file-system path, already resolved).</summary>
        public static Tariff Read(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A tariff path is required.", nameof(path));
            string text;
            try
            {
                if (Directory.Exists(path)) throw new EglTariffNotFoundException(path, "is a folder, not a file");
                var info = new FileInfo(path);
                if (!info.Exists) throw new EglTariffNotFoundException(path, "does not exist");
                if (info.Length > MaxBytes)
                    throw new EglTariffInvalidException(path, string.Format(CultureInfo.InvariantCulture, "it is {0} bytes long; a tariff file is a few kilobytes of JSON", info.Length));
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (FileNotFoundException ex)
            {
                throw new EglTariffNotFoundException(path, "does not exist", ex);
            }
            catch (DirectoryNotFoundException ex)
            {
                throw new EglTariffNotFoundException(path, "does not exist (its folder does not exist)", ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new EglTariffInvalidException(path, "it cannot be read (" + ex.Message.TrimEnd('.') + ")", ex);
            }

            return ReadText(text, path);
        }

        /// <summary>Reads and checks a tariff from its JSON text; <paramref name="file"/> names it in messages.</summary>
        public static Tariff ReadText(string json, string file)
        {
            if (json is null) throw new ArgumentNullException(nameof(json));
            if (file is null) throw new ArgumentNullException(nameof(file));
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw new EglTariffInvalidException(file, SyntaxProblem(ex), ex);
            }

            using (document)
            {
                return new Parser(file).ParseTariff(document.RootElement);
            }
        }

        /// <summary>The shipped grid (embedded in the module), read once.</summary>
        public static Tariff Default() => DefaultTariff.Value;

        private static Tariff LoadDefault()
        {
            using var stream = typeof(TariffReader).Assembly.GetManifestResourceStream(DefaultResourceName);
            if (stream is null) throw new EglTariffInvalidException(DefaultFile, "it is missing from the module (the module was built without it)");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return ReadText(reader.ReadToEnd(), DefaultFile);
        }

        private static string SyntaxProblem(JsonException ex)
        {
            string reason = ex.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut < 0) cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) reason = reason.Substring(0, cut);
            reason = reason.Trim().TrimEnd('.');
            return ex.LineNumber.HasValue
                ? string.Format(CultureInfo.InvariantCulture, "JSON syntax error at line {0}, position {1}: {2}", ex.LineNumber.Value + 1, (ex.BytePositionInLine ?? 0) + 1, reason)
                : "JSON syntax error: " + reason;
        }

        /// <summary>Walks the document; every check names the JSON path of what is wrong.</summary>
        private sealed class Parser
        {
            private readonly string _file;

            public Parser(string file) => _file = file;

            public Tariff ParseTariff(JsonElement root)
            {
                var o = Object(root, "the root", "name", "currency", "periods", "source", "note");
                string name = RequiredString(o, "name", "the root");
                string currency = RequiredString(o, "currency", "the root");
                if (!string.Equals(currency, "EUR", StringComparison.OrdinalIgnoreCase))
                    throw Fail("\"currency\" is \"" + currency + "\"; only EUR is supported");
                if (!o.TryGetValue("periods", out var periodsElement)) throw Fail("the root has no \"periods\" array");
                if (periodsElement.ValueKind != JsonValueKind.Array) throw Fail("\"periods\" must be an array, not " + Kind(periodsElement));
                var periods = new List<(TariffPeriod Period, string Path)>();
                int i = 0;
                foreach (var p in periodsElement.EnumerateArray())
                {
                    string path = "periods[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    periods.Add((Period(p, path), path));
                    i++;
                }

                if (periods.Count == 0) throw Fail("\"periods\" is empty: a tariff needs at least one period");
                CheckOverlaps(periods);
                return new Tariff(name.Trim(), _file, periods.Select(p => p.Period), OptionalString(o, "source", "the root"), OptionalString(o, "note", "the root"));
            }

            private void CheckOverlaps(List<(TariffPeriod Period, string Path)> periods)
            {
                var sorted = periods.OrderBy(p => p.Period.From ?? DateTime.MinValue).ToList();
                for (int k = 1; k < sorted.Count; k++)
                {
                    var a = sorted[k - 1];
                    var b = sorted[k];
                    DateTime aEnd = a.Period.To ?? DateTime.MaxValue.Date;
                    DateTime bStart = b.Period.From ?? DateTime.MinValue;
                    if (bStart <= aEnd)
                        throw Fail(string.Format(CultureInfo.InvariantCulture, "{0} ({1}) and {2} ({3}) overlap: a day must have one price", a.Path, a.Period, b.Path, b.Period));
                }
            }

            private TariffPeriod Period(JsonElement element, string path)
            {
                var o = Object(element, path, "from", "to", "drinkingWater", "perCubicMeter", "subscriptionPerYear", "source", "note");
                DateTime? from = OptionalDate(o, "from", path);
                DateTime? to = OptionalDate(o, "to", path);
                if (from.HasValue && to.HasValue && from.Value > to.Value)
                    throw Fail(string.Format(CultureInfo.InvariantCulture, "{0} starts ({1:yyyy-MM-dd}) after it ends ({2:yyyy-MM-dd})", path, from.Value, to.Value));

                var tiers = Tiers(o, path);
                var items = new List<TariffItem>();
                if (o.TryGetValue("perCubicMeter", out var itemsElement) && itemsElement.ValueKind != JsonValueKind.Null)
                {
                    if (itemsElement.ValueKind != JsonValueKind.Array) throw Fail(path + ".perCubicMeter must be an array, not " + Kind(itemsElement));
                    int i = 0;
                    foreach (var item in itemsElement.EnumerateArray())
                    {
                        string itemPath = path + ".perCubicMeter[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                        var io = Object(item, itemPath, "name", "pricePerCubicMeter", "source", "note");
                        items.Add(new TariffItem(RequiredString(io, "name", itemPath).Trim(), Price(io, "pricePerCubicMeter", itemPath), OptionalString(io, "source", itemPath), OptionalString(io, "note", itemPath)));
                        i++;
                    }
                }

                var subscriptions = Subscriptions(o, path);
                return new TariffPeriod(from, to, tiers, items, subscriptions, null, OptionalString(o, "source", path), OptionalString(o, "note", path));
            }

            private List<TariffTier> Tiers(Dictionary<string, JsonElement> period, string path)
            {
                string tiersPath = path + ".drinkingWater";
                if (!period.TryGetValue("drinkingWater", out var element)) throw Fail(path + " has no \"drinkingWater\" tiers");
                if (element.ValueKind != JsonValueKind.Array) throw Fail(tiersPath + " must be an array, not " + Kind(element));
                var tiers = new List<TariffTier>();
                var paths = new List<string>();
                int i = 0;
                foreach (var t in element.EnumerateArray())
                {
                    string tierPath = tiersPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    var to = Object(t, tierPath, "upToCubicMeters", "pricePerCubicMeter", "source", "note");
                    decimal? bound = null;
                    if (to.TryGetValue("upToCubicMeters", out var b) && b.ValueKind != JsonValueKind.Null) bound = Number(b, tierPath + ".upToCubicMeters");
                    tiers.Add(new TariffTier(bound, Price(to, "pricePerCubicMeter", tierPath), OptionalString(to, "source", tierPath), OptionalString(to, "note", tierPath)));
                    paths.Add(tierPath);
                    i++;
                }

                if (tiers.Count == 0) throw Fail(tiersPath + " is empty: give at least one tier (upToCubicMeters null for a single price)");
                decimal previous = 0m;
                for (int k = 0; k < tiers.Count; k++)
                {
                    var bound = tiers[k].UpToCubicMeters;
                    if (!bound.HasValue)
                    {
                        if (k != tiers.Count - 1)
                            throw Fail(paths[k] + " has no bound (upToCubicMeters null) but is not the last tier: only the last tier may be open");
                        continue;
                    }

                    if (bound.Value <= previous)
                        throw Fail(string.Format(CultureInfo.InvariantCulture, "{0}.upToCubicMeters is {1}, not more than {2}: tier bounds must increase", paths[k], Plain(bound.Value), k == 0 ? "0" : Plain(previous)));
                    previous = bound.Value;
                }

                if (tiers[tiers.Count - 1].UpToCubicMeters.HasValue)
                    throw Fail(string.Format(CultureInfo.InvariantCulture, "the last tier of {0} has a bound ({1} m³): make it upToCubicMeters null, or the cubic metres above it would have no price", tiersPath, Plain(previous)));
                return tiers;
            }

            private Dictionary<int, decimal> Subscriptions(Dictionary<string, JsonElement> period, string path)
            {
                string subPath = path + ".subscriptionPerYear";
                if (!period.TryGetValue("subscriptionPerYear", out var element)) throw Fail(path + " has no \"subscriptionPerYear\" (the yearly subscription by meter diameter in mm)");
                if (element.ValueKind != JsonValueKind.Object) throw Fail(subPath + " must be an object such as { \"15\": 50.66 }, not " + Kind(element));
                var result = new Dictionary<int, decimal>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(property.Name)) throw Fail(subPath + " has the key \"" + property.Name + "\" twice");
                    if (property.Name == "source" || property.Name == "note")
                    {
                        if (property.Value.ValueKind != JsonValueKind.String && property.Value.ValueKind != JsonValueKind.Null)
                            throw Fail(subPath + "." + property.Name + " must be a string, not " + Kind(property.Value));
                        continue;
                    }

                    if (!IsDiameter(property.Name, out int diameter))
                        throw Fail(subPath + " has the key \"" + property.Name + "\", which is not a meter diameter: keys are whole numbers of millimetres such as \"15\"");
                    if (result.ContainsKey(diameter)) throw Fail(subPath + " gives the diameter " + diameter.ToString(CultureInfo.InvariantCulture) + " mm twice");
                    decimal amount = Number(property.Value, subPath + "." + property.Name);
                    if (amount < 0) throw Fail(string.Format(CultureInfo.InvariantCulture, "{0}.{1} is negative ({2}): a price cannot be negative", subPath, property.Name, Plain(amount)));
                    result[diameter] = amount;
                }

                if (result.Count == 0) throw Fail(subPath + " gives no diameter: give at least one, such as { \"15\": 50.66 }");
                return result;
            }

            private static bool IsDiameter(string key, out int diameter)
            {
                diameter = 0;
                if (key.Length == 0 || key.Length > 5) return false;
                foreach (char c in key)
                {
                    if (c < '0' || c > '9') return false;
                }

                diameter = int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
                return diameter > 0;
            }

            private decimal Price(Dictionary<string, JsonElement> o, string name, string path)
            {
                if (!o.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null) throw Fail(path + " has no \"" + name + "\"");
                decimal price = Number(element, path + "." + name);
                if (price < 0) throw Fail(string.Format(CultureInfo.InvariantCulture, "{0}.{1} is negative ({2}): a price cannot be negative", path, name, Plain(price)));
                return price;
            }

            private decimal Number(JsonElement element, string path)
            {
                if (element.ValueKind != JsonValueKind.Number) throw Fail(path + " must be a number, not " + Kind(element));
                if (!element.TryGetDecimal(out decimal value)) throw Fail(path + " (" + element.GetRawText() + ") is out of range for a decimal number");
                if (Math.Abs(value) > MaxAmount) throw Fail(path + " (" + element.GetRawText() + ") is implausibly large (more than 1,000,000,000)");
                return value;
            }

            private DateTime? OptionalDate(Dictionary<string, JsonElement> o, string name, string path)
            {
                if (!o.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
                if (element.ValueKind != JsonValueKind.String) throw Fail(path + "." + name + " must be a date string such as \"2026-01-01\", not " + Kind(element));
                string text = element.GetString() ?? string.Empty;
                if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    throw Fail(path + "." + name + " is \"" + text + "\", not a date written yyyy-MM-dd");
                return DateTime.SpecifyKind(day, DateTimeKind.Unspecified);
            }

            private string RequiredString(Dictionary<string, JsonElement> o, string name, string path)
            {
                string? value = OptionalString(o, name, path);
                if (value is null || value.Trim().Length == 0) throw Fail(path + " has no \"" + name + "\"" + (value is null ? string.Empty : " (it is empty)"));
                return value;
            }

            private string? OptionalString(Dictionary<string, JsonElement> o, string name, string path)
            {
                if (!o.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
                if (element.ValueKind != JsonValueKind.String) throw Fail((path == "the root" ? string.Empty : path + ".") + name + " must be a string, not " + Kind(element));
                return element.GetString();
            }

            private Dictionary<string, JsonElement> Object(JsonElement element, string path, params string[] allowed)
            {
                if (element.ValueKind != JsonValueKind.Object) throw Fail(path + " must be an object, not " + Kind(element));
                var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (Array.IndexOf(allowed, property.Name) < 0)
                        throw Fail(path + " has an unknown property \"" + property.Name + "\" (allowed: " + string.Join(", ", allowed) + ")");
                    if (result.ContainsKey(property.Name)) throw Fail(path + " has the property \"" + property.Name + "\" twice");
                    result.Add(property.Name, property.Value);
                }

                return result;
            }

            private static string Plain(decimal value) => Tariff.Plain(value);

            private static string Kind(JsonElement element) => element.ValueKind switch
            {
                JsonValueKind.String => "a string (" + element.GetRawText() + ")",
                JsonValueKind.Number => "a number (" + element.GetRawText() + ")",
                JsonValueKind.Array => "an array",
                JsonValueKind.Object => "an object",
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => element.ValueKind.ToString(),
            };

            private EglTariffInvalidException Fail(string problem) => new EglTariffInvalidException(_file, problem);
        }
    }
}
