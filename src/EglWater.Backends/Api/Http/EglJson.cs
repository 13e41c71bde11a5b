using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EglWater.Api.Http
{
    /// <summary>
    /// What both APIs' wires share: an answer's context for precise errors (route, status, content type, a masked
    /// excerpt), tolerant JSON reading (numbers as strings, names in any case), and the excerpt of a server's text.
    /// </summary>
    internal static class EglJson
    {
        internal sealed class Context
        {
            public Context(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets)
            {
                Route = route;
                Status = status;
                ContentType = contentType;
                Text = text;
                Secrets = secrets;
            }

            public IEnumerable<string?>? Secrets { get; }

            /// <summary>Text from the server (an API message) with the request's secrets masked.</summary>
            public string? Clean(string? serverText) => serverText is null ? null : EglRedactor.Redact(serverText, Secrets);

            public string Route { get; }
            public int Status { get; }
            public string? ContentType { get; }
            public string Text { get; }

            public EglInvalidResponseException Invalid(string reason, Exception? inner = null) =>
                new EglInvalidResponseException(Route, Status, ContentType is null ? null : Excerpt(ContentType, 60), reason, EglRedactor.Excerpt(Text, Secrets), inner);
        }

        /// <summary>A short, single-line excerpt of an answer, with markup removed (secrets must be redacted first).</summary>
        public static string Excerpt(string? text, int max = 120)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            var sb = new StringBuilder(Math.Min(text!.Length, max + 8));
            bool inTag = false, lastSpace = false;
            foreach (char c in text)
            {
                if (c == '<') { inTag = true; continue; }
                if (inTag) { if (c == '>') { inTag = false; if (!lastSpace && sb.Length > 0) { sb.Append(' '); lastSpace = true; } } continue; }
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    if (!lastSpace && sb.Length > 0) { sb.Append(' '); lastSpace = true; }
                    continue;
                }

                sb.Append(c == '"' ? '\'' : c);
                lastSpace = false;
                if (sb.Length >= max) { sb.Append('…'); break; }
            }

            return sb.ToString().Trim();
        }

        internal static JsonDocument ParseDocument(Context ctx)
        {
            try
            {
                return JsonDocument.Parse(ctx.Text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException ex)
            {
                string trimmed = ctx.Text.TrimStart();
                string reason = trimmed.Length == 0 ? "an empty body"
                    : trimmed[0] == '<' ? "an HTML or XML page"
                    : trimmed[0] == '{' || trimmed[0] == '[' ? "truncated or malformed JSON"
                    : "text that is not JSON";
                throw ctx.Invalid(reason, ex);
            }
        }

        internal static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
        {
            if (obj.TryGetProperty(name, out value)) return true;
            foreach (var p in obj.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = p.Value;
                    return true;
                }
            }

            return false;
        }

        internal static string? ScalarText(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };

        internal static bool TryReadDouble(JsonElement e, out double value)
        {
            value = 0;
            string? text = ScalarText(e);
            return text is not null
                && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                && !double.IsNaN(value) && !double.IsInfinity(value);
        }

        internal static bool TryReadInt64(JsonElement e, out long value)
        {
            value = 0;
            string? text = ScalarText(e)?.Trim();
            if (text is null) return false;
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return true;
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
            {
                value = (long)d;
                return true;
            }

            return false;
        }
    }
}
