using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Course.Serving;

/// <summary>
/// The HTTP face of a <see cref="DynamicBatcher"/> (ASP.NET Core minimal API on Kestrel):
/// <list type="bullet">
/// <item>POST /predict: one example (see <see cref="PredictInput"/>) → 200 {"class", "label", "probabilities"};
/// 400 bad input, 413 body too large, 415 wrong media type, 429 queue full, 503 still loading, overloaded or shutting
/// down (each with Retry-After), 500 the model failed. Every error is JSON {"error": "..."}.</item>
/// <item>GET /health: 200 {"status": "ready"} once the model is loaded, else 503 ("loading", "failed", "stopped").</item>
/// <item>GET /metrics: the counters of <see cref="ServingMetrics"/> as JSON.</item>
/// </list>
/// Stopping the app (Ctrl+C, SIGTERM, <c>StopAsync</c>) is graceful: Kestrel stops accepting connections, requests in
/// flight finish, then the batcher answers every request it accepted before the model is released.
/// </summary>
public static class ModelServer
{
    /// <summary>Builds (does not start) the server on <paramref name="address"/>:<paramref name="port"/> (port 0: a free one).</summary>
    public static WebApplication Build(Func<IModelBackend> load, ServingOptions options, int port, IPAddress? address = null, LogLevel logLevel = LogLevel.Information)
    {
        options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // no per-request logging (it costs throughput); the server's own lines and the framework's warnings only
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Course.Serving", logLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address ?? IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(sp => new DynamicBatcher(load, options, new ServingMetrics(options.MaxBatch),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Course.Serving")));

        var app = builder.Build();
        var batcher = app.Services.GetRequiredService<DynamicBatcher>();   // starts loading the model now
        app.MapPost("/predict", (HttpContext context) => Predict(context, batcher));
        app.MapGet("/health", (HttpContext context) => Health(context, batcher));
        app.MapGet("/metrics", (HttpContext context) =>
            WriteJson(context.Response, 200, w => batcher.Metrics.WriteJson(w, batcher)));
        return app;
    }

    /// <summary>The address a started server listens on, e.g. http://127.0.0.1:41234.</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task Predict(HttpContext context, DynamicBatcher batcher)
    {
        var metrics = batcher.Metrics;
        metrics.Request();
        if (batcher.State != BackendState.Ready || batcher.InputShape is not { } shape)
        {
            await Error(context.Response, 503, batcher.NotReadyReason, retryAfter: 1);
            return;
        }
        if (batcher.QueueIsFull)
        {
            // shed before reading and parsing the body: under overload a refusal must cost far less than an answer
            metrics.QueueFull();
            await Error(context.Response, 429, batcher.QueueFullMessage, retryAfter: 1);
            return;
        }
        var (body, tooLarge) = await ReadBody(context.Request, batcher.Options.MaxBodyBytes, context.RequestAborted);
        if (tooLarge is not null)
        {
            metrics.BadRequest();
            await Error(context.Response, 413, tooLarge);
            return;
        }
        var input = PredictInput.Parse(body, context.Request.ContentType, shape);
        if (!input.Ok)
        {
            metrics.BadRequest();
            await Error(context.Response, input.Status, input.Error!);
            return;
        }
        var prediction = await batcher.PredictAsync(input.Pixels!, context.RequestAborted);
        switch (prediction.Outcome)
        {
            case PredictionOutcome.Answered:
                var probabilities = prediction.Output!;
                int best = 0;
                for (int k = 1; k < probabilities.Length; k++) if (probabilities[k] > probabilities[best]) best = k;
                var names = batcher.ClassNames;
                await WriteJson(context.Response, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("class", best);
                    if (names is not null && best < names.Count) w.WriteString("label", names[best]);
                    w.WriteStartArray("probabilities");
                    foreach (var p in probabilities) w.WriteNumberValue(p);
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                break;
            case PredictionOutcome.QueueFull:
                await Error(context.Response, 429, prediction.Error!, retryAfter: 1);
                break;
            case PredictionOutcome.NotReady or PredictionOutcome.TimedOut:
                await Error(context.Response, 503, prediction.Error!, retryAfter: 1);
                break;
            case PredictionOutcome.Cancelled:
                break;   // nobody is listening
            default:
                await Error(context.Response, 500, $"the model failed on this request: {prediction.Error}");
                break;
        }
    }

    // the body, up to the limit; the second value says why it is too large (a declared length or what arrived)
    private static async Task<(byte[] Body, string? TooLarge)> ReadBody(HttpRequest request, int limit, CancellationToken cancel)
    {
        if (request.ContentLength is long declared && declared > limit)
            return ([], $"the body holds {declared} bytes; the limit is {limit}.");
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancel);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit) return ([], $"the body holds more than {limit} bytes, the limit.");
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], $"the body holds more than {limit} bytes, the limit.");
        }
        return (buffer.WrittenSpan.ToArray(), null);
    }

    private static Task Health(HttpContext context, DynamicBatcher batcher) =>
        WriteJson(context.Response, batcher.State == BackendState.Ready ? 200 : 503, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", batcher.State.ToString().ToLowerInvariant());
            w.WriteString("model", batcher.BackendName);
            if (batcher.InputShape is { } shape)
            {
                w.WriteStartArray("input_shape");
                foreach (var d in shape) w.WriteNumberValue(d);
                w.WriteEndArray();
            }
            if (batcher.LoadError is { } error) w.WriteString("error", error);
            w.WriteEndObject();
        });

    private static Task Error(HttpResponse response, int status, string message, int? retryAfter = null)
    {
        if (retryAfter is { } seconds) response.Headers.RetryAfter = seconds.ToString();
        return WriteJson(response, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });
    }

    private static async Task WriteJson(HttpResponse response, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
