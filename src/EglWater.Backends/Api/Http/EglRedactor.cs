using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EglWater.Api.Http
{
    /// <summary>
    /// Removes secrets from text that came from a server (an error page, an API message, an OAuth error)
    /// before it reaches an exception or a log line:
    /// <list type="bullet">
    /// <item>the known secrets of the session (password, AuthKey, token, cookies, codes) wherever they
    /// appear, whatever the escaping the server applied: verbatim, percent-encoded (%XX, UTF-8 bytes, upper
    /// or lower case), form-encoded (a space as +), HTML-escaped (&amp;amp; &amp;#39; &amp;#x27;),
    /// JSON-escaped (\" \/ \\ \uXXXX), or its UTF-8 bytes read as Latin-1 / Windows-1252 ("Clé" echoed as
    /// "ClÃ©"), and any mix of these;</item>
    /// <item>the value of any field whose name says it is a secret (token=…, "access_token":"…",
    /// "password":"…", code=…, Cookie: / Set-Cookie: headers, SESSION=…, Bearer …).</item>
    /// </list>
    /// </summary>
    internal static class EglRedactor
    {
        public const string Mask = "***";

        /// <summary>Secrets shorter than this are left to the field rule (they would mask ordinary words).</summary>
        public const int MinimumSecretLength = 4;

        /// <summary>Characters of a server text looked at for an excerpt: enough for any error page's start.</summary>
        private const int ExcerptWindow = 16 * 1024;

        // Field names that hold secrets, in the spellings servers use (case does not matter). The look-arounds
        // keep "codeRetour" or "passage" out: a name is a whole word of letters, digits and underscores.
        private const string SecretNames =
            @"access_?token|refresh_?token|id_?token|token|jeton|bearer_?token|authorization_?code|code_?verifier|code|"
            + @"pass|passwd|password|pwd|mot_?de_?passe|motdepasse|secret|client_?secret|auth_?key|api_?key|"
            + @"[a-z_]*session[a-z_]*(?:id)?|cookie|set-cookie";

        private static readonly Regex SecretFields = new Regex(
            @"(?<key>(?:\\""|&quot;|&\#34;|&\#x22;|[""'])?(?<![A-Za-z0-9_])(?:" + SecretNames + @")(?![A-Za-z0-9_])(?:\\""|&quot;|&\#34;|&\#x22;|[""'])?\s*(?:=|:|&\#61;|&\#x3d;|%3D)\s*)"
            // A quoted value ends at its closing quote, or at the end of a truncated answer.
            + @"(?:(?<q>\\"")(?<value>.*?)(?:\\""|\z)|(?<q>&quot;)(?<value>.*?)(?:&quot;|\z)|(?<q>&\#34;)(?<value>.*?)(?:&\#34;|\z)|(?<q>"")(?<value>(?:[^""\\]|\\.)*)(?:""|\z)|(?<q>')(?<value>(?:[^'\\]|\\.)*)(?:'|\z)|(?<value>[^""'&\s<>,;}\])]+))",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex BearerValues = new Regex(
            @"(?<key>\bBearer\s+)(?<value>[A-Za-z0-9\-._~+/]+=*)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // A Cookie or Set-Cookie header line: every name=value pair of it.
        private static readonly Regex CookieLines = new Regex(
            @"(?<head>(?:set-)?cookie\s*:\s*)(?<pairs>[^\r\n]*)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex CookiePairValue = new Regex(@"(?<key>[^=;\s]+=)(?<value>[^;\s]*)", RegexOptions.CultureInvariant);

        private static readonly Encoding Latin1 = Encoding.GetEncoding("iso-8859-1");

        /// <summary>The text with every known secret and every secret-named field masked.</summary>
        public static string Redact(string? text, IEnumerable<string?>? secrets = null)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string result = text!;
            if (secrets is not null)
            {
                var spans = new List<(int Start, int End)>();
                foreach (var secret in secrets)
                {
                    if (secret is null || secret.Length < MinimumSecretLength) continue;
                    foreach (var form in Forms(secret)) FindEscaped(result, form, spans);
                }

                result = MaskSpans(result, spans);
            }

            result = CookieLines.Replace(result, m => m.Groups["head"].Value + CookiePairValue.Replace(m.Groups["pairs"].Value, p => p.Groups["key"].Value + Mask));
            result = BearerValues.Replace(result, m => m.Groups["key"].Value + Mask);
            return SecretFields.Replace(result, m =>
            {
                string q = m.Groups["q"].Success ? m.Groups["q"].Value : string.Empty;
                return m.Groups["key"].Value + q + Mask + q;
            });
        }

        /// <summary>
        /// A short, single-line excerpt of a server's answer with every secret masked: only the start of a
        /// large body is looked at, and what could hold a secret cut in two at the window's end is dropped.
        /// </summary>
        public static string Excerpt(string? text, IEnumerable<string?>? secrets, int max = 120)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string window = text!.Length <= ExcerptWindow ? text : text.Substring(0, ExcerptWindow);
            string clean = Redact(window, secrets);
            // A secret cut by the window would survive in part: drop the window's tail (longer than any
            // escaped secret) when the body was cut. The excerpt takes far fewer characters than what remains.
            if (text.Length > ExcerptWindow && clean.Length > ExcerptWindow / 2) clean = clean.Substring(0, clean.Length - (ExcerptWindow / 4));
            return EglJson.Excerpt(clean, max);
        }

        /// <summary>The forms in which a server may hand a secret back as text (escapes are handled by the matcher).</summary>
        private static IEnumerable<string> Forms(string secret)
        {
            yield return secret;
            byte[] utf8 = Encoding.UTF8.GetBytes(secret);
            if (utf8.Length == secret.Length) yield break; // ASCII: mojibake changes nothing
            string latin1 = Latin1.GetString(utf8);
            yield return latin1;
            string cp1252 = EglTextDecoder.Decode(utf8, "windows-1252");
            if (!string.Equals(cp1252, latin1, StringComparison.Ordinal)) yield return cp1252;
        }

        /// <summary>Adds the spans of <paramref name="text"/> that spell <paramref name="secret"/> under any mix of escapes.</summary>
        private static void FindEscaped(string text, string secret, List<(int, int)> spans)
        {
            char first = char.ToUpperInvariant(secret[0]);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.ToUpperInvariant(c) != first && c != '%' && c != '&' && c != '\\' && c != '+') continue;
                int end = Match(text, i, secret, 0);
                if (end > i)
                {
                    spans.Add((i, end));
                    i = end - 1;
                }
            }
        }

        /// <summary>The end of a match of secret[j..] starting at text[i], or -1 (a small depth-first search over escapes).</summary>
        private static int Match(string text, int i, string secret, int j)
        {
            while (true)
            {
                if (j == secret.Length) return i;
                if (i >= text.Length) return -1;
                char want = secret[j];
                char have = text[i];
                // Several escapes can begin with the same character (a literal '%' or an escape): try each.
                if (SameLetter(have, want))
                {
                    if (have != '%' && have != '&' && have != '\\' && have != '+')
                    {
                        i++;
                        j++;
                        continue;
                    }

                    // Both readings may spell the secret ("&" literal, or "&amp;"): take the longer match, so that
                    // no tail of an escape ("amp;", "25") survives after the mask.
                    int literal = Match(text, i + 1, secret, j + 1);
                    int escaped = TryEscape(text, i, secret, j, out int escapeText, out int escapeSecret) ? Match(text, i + escapeText, secret, j + escapeSecret) : -1;
                    if (literal >= 0 || escaped >= 0) return Math.Max(literal, escaped);
                    return -1;
                }

                int consumedText, consumedSecret;
                if (!TryEscape(text, i, secret, j, out consumedText, out consumedSecret)) return -1;
                i += consumedText;
                j += consumedSecret;
            }
        }

        private static bool SameLetter(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);

        /// <summary>An escape at text[i] that stands for secret[j] (or for the code point at j): how much of each it covers.</summary>
        private static bool TryEscape(string text, int i, string secret, int j, out int consumedText, out int consumedSecret)
        {
            consumedText = consumedSecret = 0;
            char have = text[i];
            char want = secret[j];
            switch (have)
            {
                case '+' when want == ' ':
                    consumedText = consumedSecret = 1;
                    return true;
                case '%':
                    {
                        // The UTF-8 bytes of the code point at j, each written %XX.
                        int units = char.IsHighSurrogate(want) && j + 1 < secret.Length && char.IsLowSurrogate(secret[j + 1]) ? 2 : 1;
                        byte[] bytes = Encoding.UTF8.GetBytes(secret.Substring(j, units));
                        int k = i;
                        foreach (byte b in bytes)
                        {
                            if (k + 2 >= text.Length || text[k] != '%' || !TryHex(text, k + 1, 2, out int value)) return false;
                            if (value != b && !(bytes.Length == 1 && SameLetter((char)value, (char)b))) return false;
                            k += 3;
                        }

                        consumedText = k - i;
                        consumedSecret = units;
                        return true;
                    }

                case '&':
                    {
                        int semicolon = text.IndexOf(';', i + 1);
                        if (semicolon < 0 || semicolon - i > 10) return false;
                        string entity = text.Substring(i + 1, semicolon - i - 1);
                        if (!TryEntity(entity, out int codePoint)) return false;
                        string decoded = char.ConvertFromUtf32(codePoint);
                        if (string.CompareOrdinal(secret, j, decoded, 0, decoded.Length) != 0 && !(decoded.Length == 1 && SameLetter(decoded[0], want))) return false;
                        consumedText = semicolon - i + 1;
                        consumedSecret = decoded.Length;
                        return true;
                    }

                case '\\':
                    {
                        if (i + 1 >= text.Length) return false;
                        char e = text[i + 1];
                        char decoded;
                        int length = 2;
                        switch (e)
                        {
                            case 'u':
                            case 'U':
                                if (!TryHex(text, i + 2, 4, out int unit)) return false;
                                decoded = (char)unit;
                                length = 6;
                                break;
                            case 'n': decoded = '\n'; break;
                            case 'r': decoded = '\r'; break;
                            case 't': decoded = '\t'; break;
                            case 'b': decoded = '\b'; break;
                            case 'f': decoded = '\f'; break;
                            case '"':
                            case '/':
                            case '\\':
                            case '\'':
                                decoded = e;
                                break;
                            default:
                                return false;
                        }

                        if (!SameLetter(decoded, want)) return false;
                        consumedText = length;
                        consumedSecret = 1;
                        return true;
                    }

                default:
                    return false;
            }
        }

        private static bool TryEntity(string entity, out int codePoint)
        {
            codePoint = 0;
            if (entity.Length > 1 && entity[0] == '#')
            {
                return entity.Length > 2 && (entity[1] == 'x' || entity[1] == 'X')
                    ? int.TryParse(entity.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out codePoint) && codePoint > 0 && codePoint <= 0x10FFFF
                    : int.TryParse(entity.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out codePoint) && codePoint > 0 && codePoint <= 0x10FFFF;
            }

            switch (entity.ToLowerInvariant())
            {
                case "amp": codePoint = '&'; return true;
                case "lt": codePoint = '<'; return true;
                case "gt": codePoint = '>'; return true;
                case "quot": codePoint = '"'; return true;
                case "apos": codePoint = '\''; return true;
                case "nbsp": codePoint = '\u00A0'; return true;
                default: return false;
            }
        }

        private static bool TryHex(string text, int start, int digits, out int value)
        {
            value = 0;
            if (start + digits > text.Length) return false;
            for (int k = start; k < start + digits; k++)
            {
                char c = text[k];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) return false;
                value = (value * 16) + d;
            }

            return true;
        }

        private static string MaskSpans(string text, List<(int Start, int End)> spans)
        {
            if (spans.Count == 0) return text;
            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
            var sb = new StringBuilder(text.Length);
            int last = 0;
            foreach (var (start, end) in spans)
            {
                if (end <= last) continue;
                int s = start < last ? last : start;
                sb.Append(text, last, s - last);
                if (s == start) sb.Append(Mask);
                last = end;
            }

            sb.Append(text, last, text.Length - last);
            return sb.ToString();
        }
    }
}
