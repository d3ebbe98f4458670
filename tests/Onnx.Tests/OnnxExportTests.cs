using Course;
using Google.Protobuf;
using Course.Models;
using Course.Onnx;
using Torch.Modules;

namespace Onnx.Tests;

/// <summary>
/// The course models written to ONNX and run by ONNX Runtime give libtorch's eval-mode outputs to 1e-5, for batch sizes
/// other than the one the shape was checked with (the batch dimension is symbolic); the files pass python3-onnx's
/// full check; what cannot be exported is refused by name.
/// </summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-5f;
    private static readonly long[] Image = { 1, 28, 28 };

    // LeNet with batch-norm statistics moved away from (0, 1) by a few training-mode forwards
    private static LeNet TrainedLeNet()
    {
        manual_seed(11);
        var model = new LeNet();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.train();
            for (int i = 0; i < 5; i++) model.forward(randn(32, 1, 28, 28) * 2 + 0.5);
        }
        model.eval();
        return model;
    }

    // a small ViT whose weights are of order one (the course's initialisation, N(0, 0.02), makes outputs so small
    // that a wrong graph could still agree to 1e-5): every parameter ~ N(0, 0.3), layer-norm scales ~ 1 + N(0, 0.1)
    private static VisionTransformer SmallVit()
    {
        manual_seed(12);
        var model = new VisionTransformer(image_size: 28, patch_size: 7, d_model: 32, depth: 2, heads: 4, mlp_ratio: 2, dropout: 0.1);
        using (var scope = NewDisposeScope())
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains("ln") || name.StartsWith("norm")) p.copy_(name.EndsWith("weight") ? randn(p.shape) * 0.1 + 1 : randn(p.shape) * 0.1);
                else p.copy_(randn(p.shape) * 0.3);
        model.eval();
        return model;
    }

    private static Mlp SmallMlp()
    {
        manual_seed(13);
        var model = new Mlp(784, 64, 32, 10);
        model.eval();
        return model;
    }

    // max |libtorch − ONNX Runtime| and the spread of libtorch's outputs (so that a small difference means something)
    private static (float diff, float std) Compare(nn.Module<Tensor, Tensor> model, OnnxSession session, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var expected = model.forward(x);
        var actual = session.Run(x);
        Assert.Equal(expected.shape, actual.shape);
        return ((expected - actual).abs().max().item<float>(), expected.std().item<float>());
    }

    private static void AssertMatches(nn.Module<Tensor, Tensor> model, string name, params long[] batchSizes)
    {
        using var folder = new TempFolder("onnx-export");
        var path = folder.File($"{name}.onnx");
        OnnxExporter.Save(model, Image, path);
        using var session = new OnnxSession(path);
        manual_seed(21);
        foreach (long b in batchSizes)
        {
            using var scope = NewDisposeScope();
            var (diff, std) = Compare(model, session, randn(b, 1, 28, 28));
            Assert.True(diff <= Tolerance, $"{name}, batch {b}: max |libtorch − ONNX Runtime| = {diff:E2} > {Tolerance:E0}");
            Assert.True(std > 0.05f, $"{name}, batch {b}: outputs spread only {std:E2}; the comparison would not catch a wrong graph");
        }
    }

    [Fact]
    public void LeNetRunsInOnnxRuntimeAsInLibtorch() => AssertMatches(TrainedLeNet(), "lenet", 1, 7, 64);

    [Fact]
    public void VisionTransformerRunsInOnnxRuntimeAsInLibtorch() => AssertMatches(SmallVit(), "vit", 1, 7, 64);

    [Fact]
    public void MlpRunsInOnnxRuntimeAsInLibtorch() => AssertMatches(SmallMlp(), "mlp", 1, 7, 64);

    [FashionMnistFact]
    public void ModelsAgreeOnRealImages()
    {
        using var data = FashionMnist.Load(limit: 64);
        var images = data.Normalize(data.Test.Inputs);
        foreach (var (name, model) in new (string, nn.Module<Tensor, Tensor>)[] { ("lenet", TrainedLeNet()), ("vit", SmallVit()), ("mlp", SmallMlp()) })
        {
            using var session = new OnnxSession(OnnxExporter.Export(model, Image).ToByteArray());
            var (diff, _) = Compare(model, session, images);
            Assert.True(diff <= Tolerance, $"{name} on 64 Fashion-MNIST test images: max |libtorch − ONNX Runtime| = {diff:E2}");
        }
    }

    [Fact]
    public void ALayerNotInTheGraphWouldBeCaught()
    {
        // the comparison detects a graph that differs from the model: change one weight after exporting
        var model = TrainedLeNet();
        using var session = new OnnxSession(OnnxExporter.Export(model, Image).ToByteArray());
        using (no_grad()) ((Linear)model.classifier[5]).bias!.add_(0.01);
        using var scope = NewDisposeScope();
        manual_seed(22);
        var (diff, _) = Compare(model, session, randn(4, 1, 28, 28));
        Assert.InRange(diff, 0.009f, 0.011f);
    }

    [OnnxCheckerFact]
    public void ExportedFilesPassTheOnnxChecker()
    {
        using var folder = new TempFolder("onnx-check");
        var paths = new[] { ("lenet", (nn.Module<Tensor, Tensor>)TrainedLeNet()), ("vit", SmallVit()), ("mlp", SmallMlp()) }
            .Select(m => { var p = folder.File($"{m.Item1}.onnx"); OnnxExporter.Save(m.Item2, Image, p); return p; }).ToArray();
        var r = OnnxChecker.Check(paths);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(3, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(": ok (ir 8, opset 17")));
    }

    [OnnxCheckerFact]
    public void TheCheckerRejectsABrokenFile()
    {
        // the oracle can fail: a node that reads a value nobody produces
        using var folder = new TempFolder("onnx-check");
        var model = OnnxExporter.Export(SmallMlp(), Image);
        model.Graph.Node[1].Input[0] = "nowhere";
        var path = folder.File("broken.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var r = OnnxChecker.Check(path);
        Assert.True(r.ExitCode == 1, r.ToString());
    }

    [Fact]
    public void TheGraphDeclaresOpset17ASymbolicBatchAndTheExpectedOperators()
    {
        var model = OnnxExporter.Export(TrainedLeNet(), Image);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
        var input = model.Graph.Input.Single();
        Assert.Equal("input", input.Name);
        Assert.Equal(new[] { "batch", "1", "28", "28" }, input.Type.TensorType.Shape.Dim.Select(d => d.DimParam != "" ? d.DimParam : d.DimValue.ToString()));
        var output = model.Graph.Output.Single();
        Assert.Equal(new[] { "batch", "10" }, output.Type.TensorType.Shape.Dim.Select(d => d.DimParam != "" ? d.DimParam : d.DimValue.ToString()));
        // conv, BN, ReLU, pool twice; flatten; linear, ReLU, linear (dropout is the identity at inference)
        Assert.Equal(new[] { "Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm" },
                     model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(16, model.Graph.Initializer.Count);   // 2 × (conv weight, bias, BN scale, shift, mean, variance) and 2 × (linear weight, bias)
        var vit = OnnxExporter.Export(SmallVit(), Image).Graph.Node.Select(n => n.OpType).ToHashSet();
        Assert.Superset(new HashSet<string> { "Conv", "Expand", "Concat", "LayerNormalization", "MatMul", "Softmax", "Erf", "Gather", "Gemm" }, vit);
        Assert.DoesNotContain("Gelu", vit);   // opset 20
    }

    [Fact]
    public void OtherLayersExportToo()
    {
        // GELU (tanh approximation), average pooling, flattening from dimension 2, tanh, sigmoid, batch norm 1d, layer norm
        manual_seed(14);
        var model = nn.Sequential(nn.Conv2d(1, 4, 3, stride: 2, padding: 1), nn.GELU(tanh_approximation: true), nn.AvgPool2d(2, padding: 1),
                                  nn.Flatten(2), nn.LayerNorm(16), nn.Tanh(), nn.Flatten(), nn.Linear(64, 20), nn.BatchNorm1d(20), nn.Sigmoid(), nn.Identity(), nn.Linear(20, 3));
        using (var scope = NewDisposeScope()) using (no_grad()) { model.train(); model.forward(randn(16, 1, 14, 14)); }
        model.eval();
        using var session = new OnnxSession(OnnxExporter.Export(model, new long[] { 1, 14, 14 }).ToByteArray());
        using var s = NewDisposeScope();
        var (diff, std) = Compare(model, session, randn(5, 1, 14, 14));
        Assert.True(diff <= Tolerance, $"max |libtorch − ONNX Runtime| = {diff:E2}");
        Assert.True(std > 0.05f, $"outputs spread only {std:E2}");
    }

    private sealed class Doubler : nn.Module<Tensor, Tensor>
    {
        public override Tensor forward(Tensor x) => x * 2;
    }

    [Fact]
    public void AnUnknownModuleIsRefusedByItsTypeName()
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(nn.Sequential(nn.Flatten(), new Doubler()), Image));
        Assert.Contains(typeof(Doubler).FullName!, e.Message);
        var softmax = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(nn.Sequential(nn.Flatten(), nn.Softmax(1)), Image));
        Assert.Contains("Softmax", softmax.Message);
        var flatten = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(nn.Sequential(nn.Flatten(0)), Image));
        Assert.Contains("start_dim=0", flatten.Message);
    }

    [Fact]
    public void BadShapesAreRefusedWithTheirCause()
    {
        var lenet = TrainedLeNet();
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(lenet, new long[] { 3, 28, 28 }));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(lenet, new long[] { 1, 0, 28 }));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(lenet, Array.Empty<long>()));
        using var session = new OnnxSession(OnnxExporter.Export(lenet, Image).ToByteArray());
        Assert.Equal(new[] { -1, 1, 28, 28 }, session.InputDimensions);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => session.Run(randn(2, 1, 27, 28)));
        Assert.Contains("[batch, 1, 28, 28]", e.Message);
        Assert.Throws<ArgumentException>(() => session.Run(new float[10], new long[] { 1, 1, 28, 28 }));
        Assert.Throws<ArgumentException>(() => new OnnxSession(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void ExportingLeavesEachModulesModeAsItWas()
    {
        var model = TrainedLeNet();
        model.train();
        model.features.eval();
        OnnxExporter.Export(model, Image);
        Assert.True(model.training);
        Assert.False(model.features.training);
        Assert.False(model.features[1].training);
        Assert.True(model.classifier[1].training);
    }
}
