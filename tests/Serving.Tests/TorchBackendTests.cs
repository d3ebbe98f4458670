using System.Net;
using System.Net.Http.Headers;
using Course;
using Course.Kernel.Install;
using Course.Models;
using Course.Serving;
using Torch;
using static Torch.torch;

namespace Serving.Tests;

/// <summary>The libtorch backend: chapter 02's normalisation, batch-independent answers, the same answer over HTTP (JSON or PNG).</summary>
public sealed class TorchBackendTests
{
    private static TorchBackend Untrained()
    {
        manual_seed(0);
        return new TorchBackend(new LeNet(width: 32), [1, 28, 28], TorchBackend.FashionMnistMean, TorchBackend.FashionMnistStd, FashionMnist.ClassNames, "test LeNet");
    }

    // 28×28 images of whole bytes (so that a PNG carries them exactly)
    private static float[][] Images(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(image => Enumerable.Range(0, 784).Select(pixel => random.Next(256) / 255f).ToArray()).ToArray();
    }

    [Fact]
    public void The_normalisation_constants_are_chapter_02s_training_statistics()
    {
        using var data = FashionMnist.Load(validationSize: 5000, seed: 0);
        Assert.True(Math.Abs(data.Mean - TorchBackend.FashionMnistMean) < 1e-12 && Math.Abs(data.Std - TorchBackend.FashionMnistStd) < 1e-12,
            $"the training split's mean and std are {data.Mean:R} and {data.Std:R}, the constants {TorchBackend.FashionMnistMean:R} and {TorchBackend.FashionMnistStd:R}");
    }

    [Fact]
    public void A_batch_gets_the_answers_its_examples_get_alone_and_the_model_gets_directly()
    {
        using var backend = Untrained();
        var images = Images(6, 1);
        var batched = backend.Predict(images);
        Assert.Equal(6, batched.Length);
        for (int i = 0; i < images.Length; i++)
        {
            var alone = backend.Predict([images[i]])[0];
            Assert.Equal(10, alone.Length);
            Assert.Equal(1.0, alone.Sum(v => (double)v), 1e-6);
            for (int k = 0; k < 10; k++) Assert.Equal(alone[k], batched[i][k], 1e-6);
        }
        // the model itself, in eval mode, on (x − mean) / std
        manual_seed(0);
        using var model = new LeNet(width: 32);
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(images.SelectMany(r => r).ToArray(), [6, 1, 28, 28]);
        var direct = model.forward(x.sub(TorchBackend.FashionMnistMean).div(TorchBackend.FashionMnistStd)).softmax(1).ToArray<float>();
        for (int i = 0; i < 6; i++) for (int k = 0; k < 10; k++) Assert.Equal(direct[i * 10 + k], batched[i][k], 1e-6);
    }

    [Fact]
    public void Wrong_rows_are_an_argument_error()
    {
        using var backend = Untrained();
        var e = Assert.Throws<ArgumentException>(() => backend.Predict([new float[784], new float[100]]));
        Assert.Contains("row 1 holds 100 values", e.Message);
    }

    [Fact]
    public void A_missing_named_model_is_an_error_naming_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TorchBackend.LeNet("/nonexistent/lenet.safetensors", out _));
        Assert.Contains("/nonexistent/lenet.safetensors", e.Message);
    }

    [Fact]
    public async Task The_server_answers_what_the_backend_answers_for_JSON_and_PNG()
    {
        var images = Images(3, 2);
        float[][] expected;
        // one at a time, as the server computes sequential requests (a batch of 1 each)
        using (var reference = Untrained()) expected = images.Select(image => reference.Predict([image])[0]).ToArray();
        await using var server = await RunningServer.Start(() => Untrained(), new ServingOptions { MaxBatch = 4 });
        for (int i = 0; i < images.Length; i++)
        {
            using var json = await server.Predict(RunningServer.Json(784, images[i]));
            var rgba = images[i].SelectMany(v => { byte b = (byte)Math.Round(v * 255); return new[] { b, b, b, (byte)255 }; }).ToArray();
            var png = new ByteArrayContent(PngWriter.Encode(28, 28, rgba)) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };
            using var image = await server.Predict(png);
            foreach (var response in new[] { json, image })
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await server.ReadJson(response);
                var p = body.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                for (int k = 0; k < 10; k++) Assert.Equal(expected[i][k], p[k], 1e-6);
                int best = Array.IndexOf(expected[i], expected[i].Max());
                Assert.Equal(best, body.GetProperty("class").GetInt32());
                Assert.Equal(FashionMnist.ClassNames[best], body.GetProperty("label").GetString());
            }
        }
    }
}
