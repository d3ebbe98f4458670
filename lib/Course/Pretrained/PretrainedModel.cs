namespace Course;

/// <summary>
/// One model whose full-run weights ship in checkpoints/: the chapter that trains it, the results file of that
/// chapter's full run and its headline metric, the architecture exactly as the chapter builds it in full mode, and how
/// its test subset is scored. The subset evaluation reads only the test images, the weights and the manifest's options;
/// the options are fixed at packaging from the chapter's full data: <see cref="DataOptions"/> (the training split's
/// normalisation, CLIP's vocabulary) and <see cref="ChooseOptions"/> (what the chapter chooses on validation after
/// training: CLIP's prompt set).
/// </summary>
public sealed record PretrainedModel(
    string Name,
    string Chapter,
    string ResultsChapter,
    string HeadlineMetric,
    string Architecture,
    string SubsetMetric,
    string SubsetDefinition,
    Func<PretrainedData, IReadOnlyDictionary<string, string>> DataOptions,
    Func<IReadOnlyDictionary<string, string>, nn.Module> Create,
    Func<nn.Module, PretrainedData, IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> ChooseOptions,
    Func<nn.Module, TensorDataset, int, IReadOnlyDictionary<string, string>, double> EvaluateSubset);
