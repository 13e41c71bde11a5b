using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EglWater.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (the port is chosen by the kernel when it binds: no port found free and bound
/// later), for what only a real connection shows: the headers of the process's shared client on the wire, which
/// connection a request came on, cookies and redirects. It answers the login route with a session cookie, /redirect
/// with a 302, and anything else with 200.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>What the server saw of one request.</summary>
    public sealed record Seen(string Method, string Path, string UserAgent, string? Cookie, string ConnectionId);

    public Uri Root { get; }

    public Uri Ws => new(Root, "ws/");

    public ConcurrentQueue<Seen> Requests { get; } = new();

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(async http =>
        {
            var r = http.Request;
            server!.Requests.Enqueue(new Seen(r.Method, r.Path.Value ?? string.Empty, r.Headers.UserAgent.ToString(), r.Headers.Cookie.Count > 0 ? r.Headers.Cookie.ToString() : null, http.Connection.Id));
            if (r.Path.Value?.EndsWith("/connect.asp", StringComparison.Ordinal) == true)
            {
                http.Response.Headers.SetCookie = "PROCESSWIDE=leak; Path=/";
                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.WriteAsync(TestSupport.LoginOk);
            }
            else if (r.Path.Value == "/redirect")
            {
                http.Response.StatusCode = 302;
                http.Response.Headers.Location = "/elsewhere";
            }
            else
            {
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync("ok");
            }
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
