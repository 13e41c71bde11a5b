using System.Globalization;
using System.Security;
using EglWater.Api;

namespace EglWater.Tests;

internal static class TestSupport
{
    public const string Login = "someone@example.test";
    public const string Password = "p@ss-w0rd-SECRET";
    public const string AuthKey = "AUTHKEY-SECRET-1234";
    public const string Token = "897555754A703055397897456568776E32704C3953514F5R";

    public static readonly Uri WsBase = new("https://agence.example.test/ws");

    public static SecureString Secure(string s)
    {
        var ss = new SecureString();
        foreach (char c in s) ss.AppendChar(c);
        return ss;
    }

    public static EglCredential Credential() => new(Login, Secure(Password), Secure(AuthKey));

    public static EglRequestOptions FastOptions(IEglLog? log = null) => new()
    {
        MaximumRetryCount = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        Log = log ?? NullEglLog.Instance,
    };

    public const string LoginOk = """{"codeRetour":100,"libelleRetour":"Connecté","resultatRetour":{"num_abt":1895683,"token":"897555754A703055397897456568776E32704C3953514F5R"}}""";

    public const string TwoRows = """
        {"codeRetour":100,"libelleRetour":"L'opération a réussi","resultatRetour":[
          {"DateReleve":"2020-07-01T00:00:00+02:00","TypeAgregat":"R","ValeurIndex":562362},
          {"DateReleve":"2020-07-02T00:00:00+02:00","TypeAgregat":"R","ValeurIndex":562432}]}
        """;
}

/// <summary>
/// PKCE S256 computed without the module's code: SHA-256 from System.Security.Cryptography, base64url written out
/// by hand (6 bits a character from the RFC 4648 §5 alphabet, no padding).
/// </summary>
internal static class Pkce
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string S256(string verifier) => Base64Url(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(byte[] bytes)
    {
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (byte b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 6)
            {
                bits -= 6;
                sb.Append(Alphabet[(buffer >> bits) & 63]);
            }
        }

        if (bits > 0) sb.Append(Alphabet[(buffer << (6 - bits)) & 63]);
        return sb.ToString();
    }
}

/// <summary>Runs a block under another current culture, restoring it afterwards.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture, _ui;

    public CultureScope(string name)
    {
        _culture = CultureInfo.CurrentCulture;
        _ui = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(name);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _ui;
    }
}

internal sealed class ListLog : IEglLog
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public void Verbose(string message) { lock (_lines) _lines.Add("V: " + message); }

    public void Debug(string message) { lock (_lines) _lines.Add("D: " + message); }

    public void Warning(string message) { lock (_lines) _lines.Add("W: " + message); }
}
