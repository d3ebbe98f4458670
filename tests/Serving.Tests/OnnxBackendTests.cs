using Google.Protobuf;
using System.Net;
using Course;
using Course.Models;
using Course.Onnx;
using Course.Serving;
using static Torch.torch;

namespace Serving.Tests;

/// <summary>The ONNX Runtime backend answers what the libtorch backend answers for the same weights, alone and behind the server.</summary>
public sealed class OnnxBackendTests
{
    private static LeNet UntrainedLeNet()
    {
        manual_seed(0);
        var model = new LeNet(width: 32);
        model.eval();
        return model;
    }

    private static TorchBackend Torch() => new(UntrainedLeNet(), [1, 28, 28], TorchBackend.FashionMnistMean, TorchBackend.FashionMnistStd, FashionMnist.ClassNames, "libtorch");

    private static OnnxBackend Onnx()
    {
        using var model = UntrainedLeNet();
        var session = new OnnxSession(OnnxExporter.Export(model, [1, 28, 28]).ToByteArray());
        return new OnnxBackend(session, [1, 28, 28], TorchBackend.FashionMnistMean, TorchBackend.FashionMnistStd, FashionMnist.ClassNames, "onnx");
    }

    private static float[][] Images(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(image => Enumerable.Range(0, 784).Select(pixel => random.Next(256) / 255f).ToArray()).ToArray();
    }

    [Fact]
    public void Its_probabilities_equal_the_libtorch_backends()
    {
        using var torch = Torch();
        using var onnx = Onnx();
        var images = Images(9, 3);
        var expected = torch.Predict(images);
        var got = onnx.Predict(images);
        Assert.Equal(9, got.Length);
        double worst = 0;
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(1.0, got[i].Sum(v => (double)v), 1e-6);
            for (int k = 0; k < 10; k++) worst = Math.Max(worst, Math.Abs(expected[i][k] - got[i][k]));
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), Array.IndexOf(got[i], got[i].Max()));
        }
        Assert.True(worst < 1e-6, $"the engines' probabilities differ by {worst:E2}");
    }

    [Fact]
    public void An_onnx_file_with_another_input_shape_is_refused()
    {
        using var model = UntrainedLeNet();
        var session = new OnnxSession(OnnxExporter.Export(model, [1, 28, 28]).ToByteArray());
        var e = Assert.Throws<ArgumentException>(() => new OnnxBackend(session, [3, 28, 28], 0, 1, null, "wrong"));
        Assert.Contains("not a batch of [3, 28, 28]", e.Message);
        session.Dispose();
    }

    [Fact]
    public void An_onnx_file_is_served_as_exported()
    {
        var path = Path.Combine(Path.GetTempPath(), $"serving-lenet-{Environment.ProcessId}.onnx");
        try
        {
            using (var model = UntrainedLeNet()) OnnxExporter.Save(model, [1, 28, 28], path);
            using var fromFile = OnnxBackend.LeNet(path, out var warning);
            Assert.Null(warning);
            Assert.Contains(path, fromFile.Name);
            using var torch = Torch();
            var images = Images(3, 5);
            var expected = torch.Predict(images);
            var got = fromFile.Predict(images);
            for (int i = 0; i < 3; i++) for (int k = 0; k < 10; k++) Assert.Equal(expected[i][k], got[i][k], 1e-6);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_missing_onnx_file_is_an_error_naming_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OnnxBackend.LeNet("/nonexistent/lenet.onnx", out _));
        Assert.Contains("/nonexistent/lenet.onnx", e.Message);
    }

    [Fact]
    public async Task The_server_answers_with_it_as_with_libtorch()
    {
        var images = Images(2, 4);
        float[][] expected;
        using (var reference = Torch()) expected = images.Select(image => reference.Predict([image])[0]).ToArray();
        await using var server = await RunningServer.Start(() => Onnx(), new ServingOptions { MaxBatch = 4 });
        for (int i = 0; i < images.Length; i++)
        {
            using var response = await server.Predict(RunningServer.Json(784, images[i]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var p = (await server.ReadJson(response)).GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            for (int k = 0; k < 10; k++) Assert.Equal(expected[i][k], p[k], 1e-6);
        }
    }
}
