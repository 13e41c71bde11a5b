using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EglWater;

namespace EglWater.Api.Partner
{
    using EglWater.Api.Http;

    /// <summary>The answer of a successful login.</summary>
    internal sealed class EglLoginResult
    {
        internal EglLoginResult(long subscriptionNumber, IReadOnlyList<long> subscriptions, string token)
        {
            SubscriptionNumber = subscriptionNumber;
            Subscriptions = subscriptions;
            Token = token;
        }

        /// <summary>The main subscription (num_abt).</summary>
        public long SubscriptionNumber { get; }

        /// <summary>Every subscription of the login (list_num_abt, or the main one alone).</summary>
        public IReadOnlyList<long> Subscriptions { get; }

        internal string Token { get; }

        public override string ToString() => $"num_abt {SubscriptionNumber.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The wire format of the partner API: the codeRetour / libelleRetour / resultatRetour envelope,
    /// tolerant of numbers sent as strings or with decimals, strict about required fields.
    /// </summary>
    internal static class EglPartnerWire
    {
        public const string DateFormat = "MM/dd/yyyy";

        /// <summary>Formats a request date: month first, invariant culture, whatever the caller's culture.</summary>
        public static string FormatDate(DateTime date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

        internal readonly struct Envelope
        {
            public Envelope(string? code, string? message, JsonElement result, bool hasResult)
            {
                Code = code;
                Message = message;
                Result = result;
                HasResult = hasResult;
            }

            public string? Code { get; }
            public string? Message { get; }
            public JsonElement Result { get; }
            public bool HasResult { get; }
            public bool IsSuccess => Code == "100";
        }

        internal static Envelope ReadEnvelope(JsonElement root, EglJson.Context ctx)
        {
            if (root.ValueKind != JsonValueKind.Object) throw ctx.Invalid("the answer is not a JSON object");
            if (!EglJson.TryGetProperty(root, "codeRetour", out var code)) throw ctx.Invalid("the field 'codeRetour' is missing");
            string? codeText = EglJson.ScalarText(code);
            if (codeText is null) throw ctx.Invalid("the field 'codeRetour' is not a number");
            if (decimal.TryParse(codeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var codeNumber) && codeNumber == decimal.Truncate(codeNumber))
                codeText = decimal.Truncate(codeNumber).ToString(CultureInfo.InvariantCulture);
            string? message = EglJson.TryGetProperty(root, "libelleRetour", out var m) ? EglJson.ScalarText(m) : null;
            bool hasResult = EglJson.TryGetProperty(root, "resultatRetour", out var result) && result.ValueKind != JsonValueKind.Null;
            return new Envelope(codeText, message, result, hasResult);
        }

        /// <summary>Parses the answer of connect.asp. Throws EglAuthenticationException when codeRetour is not 100.</summary>
        public static EglLoginResult ParseLogin(string route, int status, string? contentType, string text, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglJson.Context(route, status, contentType, text, secrets);
            using var doc = EglJson.ParseDocument(ctx);
            var env = ReadEnvelope(doc.RootElement, ctx);
            if (!env.IsSuccess) throw new EglAuthenticationException(ctx.Clean(env.Code), ctx.Clean(env.Message));
            if (!env.HasResult || env.Result.ValueKind != JsonValueKind.Object) throw ctx.Invalid("the field 'resultatRetour' is missing or not an object");
            var r = env.Result;
            if (!EglJson.TryGetProperty(r, "num_abt", out var abtElement) || !EglJson.TryReadInt64(abtElement, out long numAbt))
                throw ctx.Invalid("the field 'resultatRetour.num_abt' is missing or not a number");
            if (!EglJson.TryGetProperty(r, "token", out var tokenElement) || EglJson.ScalarText(tokenElement) is not { Length: > 0 } token)
                throw ctx.Invalid("the field 'resultatRetour.token' is missing or empty");

            var subscriptions = new List<long> { numAbt };
            if (EglJson.TryGetProperty(r, "list_num_abt", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (!EglJson.TryReadInt64(item, out long n)) throw ctx.Invalid("an entry of 'resultatRetour.list_num_abt' is not a number");
                    if (!subscriptions.Contains(n)) subscriptions.Add(n);
                }
            }

            return new EglLoginResult(numAbt, subscriptions, token);
        }

        /// <summary>
        /// Parses the answer of getAllAgregatsByAbonnement.aspx into readings. Returns null (and the
        /// API's code and message) when codeRetour is not 100, so that the caller may re-authenticate.
        /// </summary>
        public static IReadOnlyList<EglIndexReading>? ParseAggregates(
            string route, int status, string? contentType, string text, long subscriptionNumber,
            out string? code, out string? apiMessage, IEnumerable<string?>? secrets = null)
        {
            var ctx = new EglJson.Context(route, status, contentType, text, secrets);
            using var doc = EglJson.ParseDocument(ctx);
            var env = ReadEnvelope(doc.RootElement, ctx);
            code = ctx.Clean(env.Code);
            apiMessage = ctx.Clean(env.Message);
            if (!env.IsSuccess) return null;
            var rows = new List<EglIndexReading>();
            if (!env.HasResult) return rows;
            if (env.Result.ValueKind != JsonValueKind.Array) throw ctx.Invalid("the field 'resultatRetour' is not an array");
            int i = 0;
            foreach (var row in env.Result.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object) throw ctx.Invalid($"row {i} is not an object");
                if (!EglJson.TryGetProperty(row, "DateReleve", out var dateElement) || EglJson.ScalarText(dateElement) is not { } dateText)
                    throw ctx.Invalid($"row {i} has no 'DateReleve'");
                if (!TryParseCalendarDay(dateText, out DateTime day))
                    throw ctx.Invalid($"row {i} has a 'DateReleve' that is not a date ('{EglJson.Excerpt(ctx.Clean(dateText), 40)}')");
                if (!EglJson.TryGetProperty(row, "ValeurIndex", out var indexElement) || !EglJson.TryReadDouble(indexElement, out double index))
                    throw ctx.Invalid($"row {i} ({day:yyyy-MM-dd}) has no numeric 'ValeurIndex'");
                string rawType = EglJson.TryGetProperty(row, "TypeAgregat", out var typeElement) ? EglJson.ScalarText(typeElement) ?? string.Empty : string.Empty;
                rows.Add(new EglIndexReading(subscriptionNumber, day, index, rawType.Trim()));
                i++;
            }

            return rows;
        }

        /// <summary>
        /// The calendar day written in a DateReleve string ("2020-07-01T00:00:00+02:00" is 1 July),
        /// never the day it becomes in the machine's time zone.
        /// </summary>
        public static bool TryParseCalendarDay(string text, out DateTime day)
        {
            text = text.Trim();
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dto))
            {
                // DateTimeOffset.DateTime is the clock time in the string's own offset.
                day = DateTime.SpecifyKind(dto.DateTime.Date, DateTimeKind.Unspecified);
                // Without an explicit offset TryParse assumes the local zone; the clock time is still the string's.
                return true;
            }

            day = default;
            return false;
        }

    }
}
