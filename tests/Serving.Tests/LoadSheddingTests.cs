using System.Diagnostics;
using System.Net;
using Course.Serving;

namespace Serving.Tests;

/// <summary>Overload is refused (429 queue full, 503 waited too long), quickly, with Retry-After; nothing hangs.</summary>
public sealed class LoadSheddingTests
{
    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_never_hangs()
    {
        // one request at a time, 300 ms each, two places in the queue: of 12 simultaneous requests most must be refused
        var backend = new FakeBackend(TimeSpan.FromMilliseconds(300));
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 1, QueueCapacity = 2, QueueTimeout = TimeSpan.FromSeconds(20) });
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => server.Predict(RunningServer.Json(784, 1, 2, 3))))
            .WaitAsync(TimeSpan.FromSeconds(30));
        var codes = responses.Select(r => (int)r.StatusCode).ToArray();
        Assert.All(codes, c => Assert.Contains(c, new[] { 200, 429 }));
        int refused = codes.Count(c => c == 429), answered = codes.Count(c => c == 200);
        // at most the one being computed plus the two queued ones at any moment, refused ones never computed
        Assert.True(refused >= 1, $"no request was refused: {string.Join(",", codes)}");
        Assert.Equal(answered, backend.Computed);
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
            Assert.Contains("queue is full", (await server.ReadJson(r)).GetProperty("error").GetString());
        }
        var metrics = await server.Metrics();
        Assert.Equal(refused, metrics.GetProperty("rejected_queue_full").GetInt32());
        Assert.Equal(answered, metrics.GetProperty("answered").GetInt32());
        Assert.Equal(0, metrics.GetProperty("queue_length").GetInt32());
    }

    [Fact]
    public async Task A_full_queue_refuses_before_reading_the_body()
    {
        // one request computing (1 s), one queued: a third, with a body that is not even JSON, is refused as overload
        // (429), not parsed (400), so that refusals stay cheap under overload
        var backend = new FakeBackend(TimeSpan.FromSeconds(1));
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 1, QueueCapacity = 1, QueueTimeout = TimeSpan.FromSeconds(20) });
        var computing = server.Predict(RunningServer.Json(784, 1));
        await Task.Delay(300);
        var queued = server.Predict(RunningServer.Json(784, 2));
        await Task.Delay(300);
        using var refused = await server.Predict(new StringContent("this is not JSON", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("queue is full", (await server.ReadJson(refused)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await computing.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Equal(0, (await server.Metrics()).GetProperty("bad_requests").GetInt32());
    }

    [Fact]
    public async Task A_request_waiting_past_the_queue_timeout_gets_503_and_is_never_computed()
    {
        // each request takes 400 ms; a request may wait 100 ms: of 4 simultaneous ones the first is answered, the others
        // time out in the queue
        var backend = new FakeBackend(TimeSpan.FromMilliseconds(400));
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 1, QueueCapacity = 100, QueueTimeout = TimeSpan.FromMilliseconds(100) });
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.Predict(RunningServer.Json(784, 1, 2, 3))))
            .WaitAsync(TimeSpan.FromSeconds(30));
        var codes = responses.Select(r => (int)r.StatusCode).ToArray();
        Assert.All(codes, c => Assert.Contains(c, new[] { 200, 503 }));
        int answered = codes.Count(c => c == 200), timedOut = codes.Count(c => c == 503);
        Assert.True(answered >= 1 && timedOut >= 1, $"expected answers and timeouts: {string.Join(",", codes)}");
        // the worker drops timed-out requests before computing them
        await Task.Delay(600);
        Assert.Equal(answered, backend.Computed);
        var late = responses.First(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", late.Headers.GetValues("Retry-After").Single());
        Assert.Contains("waited 100 ms", (await server.ReadJson(late)).GetProperty("error").GetString());
        Assert.Equal(timedOut, (await server.Metrics()).GetProperty("timed_out").GetInt32());
    }

    [Fact]
    public async Task A_failing_model_answers_500_and_the_server_stays_up()
    {
        var backend = new FakeBackend { Answer = x => x[0] < 0 ? throw new InvalidOperationException("negative input") : [x[0], 0, 0] };
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 1 });
        using var bad = await server.Predict(RunningServer.Json(784, -1));
        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        Assert.Contains("negative input", (await server.ReadJson(bad)).GetProperty("error").GetString());
        using var good = await server.Predict(RunningServer.Json(784, 0.5f));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(1, (await server.Metrics()).GetProperty("failed").GetInt32());
    }
}
