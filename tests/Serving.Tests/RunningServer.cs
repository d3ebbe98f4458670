using System.Net;
using System.Text;
using System.Text.Json;
using Course.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serving.Tests;

/// <summary>A real server (Kestrel) on a free loopback port, with a client; disposing stops it gracefully.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = ModelServer.Address(app), Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public DynamicBatcher Batcher => App.Services.GetRequiredService<DynamicBatcher>();

    public static async Task<RunningServer> Start(Func<IModelBackend> load, ServingOptions options, bool waitUntilReady = true)
    {
        var app = ModelServer.Build(load, options, port: 0, logLevel: LogLevel.Warning);
        await app.StartAsync();
        var server = new RunningServer(app);
        if (waitUntilReady) await server.Batcher.Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public static Task<RunningServer> Start(IModelBackend backend, ServingOptions options) => Start(() => backend, options);

    /// <summary>The JSON body of one example whose first values are <paramref name="head"/> (the rest 0).</summary>
    public static StringContent Json(int size, params float[] head)
    {
        var pixels = new float[size];
        head.CopyTo(pixels, 0);
        return new StringContent(JsonSerializer.Serialize(new { pixels }), Encoding.UTF8, "application/json");
    }

    public Task<HttpResponseMessage> Predict(HttpContent content) => Client.PostAsync("/predict", content);

    public async Task<JsonElement> ReadJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public async Task<JsonElement> Metrics() => await ReadJson(await Client.GetAsync("/metrics"));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Client.Dispose();   // last: disposing a client cancels its requests still in flight
    }
}
