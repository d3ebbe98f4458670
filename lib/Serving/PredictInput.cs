using System.Text.Json;

namespace Course.Serving;

/// <summary>
/// One example read from a request body, or the client error that says why not (an HTTP status and a message naming the
/// cause). Two encodings: JSON <c>{"pixels": [v, ...]}</c> with exactly as many numbers as one example holds (pixels in
/// [0, 1]), or a PNG image (Content-Type image/png) of the model's height × width, decoded by the course's own decoder;
/// colour becomes gray (ITU-R BT.601 luma), alpha is ignored.
/// </summary>
public readonly record struct PredictInput(float[]? Pixels, int Status, string? Error)
{
    public bool Ok => Pixels is not null;

    private static PredictInput Fail(int status, string error) => new(null, status, error);

    /// <summary>Reads <paramref name="body"/> of media type <paramref name="contentType"/> as one example of <paramref name="shape"/> ([C, H, W] for images).</summary>
    public static PredictInput Parse(ReadOnlySpan<byte> body, string? contentType, int[] shape)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        string media = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/json" or "text/json" or "" => FromJson(body, size, shape),
            "image/png" => FromPng(body.ToArray(), shape),
            _ => Fail(415, $"unsupported Content-Type '{contentType}': send application/json {{\"pixels\": [{size} numbers]}} or an image/png of {ShapeText(shape)}."),
        };
    }

    private static string ShapeText(int[] shape) => string.Join("×", shape);

    private static PredictInput FromJson(ReadOnlySpan<byte> body, int size, int[] shape)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail(400, $"the body must be a JSON object {{\"pixels\": [{size} numbers]}}.");
            float[]? pixels = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPixels = reader.ValueTextEquals("pixels"u8);
                reader.Read();
                if (!isPixels) { reader.Skip(); continue; }
                if (reader.TokenType != JsonTokenType.StartArray)
                    return Fail(400, $"\"pixels\" must be an array of {size} numbers ({ShapeText(shape)}), not {reader.TokenType}.");
                var values = new List<float>(size);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var v) || !float.IsFinite(v))
                        return Fail(400, $"pixels[{values.Count}] is not a finite number.");
                    if (values.Count == size)
                        return Fail(400, $"\"pixels\" holds more than {size} numbers; one example is {size} ({ShapeText(shape)}).");
                    values.Add(v);
                }
                if (values.Count != size)
                    return Fail(400, $"\"pixels\" holds {values.Count} numbers; one example is {size} ({ShapeText(shape)}).");
                pixels = values.ToArray();
            }
            if (reader.TokenType != JsonTokenType.EndObject) return Fail(400, "the body is not valid JSON.");
            // nothing may follow the object
            if (reader.Read()) return Fail(400, "the body holds more than one JSON value.");
            return pixels is null ? Fail(400, $"the JSON object has no \"pixels\": send {{\"pixels\": [{size} numbers]}}.") : new(pixels, 200, null);
        }
        catch (JsonException e)
        {
            return Fail(400, $"the body is not valid JSON: {e.Message}");
        }
    }

    private static PredictInput FromPng(byte[] body, int[] shape)
    {
        if (shape.Length != 3 || shape[0] != 1)
            return Fail(415, $"this model takes {ShapeText(shape)} inputs, not gray images; send JSON.");
        int height = shape[1], width = shape[2];
        PngImage image;
        try
        {
            var header = Png.ReadHeader(body, "the body");
            if (header.Width != width || header.Height != height)
                return Fail(400, $"the image is {header.Width}×{header.Height}; this model takes {width}×{height} images.");
            image = Png.Decode(body, "the body");
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            return Fail(400, $"not a valid PNG image: {e.Message}");
        }
        var samples = image.ToFloats();
        int c = image.Channels;
        var pixels = new float[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = c <= 2 ? samples[i * c] : 0.299f * samples[i * c] + 0.587f * samples[i * c + 1] + 0.114f * samples[i * c + 2];
        return new(pixels, 200, null);
    }
}
