using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Course.Kernel.Install;
using Course.Serving;

namespace Serving.Tests;

/// <summary>Every malformed request gets its own 4xx with a message naming the cause, and the server keeps serving.</summary>
public sealed class BadInputTests
{
    private static ByteArrayContent Bytes(byte[] body, string? type)
    {
        var content = new ByteArrayContent(body);
        if (type is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static StringContent Text(string body, string type = "application/json") => new(body, Encoding.UTF8, type);

    public static TheoryData<string, int, string> Cases => new()
    {
        { "too few numbers", 400, "784" },
        { "too many numbers", 400, "784" },
        { "truncated JSON", 400, "not valid JSON" },
        { "a JSON array, not an object", 400, "JSON object" },
        { "no pixels", 400, "\"pixels\"" },
        { "a string among the numbers", 400, "pixels[3]" },
        { "pixels not an array", 400, "array" },
        { "empty body", 400, "JSON" },
        { "plain text", 415, "Content-Type" },
        { "not a PNG", 400, "PNG" },
        { "a PNG of the wrong size", 400, "28×28" },
        { "a body over the limit (declared length)", 413, "limit" },
        { "a body over the limit (chunked)", 413, "limit" },
    };

    private static HttpContent Body(string name) => name switch
    {
        "too few numbers" => RunningServer.Json(3),
        "too many numbers" => Text("{\"pixels\": [" + string.Join(",", Enumerable.Repeat("0.5", 785)) + "]}"),
        "truncated JSON" => Text("{\"pixels\": [0.1, 0.2,"),
        "a JSON array, not an object" => Text("[0.1, 0.2]"),
        "no pixels" => Text("{\"image\": [0.1]}"),
        "a string among the numbers" => Text("{\"pixels\": [0, 0, 0, \"x\"]}"),
        "pixels not an array" => Text("{\"pixels\": 7}"),
        "empty body" => Text(""),
        "plain text" => Text("hello", "text/plain"),
        "not a PNG" => Bytes(Encoding.ASCII.GetBytes("GIF89a this is not a png"), "image/png"),
        "a PNG of the wrong size" => Bytes(PngWriter.Encode(10, 10, new byte[10 * 10 * 4]), "image/png"),
        "a body over the limit (declared length)" => Text("{\"pixels\": [" + string.Join(",", Enumerable.Repeat("0.123456789", 8000)) + "]}"),
        "a body over the limit (chunked)" => new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(new string(' ', 100_000))))
        { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_clear_4xx_and_the_server_stays_up(string name, int status, string mentions)
    {
        var backend = new FakeBackend();
        await using var server = await RunningServer.Start(backend, new ServingOptions { MaxBodyBytes = 64 * 1024 });
        var content = Body(name);
        if (name.Contains("chunked")) content.Headers.ContentLength = null;
        using var response = await server.Predict(content);
        var body = await server.ReadJson(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(mentions, body.GetProperty("error").GetString());
        Assert.Equal(0, backend.Computed);   // nothing bad reached the model

        // and the server still answers a good request and reports healthy
        using var good = await server.Predict(RunningServer.Json(784, 0.25f, 0.5f, 0.125f));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(1, (await server.Metrics()).GetProperty("bad_requests").GetInt64());
    }

    [Fact]
    public async Task A_PNG_of_the_right_size_is_read_as_gray_pixels()
    {
        var backend = new FakeBackend { Answer = x => [x[0], x[1], x[28]] };
        await using var server = await RunningServer.Start(backend, new ServingOptions());
        var rgba = new byte[28 * 28 * 4];
        void Set(int pixel, byte r, byte g, byte b) => (rgba[pixel * 4], rgba[pixel * 4 + 1], rgba[pixel * 4 + 2], rgba[pixel * 4 + 3]) = (r, g, b, 255);
        Set(0, 255, 255, 255);    // white: 1
        Set(1, 255, 0, 0);        // pure red: luma 0.299
        Set(28, 51, 51, 51);      // gray 51/255 = 0.2, first pixel of the second row
        using var response = await server.Predict(Bytes(PngWriter.Encode(28, 28, rgba), "image/png"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var p = (await server.ReadJson(response)).GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(1f, p[0], 6);
        Assert.Equal(0.299f, p[1], 6);
        Assert.Equal(0.2f, p[2], 6);
    }

    [Fact]
    public async Task A_wrong_method_or_path_is_a_4xx()
    {
        await using var server = await RunningServer.Start(new FakeBackend(), new ServingOptions());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.GetAsync("/predict")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync("/nowhere", RunningServer.Json(784))).StatusCode);
    }
}
