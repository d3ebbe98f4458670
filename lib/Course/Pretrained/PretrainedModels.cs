using System.Globalization;
using Course.Models;

namespace Course;

/// <summary>
/// The models whose weights ship (chapters 2, 5 and 8). Each architecture here must equal the chapter's full-mode
/// constructor call; a drift shows as a load error naming the file (the shipped checkpoints test loads every one).
/// </summary>
public static class PretrainedModels
{
    /// <summary>Images go through the models in chunks of this many (memory stays small).</summary>
    private const int Chunk = 1000;

    private const string ClassifierSubset =
        "the first {count} images of the Fashion-MNIST test split (t10k files, in file order), standardised with options.mean and options.std " +
        "(the mean and standard deviation of the chapter's 55,000 training images, seed 0); accuracy of the argmax of the logits";

    public static PretrainedModel LeNet { get; } = new(
        "lenet", "notebooks/02-cnn.ipynb", "cnn", "test_accuracy",
        "Course.Models.LeNet(width: 32)",
        "accuracy", ClassifierSubset,
        Normalisation,
        _ => new LeNet(width: 32),
        NoChoice,
        (model, test, count, options) => ClassifierAccuracy((nn.Module<Tensor, Tensor>)model, test, count, options));

    public static PretrainedModel Vit { get; } = new(
        "vit", "notebooks/05-vit.ipynb", "vit", "test_accuracy",
        "Course.Models.VisionTransformer(image_size: 28, patch_size: 7, in_channels: 1, num_classes: 10, d_model: 64, depth: 6, heads: 4, mlp_ratio: 2, dropout: 0)",
        "accuracy", ClassifierSubset,
        Normalisation,
        _ => new VisionTransformer(image_size: 28, patch_size: 7, in_channels: 1, num_classes: 10, d_model: 64, depth: 6, heads: 4, mlp_ratio: 2, dropout: 0),
        NoChoice,
        (model, test, count, options) => ClassifierAccuracy((nn.Module<Tensor, Tensor>)model, test, count, options));

    public static PretrainedModel Clip { get; } = new(
        "clip", "notebooks/08-clip.ipynb", "clip", "zero_shot_test_accuracy",
        "Course.Models.Clip(vocab: options.vocabulary (the tokenizer of CaptionedFashionMnist.Load(validationSize: 5000, seed: 0)), embed_dim: 64, image_width: 128, cnn_width: 16, text_width: 64, text_layers: 2, text_heads: 4, context_length: 12, init_temperature: 0.07)",
        "zero_shot_accuracy",
        "the first {count} images of the Fashion-MNIST test split (t10k files, in file order) rendered plain (attribute none) on the 28×56 canvas; " +
        "zero-shot accuracy over the 10 classes with the prompts in options.prompts, tokenized with options.vocabulary (chapter 8's tokenizer: its words " +
        "after <pad> <eos> <unk>); the prompt set was chosen at packaging on the 5,000 plain validation images by chapter 8's rule (the ensemble unless the single prompt scores higher)",
        data => new Dictionary<string, string> { ["vocabulary"] = string.Join(" ", data.Captioned.Tokenizer.Tokens.Skip(3)) },
        options => new Clip(Tokenizer(options).VocabSize, embed_dim: 64, image_width: 128, cnn_width: 16,
            text_width: 64, text_layers: 2, text_heads: 4, context_length: CaptionedFashionMnist.MaxTokens, init_temperature: 0.07),
        (model, data, options) =>
        {
            var plain = data.Captioned.Source.Validation;
            double ensemble = ZeroShotAccuracy((Clip)model, plain, (int)plain.Count, With(options, "prompts", "ensemble"));
            double single = ZeroShotAccuracy((Clip)model, plain, (int)plain.Count, With(options, "prompts", "single"));
            return new Dictionary<string, string> { ["prompts"] = ensemble >= single ? "ensemble" : "single" };
        },
        (model, test, count, options) => ZeroShotAccuracy((Clip)model, test, count, options));

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

    /// <summary>The tokenizer a CLIP manifest's options.vocabulary describes (the same ids as chapter 8's).</summary>
    public static WordTokenizer Tokenizer(IReadOnlyDictionary<string, string> options) =>
        new([Option(options, "vocabulary")]);

    private static IReadOnlyDictionary<string, string> Normalisation(PretrainedData data) => new Dictionary<string, string>
    {
        ["mean"] = data.Fashion.Mean.ToString("R", CultureInfo.InvariantCulture),
        ["std"] = data.Fashion.Std.ToString("R", CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, string> NoChoice(nn.Module model, PretrainedData data, IReadOnlyDictionary<string, string> options) =>
        new Dictionary<string, string>();

    private static double ClassifierAccuracy(nn.Module<Tensor, Tensor> model, TensorDataset test, int count, IReadOnlyDictionary<string, string> options)
    {
        CheckCount(count, test.Count);
        double mean = Number(options, "mean"), std = Number(options, "std");
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var predictions = new List<Tensor>();
        for (int i = 0; i < count; i += Chunk)
            predictions.Add(model.forward(test.Inputs[i..Math.Min(i + Chunk, count)].sub(mean).div(std)).argmax(1));
        return Metrics.Accuracy(cat(predictions.ToArray(), 0), test.Targets[..count]);
    }

    private static double ZeroShotAccuracy(Clip clip, TensorDataset images, int count, IReadOnlyDictionary<string, string> options)
    {
        CheckCount(count, images.Count);
        var tokenizer = Tokenizer(options);
        var perClass = Option(options, "prompts") switch
        {
            "ensemble" => Enumerable.Range(0, 10).Select(CaptionedFashionMnist.ClassPrompts).ToArray(),
            "single" => Enumerable.Range(0, 10).Select(c => (IReadOnlyList<string>)[$"a photo of a {CaptionedFashionMnist.ClassWords[c][0]}"]).ToArray(),
            var other => throw new InvalidDataException($"unknown CLIP prompt set '{other}' (ensemble or single)."),
        };
        clip.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var classes = ZeroShot.ClassEmbeddings(clip, perClass.Select(p => tokenizer.EncodeBatch(p, CaptionedFashionMnist.MaxTokens)).ToArray());
        var predictions = new List<Tensor>();
        for (int i = 0; i < count; i += Chunk)
        {
            var canvas = CaptionedFashionMnist.Render(images.Inputs[i..Math.Min(i + Chunk, count)], CaptionedFashionMnist.Plain);
            predictions.Add(ZeroShot.Predict(clip.encode_image(canvas), classes));
        }
        return Metrics.Accuracy(cat(predictions.ToArray(), 0), images.Targets[..count]);
    }

    private static string Option(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"the subset's options have no '{key}' (they have: {string.Join(", ", options.Keys)}).");

    private static double Number(IReadOnlyDictionary<string, string> options, string key) =>
        double.TryParse(Option(options, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x
            : throw new InvalidDataException($"the subset's option '{key}' is '{options[key]}', not a number.");

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> options, string key, string value) =>
        new(options) { [key] = value };

    private static void CheckCount(long count, long available)
    {
        if (count < 1 || count > available)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the subset must hold between 1 and {available} examples.");
    }
}
