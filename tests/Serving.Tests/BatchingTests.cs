using System.Diagnostics;
using System.Net;
using Course.Serving;

namespace Serving.Tests;

/// <summary>Concurrent requests share forward passes, no batch exceeds MaxBatch, and each request gets its own answer.</summary>
public sealed class BatchingTests
{
    [Fact]
    public async Task Concurrent_requests_are_batched_and_each_gets_its_own_answer()
    {
        var backend = new FakeBackend(TimeSpan.FromMilliseconds(30));
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 8, MaxWait = TimeSpan.FromMilliseconds(100) });
        const int n = 48;
        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
        {
            using var r = await server.Predict(RunningServer.Json(784, i / 1000f, (i % 7) / 10f, 0.9f));
            return (i, r.StatusCode, body: await server.ReadJson(r));
        })).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var (i, status, body) in responses)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var p = body.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(new[] { i / 1000f, (i % 7) / 10f, 0.9f }, p);   // its own input came back, not a neighbour's
            Assert.Equal(2, body.GetProperty("class").GetInt32());
            Assert.Equal("c", body.GetProperty("label").GetString());
        }
        var sizes = backend.BatchSizes.ToArray();
        Assert.Equal(n, sizes.Sum());
        Assert.All(sizes, s => Assert.InRange(s, 1, 8));
        Assert.True(sizes.Max() > 1, $"no batch held more than one request: {string.Join(",", sizes)}");
        Assert.True(sizes.Length < n);
        Assert.Single(backend.Threads.Distinct());   // one worker thread owns the model
        var metrics = await server.Metrics();
        Assert.Equal(sizes.Length, metrics.GetProperty("batches").GetInt32());
        Assert.Equal(Math.Round((double)n / sizes.Length, 3), metrics.GetProperty("mean_batch_size").GetDouble(), 3);
    }

    [Fact]
    public async Task The_worker_fills_a_batch_up_to_max_batch_from_what_waits()
    {
        // the first request is held at the model while 8 more queue up; then they go 4 and 4 (MaxBatch 4, no waiting)
        var gate = new ManualResetEventSlim(false);
        var backend = new FakeBackend { Gate = gate };
        await using var batcher = new DynamicBatcher(() => backend, new ServingOptions { MaxBatch = 4, MaxWait = TimeSpan.Zero });
        await batcher.Loaded;
        var first = batcher.PredictAsync(new float[784]);
        while (backend.BatchSizes.IsEmpty) await Task.Delay(5);
        backend.Gate = null;
        var rest = Enumerable.Range(0, 8).Select(_ => batcher.PredictAsync(new float[784])).ToArray();
        while (batcher.QueueLength < 8) await Task.Delay(5);
        gate.Set();
        var all = await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(all, p => Assert.Equal(PredictionOutcome.Answered, p.Outcome));
        Assert.Equal(new[] { 1, 4, 4 }, backend.BatchSizes.ToArray());
    }

    [Fact]
    public async Task A_lone_request_waits_max_wait_for_company_then_goes_alone()
    {
        var backend = new FakeBackend();
        await using var batcher = new DynamicBatcher(() => backend, new ServingOptions { MaxBatch = 8, MaxWait = TimeSpan.FromMilliseconds(200) });
        await batcher.Loaded;
        var clock = Stopwatch.StartNew();
        var p = await batcher.PredictAsync(new float[784]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PredictionOutcome.Answered, p.Outcome);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 190, 5000);
        Assert.Equal(new[] { 1 }, backend.BatchSizes.ToArray());
    }

    [Fact]
    public async Task With_max_batch_1_every_forward_pass_holds_one_request()
    {
        var backend = new FakeBackend(TimeSpan.FromMilliseconds(5));
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBatch = 1 });
        var codes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ => (await server.Predict(RunningServer.Json(784, 1))).StatusCode));
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
        Assert.Equal(Enumerable.Repeat(1, 16), backend.BatchSizes.ToArray());
    }
}
