using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace EglWater.BrowserCheck;

/// <summary>
/// Opens one HTML page (a file) in headless Chromium at several widths and prints, as one line of JSON on
/// stdout, the facts a test asserts on: console messages and page errors, every request the page made,
/// each SVG's laid-out box, horizontal overflow, the &lt;data&gt;/&lt;time&gt; values with where they sit,
/// title and language, and the print layout. It judges nothing: exit code 0 means the page was loaded and
/// measured, whatever the facts say. Any request other than the page itself is recorded and aborted, so a
/// page under test never reaches a network.
/// </summary>
internal static class Program
{
    private const int ExitUsage = 2;
    private const int ExitNoBrowser = 3;
    private const int ExitPageFailed = 4;

    /// <summary>Flags for Debian's Chromium on a closed network, as root (see the machine notes).</summary>
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("EglWater.BrowserCheck: " + e.Message);
            Console.Error.WriteLine(Options.Usage);
            return ExitUsage;
        }

        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        if (!File.Exists(options.Page))
        {
            Console.Error.WriteLine($"EglWater.BrowserCheck: the page '{options.Page}' does not exist.");
            return ExitPageFailed;
        }

        string? chromium = FindChromium(options.Chromium);
        if (chromium is null)
        {
            Console.Error.WriteLine(
                "EglWater.BrowserCheck: Chromium was not found (" + (options.Chromium ?? "/usr/bin/chromium, or chromium on PATH") + "). " +
                "Install Debian's package: sudo apt-get install -y chromium");
            return ExitNoBrowser;
        }

        var total = Stopwatch.StartNew();
        var timings = new JsonObject();
        IPlaywright playwright;
        IBrowser browser;
        try
        {
            var sw = Stopwatch.StartNew();
            playwright = await Playwright.CreateAsync();
            timings["driverMs"] = sw.ElapsedMilliseconds;
            sw.Restart();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = options.TimeoutMs,
            });
            timings["launchMs"] = sw.ElapsedMilliseconds;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"EglWater.BrowserCheck: Chromium could not start ({chromium}): {FirstLines(e.Message, 6)}");
            return ExitNoBrowser;
        }

        using (playwright)
        {
            await using (browser)
            {
                try
                {
                    var facts = await CheckAsync(browser, chromium, options, timings);
                    timings["totalMs"] = total.ElapsedMilliseconds;
                    facts["timings"] = timings;
                    Console.Out.Write(facts.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                    Console.Out.Write('\n');
                    Console.Out.Flush();
                    return 0;
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    Console.Error.WriteLine($"EglWater.BrowserCheck: the page '{options.Page}' could not be loaded and measured: {FirstLines(e.Message, 6)}");
                    return ExitPageFailed;
                }
            }
        }
    }

    private static async Task<JsonObject> CheckAsync(IBrowser browser, string chromium, Options options, JsonObject timings)
    {
        string pageUrl = new Uri(Path.GetFullPath(options.Page)).AbsoluteUri;
        var console = new JsonArray();
        var pageErrors = new JsonArray();
        var requests = new JsonArray();
        var widths = new JsonArray();
        var widthTimings = new JsonArray();
        JsonNode? first = null;
        JsonNode? print = null;
        string? screenshot = null;

        foreach (int width in options.Widths)
        {
            var sw = Stopwatch.StartNew();
            // A fresh context per width: nothing cached, and what the page asks for at this width is seen.
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = 900 },
                DeviceScaleFactor = 1,
                Locale = "en-US",
                TimezoneId = "Europe/Paris",
                ServiceWorkers = ServiceWorkerPolicy.Block,
            });
            context.SetDefaultTimeout(options.TimeoutMs);
            await context.RouteAsync("**/*", route =>
                route.Request.Url == pageUrl ? route.ContinueAsync() : route.AbortAsync("blockedbyclient"));
            var page = await context.NewPageAsync();
            int w = width;
            page.Console += (_, m) => console.Add(new JsonObject
            {
                ["width"] = w,
                ["type"] = m.Type,
                ["text"] = m.Text,
                ["location"] = m.Location,
            });
            page.PageError += (_, e) => pageErrors.Add(new JsonObject { ["width"] = w, ["message"] = e });
            var byRequest = new Dictionary<IRequest, JsonObject>();
            page.Request += (_, r) =>
            {
                if (r.Url == pageUrl && r.IsNavigationRequest) return;
                var entry = new JsonObject
                {
                    ["width"] = w,
                    ["url"] = r.Url,
                    ["method"] = r.Method,
                    ["resourceType"] = r.ResourceType,
                    ["failure"] = null,
                };
                byRequest[r] = entry;
                requests.Add(entry);
            };
            page.RequestFailed += (_, r) =>
            {
                if (byRequest.TryGetValue(r, out var entry)) entry["failure"] = r.Failure;
            };

            await page.GotoAsync(pageUrl, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // Two animation frames: layout and paint are done before anything is measured.
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(null))))");
            long loadMs = sw.ElapsedMilliseconds;

            var screen = await EvaluateJsonAsync(page, Scripts.Screen);
            screen.Insert(0, "width", w);
            widths.Add(screen);
            var timing = new JsonObject { ["width"] = w, ["loadMs"] = loadMs };

            if (first is null)
            {
                first = screen;
                if (options.Screenshot is not null)
                {
                    var ss = Stopwatch.StartNew();
                    string full = Path.GetFullPath(options.Screenshot);
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = full, FullPage = true, Type = ScreenshotType.Png });
                    screenshot = full;
                    timing["screenshotMs"] = ss.ElapsedMilliseconds;
                }

                if (!options.NoPrint)
                {
                    var ps = Stopwatch.StartNew();
                    // Laid out as on paper: A4 is 794 CSS pixels wide (210 mm at 96 px per inch).
                    await page.SetViewportSizeAsync(794, 1123);
                    await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
                    var printFacts = await EvaluateJsonAsync(page, Scripts.Print);
                    byte[] pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
                    printFacts["pdfPages"] = CountPdfPages(pdf);
                    printFacts["pdfBytes"] = pdf.Length;
                    if (options.Pdf is not null)
                    {
                        string full = Path.GetFullPath(options.Pdf);
                        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                        await File.WriteAllBytesAsync(full, pdf);
                        printFacts["pdf"] = full;
                    }

                    print = printFacts;
                    timing["printMs"] = ps.ElapsedMilliseconds;
                }
            }

            timing["totalMs"] = sw.ElapsedMilliseconds;
            widthTimings.Add(timing);
        }

        timings["widths"] = widthTimings;
        var facts = new JsonObject
        {
            ["page"] = Path.GetFullPath(options.Page),
            ["url"] = pageUrl,
            ["chromium"] = chromium,
            ["browserVersion"] = browser.Version,
            ["title"] = first?["title"]?.DeepClone(),
            ["lang"] = first?["lang"]?.DeepClone(),
            ["scripts"] = first?["scripts"]?.DeepClone(),
            ["console"] = console,
            ["pageErrors"] = pageErrors,
            ["requests"] = requests,
            ["widths"] = widths,
            ["data"] = first?["data"]?.DeepClone(),
            ["times"] = first?["times"]?.DeepClone(),
            ["print"] = print,
            ["screenshot"] = screenshot,
        };
        foreach (var w in widths)
        {
            // Said once at the top; the per-width entries keep what depends on the width.
            var o = w!.AsObject();
            o.Remove("title");
            o.Remove("lang");
            o.Remove("scripts");
            o.Remove("data");
            o.Remove("times");
        }

        return facts;
    }

    /// <summary>
    /// Runs a function in the page and returns its result as JSON: stringified in the page, so that the facts
    /// are exactly what the page's objects hold (no reference ids added by a serializer).
    /// </summary>
    private static async Task<JsonObject> EvaluateJsonAsync(IPage page, string function)
    {
        string json = await page.EvaluateAsync<string>("() => JSON.stringify((" + function + ")())");
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>Counts the page objects of a PDF that Chromium wrote (uncompressed object dictionaries).</summary>
    internal static int CountPdfPages(byte[] pdf)
    {
        string text = Encoding.Latin1.GetString(pdf);
        return Regex.Matches(text, @"/Type\s*/Page(?![a-zA-Z])").Count;
    }

    private static string? FindChromium(string? given)
    {
        if (given is not null) return File.Exists(given) ? given : null;
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            foreach (string name in new[] { "chromium", "chromium-browser" })
            {
                if (dir.Length == 0) continue;
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }

        return null;
    }

    /// <summary>The first lines of Playwright's message, less the (very long) command lines it echoes.</summary>
    private static string FirstLines(string text, int count) =>
        string.Join(" | ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.Contains("<launching>", StringComparison.Ordinal)).Take(count));

    private sealed class Options
    {
        public const string Usage =
            "usage: dotnet EglWater.BrowserCheck.dll --page <file.html> [--screenshot <file.png>] [--widths 360,1024,1600]\n" +
            "                                        [--chromium /usr/bin/chromium] [--pdf <file.pdf>] [--no-print] [--timeout-ms 30000]\n" +
            "The screenshot is of the full page at the first width; the PDF is the page printed (print media, A4 unless the page says).\n" +
            "Prints one line of JSON with what the page shows at each width; exit 0 when the page was loaded and measured,\n" +
            "2 on a usage error, 3 when Chromium is missing or cannot start, 4 when the page cannot be loaded.";

        public string Page { get; private set; } = string.Empty;
        public string? Screenshot { get; private set; }
        public string? Pdf { get; private set; }
        public IReadOnlyList<int> Widths { get; private set; } = [360, 1024, 1600];
        public string? Chromium { get; private set; }
        public float TimeoutMs { get; private set; } = 30_000;
        public bool NoPrint { get; private set; }
        public bool Help { get; private set; }

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--page": o.Page = Value(); break;
                    case "--screenshot": o.Screenshot = Value(); break;
                    case "--pdf": o.Pdf = Value(); break;
                    case "--chromium": o.Chromium = Value(); break;
                    case "--no-print": o.NoPrint = true; break;
                    case "--help" or "-h": o.Help = true; break;
                    case "--timeout-ms":
                        o.TimeoutMs = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0
                            ? t
                            : throw new ArgumentException("--timeout-ms takes a positive whole number of milliseconds.");
                        break;
                    case "--widths":
                        var widths = new List<int>();
                        foreach (string part in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 100 || width > 10_000)
                                throw new ArgumentException($"--widths takes CSS pixel widths from 100 to 10000, separated by commas ('{part}').");
                            widths.Add(width);
                        }

                        o.Widths = widths.Count > 0 ? widths : throw new ArgumentException("--widths names no width.");
                        break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'.");
                }
            }

            if (!o.Help && o.Page.Length == 0) throw new ArgumentException("--page is required.");
            return o;
        }
    }
}
