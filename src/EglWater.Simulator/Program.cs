using EglWater.Simulator;

// The EGL API simulator: `dotnet EglWater.Simulator.dll --urls http://127.0.0.1:0 [--prefix /ws] [--today 2025-06-15]`.
// Prints one line, "EGL simulator listening on <base URI>", once it accepts requests.
var app = SimulatorApp.Build(args, configure: BenchAccount.Add);
var options = app.Services.GetRequiredService<SimulatorState>().Options;
await app.StartAsync();
Console.Out.WriteLine($"EGL simulator listening on {SimulatorApp.BaseUriOf(app, options)}");
Console.Out.Flush();

if (options.ExitOnStdinClose)
{
    _ = Task.Run(async () =>
    {
        // Ends the simulator when the process that started it goes away (its stdin pipe closes).
        var buffer = new char[256];
        while (await Console.In.ReadAsync(buffer, 0, buffer.Length) > 0)
        {
        }

        await app.StopAsync();
    });
}

await app.WaitForShutdownAsync();
