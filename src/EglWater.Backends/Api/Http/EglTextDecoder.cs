using System;
using System.Text;

namespace EglWater.Api.Http
{
    /// <summary>
    /// Turns an answer's bytes into text, honouring the charset the server declares. ASP/IIS servers
    /// often answer in ISO-8859-1 or Windows-1252; when no charset is declared and the bytes are not
    /// valid UTF-8, Windows-1252 (a superset of ISO-8859-1's printable range) is assumed.
    /// Works the same on .NET Framework and .NET (no code-page provider needed).
    /// </summary>
    internal static class EglTextDecoder
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        // Windows-1252 differs from ISO-8859-1 in 0x80..0x9F only.
        private static readonly char[] Cp1252High =
        {
            '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
            '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
            '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
            '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
        };

        public static string Decode(byte[] body, string? charset)
        {
            if (body is null) throw new ArgumentNullException(nameof(body));
            int start = 0;
            if (body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF)
                return Encoding.UTF8.GetString(body, 3, body.Length - 3);
            if (body.Length >= 2 && body[0] == 0xFF && body[1] == 0xFE)
                return Encoding.Unicode.GetString(body, 2, body.Length - 2);
            if (body.Length >= 2 && body[0] == 0xFE && body[1] == 0xFF)
                return Encoding.BigEndianUnicode.GetString(body, 2, body.Length - 2);

            string cs = (charset ?? string.Empty).Trim().Trim('"').ToLowerInvariant();
            switch (cs)
            {
                case "iso-8859-1":
                case "iso8859-1":
                case "latin1":
                case "latin-1":
                case "l1":
                case "us-ascii":
                    return DecodeLatin1(body, start);
                case "windows-1252":
                case "cp1252":
                case "x-cp1252":
                    return DecodeCp1252(body, start);
                case "utf-8":
                case "utf8":
                    return Encoding.UTF8.GetString(body, start, body.Length - start);
                case "":
                    try
                    {
                        return StrictUtf8.GetString(body, start, body.Length - start);
                    }
                    catch (DecoderFallbackException)
                    {
                        return DecodeCp1252(body, start);
                    }

                default:
                    try
                    {
                        return Encoding.GetEncoding(cs).GetString(body, start, body.Length - start);
                    }
                    catch (ArgumentException)
                    {
                        return Encoding.UTF8.GetString(body, start, body.Length - start);
                    }
            }
        }

        private static string DecodeLatin1(byte[] body, int start)
        {
            var chars = new char[body.Length - start];
            for (int i = start; i < body.Length; i++) chars[i - start] = (char)body[i];
            return new string(chars);
        }

        private static string DecodeCp1252(byte[] body, int start)
        {
            var chars = new char[body.Length - start];
            for (int i = start; i < body.Length; i++)
            {
                byte b = body[i];
                chars[i - start] = b >= 0x80 && b <= 0x9F ? Cp1252High[b - 0x80] : (char)b;
            }

            return new string(chars);
        }
    }
}
