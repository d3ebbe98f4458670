using Course.Models;
using Torch;
using static Torch.torch;

namespace Course;

/// <summary>
/// One model whose full-run weights ship in checkpoints/: the chapter that trains it, the results file of that
/// chapter's full run and its headline metric, the architecture exactly as the chapter builds it in full mode, and how
/// its test subset is scored. <see cref="ChooseOptions"/> makes, at packaging time and on validation only, the choices
/// the chapter makes after training (CLIP's prompt set); the subset evaluation then reads them from the manifest.
/// </summary>
public sealed record PretrainedModel(
    string Name,
    string Chapter,
    string ResultsChapter,
    string HeadlineMetric,
    string Architecture,
    string SubsetMetric,
    string SubsetDefinition,
    Func<PretrainedData, nn.Module> Create,
    Func<nn.Module, PretrainedData, IReadOnlyDictionary<string, string>> ChooseOptions,
    Func<nn.Module, PretrainedData, int, IReadOnlyDictionary<string, string>, double> EvaluateSubset)
{
    /// <summary>The size of the whole test split the subset is taken from.</summary>
    public int TestCount(PretrainedData data) => (int)(Name == Clip.Name ? data.Captioned.Source.Test.Count : data.Fashion.Test.Count);

    private static PretrainedModel Clip => PretrainedModels.Clip;
}

/// <summary>
/// The data the subset evaluations need, loaded once and shared (Fashion-MNIST and its captioned version, both with
/// the chapters' full-mode split: 5,000 validation images, seed 0).
/// </summary>
public sealed class PretrainedData : IDisposable
{
    private ImageClassificationData? _fashion;
    private CaptionedFashionMnist? _captioned;

    /// <summary>Fashion-MNIST as chapters 2 and 5 load it in full mode (normalised by the training split's statistics).</summary>
    public ImageClassificationData Fashion => _fashion ??= FashionMnist.Load(validationSize: 5000, seed: 0);

    /// <summary>Captioned Fashion-MNIST as chapter 8 loads it in full mode (its tokenizer fixes CLIP's vocabulary).</summary>
    public CaptionedFashionMnist Captioned => _captioned ??= CaptionedFashionMnist.Load(validationSize: 5000, seed: 0);

    public void Dispose()
    {
        _fashion?.Dispose();
        _captioned?.Dispose();
    }
}

/// <summary>
/// The models whose weights ship (chapters 2, 5 and 8). Each architecture here must equal the chapter's full-mode
/// constructor call; a drift shows as a load error naming the file (the shipped checkpoints test loads every one).
/// </summary>
public static class PretrainedModels
{
    /// <summary>Images and prompts go through the models in chunks of this many (memory stays small).</summary>
    private const int Chunk = 1000;

    public static PretrainedModel LeNet { get; } = new(
        "lenet", "notebooks/02-cnn.ipynb", "cnn", "test_accuracy",
        "Course.Models.LeNet(width: 32)",
        "accuracy",
        "the first {count} images of the Fashion-MNIST test split (t10k files, in file order), normalised with the training split's mean and standard deviation (55,000 images, seed 0); accuracy of the argmax of the logits",
        _ => new LeNet(width: 32),
        (_, _) => new Dictionary<string, string>(),
        (model, data, count, _) => ClassifierAccuracy((nn.Module<Tensor, Tensor>)model, data.Fashion, count));

    public static PretrainedModel Vit { get; } = new(
        "vit", "notebooks/05-vit.ipynb", "vit", "test_accuracy",
        "Course.Models.VisionTransformer(image_size: 28, patch_size: 7, in_channels: 1, num_classes: 10, d_model: 64, depth: 6, heads: 4, mlp_ratio: 2, dropout: 0)",
        "accuracy",
        "the first {count} images of the Fashion-MNIST test split (t10k files, in file order), normalised with the training split's mean and standard deviation (55,000 images, seed 0); accuracy of the argmax of the logits",
        _ => new VisionTransformer(image_size: 28, patch_size: 7, in_channels: 1, num_classes: 10, d_model: 64, depth: 6, heads: 4, mlp_ratio: 2, dropout: 0),
        (_, _) => new Dictionary<string, string>(),
        (model, data, count, _) => ClassifierAccuracy((nn.Module<Tensor, Tensor>)model, data.Fashion, count));

    public static PretrainedModel Clip { get; } = new(
        "clip", "notebooks/08-clip.ipynb", "clip", "zero_shot_test_accuracy",
        "Course.Models.Clip(vocab: the tokenizer of CaptionedFashionMnist.Load(validationSize: 5000, seed: 0), embed_dim: 64, image_width: 128, cnn_width: 16, text_width: 64, text_layers: 2, text_heads: 4, context_length: 12, init_temperature: 0.07)",
        "zero_shot_accuracy",
        "the first {count} images of the Fashion-MNIST test split (t10k files, in file order) rendered plain (attribute none) on the 28×56 canvas; zero-shot accuracy over the 10 classes with the prompts in options.prompts (chosen at packaging on the 5,000 plain validation images by chapter 8's rule: the ensemble unless the single prompt scores higher)",
        data => new Clip(data.Captioned.Tokenizer.VocabSize, embed_dim: 64, image_width: 128, cnn_width: 16,
            text_width: 64, text_layers: 2, text_heads: 4, context_length: CaptionedFashionMnist.MaxTokens, init_temperature: 0.07),
        (model, data) =>
        {
            var clip = (Clip)model;
            var plain = data.Captioned.Source.Validation;
            double ensemble = ZeroShotAccuracy(clip, data, plain, plain.Count, "ensemble");
            double single = ZeroShotAccuracy(clip, data, plain, plain.Count, "single");
            return new Dictionary<string, string> { ["prompts"] = ensemble >= single ? "ensemble" : "single" };
        },
        (model, data, count, options) => ZeroShotAccuracy((Clip)model, data, data.Captioned.Source.Test, count,
            options.TryGetValue("prompts", out var prompts) ? prompts : throw new InvalidDataException("the CLIP subset needs options.prompts (ensemble or single).")));

    /// <summary>Every model whose weights ship, in chapter order.</summary>
    public static IReadOnlyList<PretrainedModel> All { get; } = [LeNet, Vit, Clip];

    /// <summary>The model called <paramref name="name"/>; an unknown name is an error listing the known ones.</summary>
    public static PretrainedModel Get(string name) => All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"no shipped model is called '{name}' (known: {string.Join(", ", All.Select(m => m.Name))}).", nameof(name));

    /// <summary>The model trained by <paramref name="chapter"/> ("05-vit", "notebooks/05-vit.ipynb" or "05"); null when none ships.</summary>
    public static PretrainedModel? ForChapter(string chapter)
    {
        var stem = Path.GetFileNameWithoutExtension(chapter);
        return All.FirstOrDefault(m => Path.GetFileNameWithoutExtension(m.Chapter) == stem || Path.GetFileNameWithoutExtension(m.Chapter).StartsWith(stem + "-", StringComparison.Ordinal));
    }

    private static double ClassifierAccuracy(nn.Module<Tensor, Tensor> model, ImageClassificationData data, int count)
    {
        CheckCount(count, data.Test.Count);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var predictions = new List<Tensor>();
        for (int i = 0; i < count; i += Chunk)
            predictions.Add(model.forward(data.Normalize(data.Test.Inputs[i..Math.Min(i + Chunk, count)])).argmax(1));
        return Metrics.Accuracy(cat(predictions.ToArray(), 0), data.Test.Targets[..count]);
    }

    private static double ZeroShotAccuracy(Clip clip, PretrainedData data, TensorDataset images, long count, string prompts)
    {
        CheckCount(count, images.Count);
        var captioned = data.Captioned;
        var perClass = prompts switch
        {
            "ensemble" => Enumerable.Range(0, 10).Select(CaptionedFashionMnist.ClassPrompts).ToArray(),
            "single" => Enumerable.Range(0, 10).Select(c => (IReadOnlyList<string>)[$"a photo of a {CaptionedFashionMnist.ClassWords[c][0]}"]).ToArray(),
            _ => throw new InvalidDataException($"unknown CLIP prompt set '{prompts}' (ensemble or single)."),
        };
        clip.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var classes = ZeroShot.ClassEmbeddings(clip, perClass.Select(p => captioned.Tokenizer.EncodeBatch(p, CaptionedFashionMnist.MaxTokens)).ToArray());
        var predictions = new List<Tensor>();
        for (long i = 0; i < count; i += Chunk)
        {
            var n = Math.Min(Chunk, count - i);
            var canvas = CaptionedFashionMnist.Render(images.Inputs.narrow(0, i, n), CaptionedFashionMnist.Plain);
            predictions.Add(ZeroShot.Predict(clip.encode_image(canvas), classes));
        }
        return Metrics.Accuracy(cat(predictions.ToArray(), 0), images.Targets.narrow(0, 0, count));
    }

    private static void CheckCount(long count, long available)
    {
        if (count < 1 || count > available)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the subset must hold between 1 and {available} examples.");
    }
}
