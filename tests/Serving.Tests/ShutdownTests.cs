using System.Net;
using Course.Serving;

namespace Serving.Tests;

/// <summary>Stopping the server loses no accepted request, then releases the model; health says when it is ready.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Graceful_shutdown_answers_every_accepted_request()
    {
        // 10 requests, 2 per 150 ms forward pass: about 0.75 s of work still queued when the stop begins
        var backend = new FakeBackend(TimeSpan.FromMilliseconds(150));
        var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 2, QueueCapacity = 64, QueueTimeout = TimeSpan.FromSeconds(30) });
        var requests = Enumerable.Range(0, 10).Select(async i =>
        {
            using var r = await server.Predict(RunningServer.Json(784, i, 0, 0));
            return (i, r.StatusCode, body: await r.Content.ReadAsStringAsync());
        }).ToArray();
        while (server.Batcher.Accepted < 10) await Task.Delay(5);
        Assert.True(backend.Computed < 10, "the work was done before the stop began; the test proves nothing");
        // the stop begins with work queued; the test's own client stays open until every answer is read (disposing the
        // server disposes that client, which would cancel a response the server had sent but the client not yet read)
        var stop = server.App.StopAsync();           // Kestrel stops accepting, the batcher drains what it accepted
        var answers = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
        await server.DisposeAsync();                  // then the model is released
        foreach (var (i, status, body) in answers)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.StartsWith($"{{\"class\":0,\"label\":\"a\",\"probabilities\":[{i},", body);
        }
        Assert.Equal(10, backend.Computed);
        Assert.True(backend.Disposed, "the model was not released after the last request");
        // and it no longer accepts connections
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("/predict", RunningServer.Json(784)));
    }

    [Fact]
    public async Task Health_is_ready_only_once_the_model_is_loaded()
    {
        var loading = new ManualResetEventSlim(false);
        await using var server = await RunningServer.Start(() => { loading.Wait(TimeSpan.FromSeconds(30)); return new FakeBackend(); }, new ServingOptions(), waitUntilReady: false);
        using (var health = await server.Client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("loading", (await server.ReadJson(health)).GetProperty("status").GetString());
        }
        using (var early = await server.Predict(RunningServer.Json(784)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.Equal("1", early.Headers.GetValues("Retry-After").Single());
            Assert.Contains("loading", (await server.ReadJson(early)).GetProperty("error").GetString());
        }
        loading.Set();
        await server.Batcher.Loaded.WaitAsync(TimeSpan.FromSeconds(30));
        using var ready = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await server.ReadJson(ready);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(new[] { 1, 28, 28 }, body.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await server.Predict(RunningServer.Json(784))).StatusCode);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_is_a_503_naming_the_cause()
    {
        await using var server = await RunningServer.Start(() => throw new FileNotFoundException("no such weights: x.safetensors"), new ServingOptions());
        using var health = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("no such weights", (await server.ReadJson(health)).GetProperty("error").GetString());
        using var predict = await server.Predict(RunningServer.Json(784));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, predict.StatusCode);
        Assert.Contains("no such weights", (await server.ReadJson(predict)).GetProperty("error").GetString());
    }
}
