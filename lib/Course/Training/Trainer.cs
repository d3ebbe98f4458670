using System.Diagnostics;
using Course.Display;

namespace Course;

/// <summary>
/// The training loop every chapter uses. Each step: zero the gradients, compute the loss of a batch, backpropagate
/// (autograd, or the chapter's own gradients), optionally clip the gradient norm, update, optionally advance a
/// per-step learning-rate schedule. Every step runs in its own dispose scope, so no tensor outlives it. A loss that
/// turns NaN or infinite stops training with an error. <see cref="Fit(DataLoader, int, DataLoader?, string)"/> shows a
/// live progress bar and loss curve and returns the run's record:
/// <code>
/// var trainer = new Trainer(model, optim.AdamW(model.parameters(), lr: 1e-3));   // cross-entropy by default
/// var run = trainer.Fit(train, epochs, validation, "LeNet").EnsureLearned(0.6);
/// run.Epochs   // a table: train loss, validation loss and accuracy per epoch
/// </code>
/// </summary>
public sealed class Trainer
{
    private readonly nn.Module _model;
    private readonly nn.Module<Tensor, Tensor>? _classifier;
    private readonly Func<Tensor, Tensor, Tensor>? _outputLoss;
    private readonly Func<Batch, Tensor> _batchLoss;
    private readonly Action<Batch>? _backward;
    private readonly Parameter[] _parameters;
    private int _epoch;
    private Progress? _progress;      // while Fit runs
    private List<StepReport>? _steps; // while Fit runs

    /// <summary>
    /// A trainer for a model with one input: loss = <paramref name="loss"/>(model(x), y), cross-entropy when not
    /// given. Evaluation then also reports accuracy when the outputs are scores [B, C] for class ids [B].
    /// </summary>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor>? loss = null)
        : this(model, optimizer, (Func<Batch, Tensor>)null!)
    {
        _classifier = model;
        _outputLoss = loss ?? ((output, target) => F.cross_entropy(output, target));
        _batchLoss = batch => _outputLoss(_classifier.forward(batch.x), batch.y);
    }

    /// <summary>
    /// A trainer for any model: <paramref name="loss"/> computes the loss of a batch (calling the model itself). With
    /// <paramref name="backward"/>, the gradients come from it instead of autograd (chapter 3's hand-written
    /// backpropagation through time sets each parameter's grad); the loss is then only measured, without a graph.
    /// </summary>
    public Trainer(nn.Module model, optim.Optimizer optimizer, Func<Batch, Tensor> loss, Action<Batch>? backward = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        _model = model;
        Optimizer = optimizer;
        _batchLoss = loss;
        _backward = backward;
        _parameters = model.parameters().ToArray();
    }

    public optim.Optimizer Optimizer { get; }
    /// <summary>Called after every step.</summary>
    public Action<StepReport>? OnStep { get; set; }
    /// <summary>Called after every epoch of <see cref="Fit"/>.</summary>
    public Action<EpochReport>? OnEpoch { get; set; }
    /// <summary>When set, gradients are scaled so that their joint L2 norm is at most this (before each update).</summary>
    public double? MaxGradNorm { get; set; }
    /// <summary>When set, advanced after every step (warm-up and cosine schedules count steps, not epochs).</summary>
    public optim.lr_scheduler.LRScheduler? Scheduler { get; set; }
    /// <summary>Steps taken so far.</summary>
    public long GlobalStep { get; private set; }
    /// <summary>The gradient norm before clipping at the last step (when <see cref="MaxGradNorm"/> is set).</summary>
    public double? LastGradNorm { get; private set; }

    /// <summary>One optimisation step per batch (one epoch of a loader, or any number of batches); returns the mean loss per example.</summary>
    public double TrainEpoch(IEnumerable<Batch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        _epoch++;
        _model.train();
        double sum = 0;
        long examples = 0;
        int step = 0;
        foreach (var batch in batches)
        {
            double loss = Step(batch);
            sum += loss * batch.Count;
            examples += batch.Count;
            var report = new StepReport(_epoch, ++step, GlobalStep, loss, Optimizer.ParamGroups.First().LearningRate);
            _steps?.Add(report);
            _progress?.Step(loss);
            OnStep?.Invoke(report);
        }
        if (examples == 0) throw new ArgumentException("there were no batches to train on.", nameof(batches));
        return sum / examples;
    }

    /// <summary>One step on one batch; returns its loss.</summary>
    public double Step(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Optimizer.zero_grad();
        Tensor loss;
        using (_backward is null ? null : no_grad()) loss = _batchLoss(batch);
        if (loss.numel() != 1) throw new InvalidOperationException($"the loss must be one number, not shape [{string.Join(", ", loss.shape)}] (reduce it with mean()).");
        double value = loss.ToDouble();
        if (!double.IsFinite(value))
            throw new InvalidOperationException($"the loss became {value} at step {GlobalStep + 1}: training diverged. Lower the learning rate, or clip gradients with MaxGradNorm.");
        if (_backward is null) loss.backward();
        else _backward(batch);
        if (MaxGradNorm is { } max) LastGradNorm = nn.utils.clip_grad_norm_(_parameters, max);
        Optimizer.step();
        GlobalStep++;
        Scheduler?.step();
        return value;
    }

    /// <summary>Mean loss per example over the batches, without gradients and in eval mode (plus accuracy for classifiers).</summary>
    public Evaluation Evaluate(IEnumerable<Batch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        bool wasTraining = _model.training;
        _model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long examples = 0, correct = 0;
        bool classification = _classifier is not null;
        try
        {
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                Tensor loss;
                if (_classifier is not null)
                {
                    var output = _classifier.forward(batch.x);
                    loss = _outputLoss!(output, batch.y);
                    classification &= output.dim() == 2 && batch.y.dim() == 1;
                    if (classification) correct += output.argmax(1).eq(batch.y).sum().item<long>();
                }
                else loss = _batchLoss(batch);
                lossSum += loss.ToDouble() * batch.Count;
                examples += batch.Count;
            }
        }
        finally { _model.train(wasTraining); }
        if (examples == 0) throw new ArgumentException("there were no batches to evaluate.", nameof(batches));
        return new Evaluation(lossSum / examples, classification ? (double)correct / examples : null, examples);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs over the loader, evaluating on <paramref name="validation"/> after
    /// each, with a live progress bar and loss curve named <paramref name="label"/>.
    /// </summary>
    public TrainingRun Fit(DataLoader train, int epochs, DataLoader? validation = null, string label = "training")
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "train for at least one epoch.");
        return Record(label, epochs * train.Count, epochReports =>
        {
            for (int e = 0; e < epochs; e++)
            {
                var clock = Stopwatch.StartNew();
                double trainLoss = TrainEpoch(train);
                var evaluation = validation is null ? null : Evaluate(validation);
                var report = new EpochReport(_epoch, trainLoss, evaluation?.Loss, evaluation?.Accuracy, clock.Elapsed.TotalSeconds);
                epochReports.Add(report);
                OnEpoch?.Invoke(report);
            }
        });
    }

    /// <summary>Trains on the first <paramref name="steps"/> batches of a stream (e.g. random text windows), as one epoch.</summary>
    public TrainingRun Fit(IEnumerable<Batch> batches, int steps, string label = "training")
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "train for at least one step.");
        return Record(label, steps, epochReports =>
        {
            var clock = Stopwatch.StartNew();
            double trainLoss = TrainEpoch(batches.Take(steps));
            var report = new EpochReport(_epoch, trainLoss, null, null, clock.Elapsed.TotalSeconds);
            epochReports.Add(report);
            OnEpoch?.Invoke(report);
        });
    }

    private TrainingRun Record(string label, int totalSteps, Action<List<EpochReport>> train)
    {
        if (_progress is not null) throw new InvalidOperationException("this trainer is already fitting.");
        var epochs = new List<EpochReport>();
        var clock = Stopwatch.StartNew();
        _progress = Progress.Start(totalSteps, label);
        var steps = _steps = new List<StepReport>(totalSteps);
        try { train(epochs); }
        finally { _progress.Finish(); _progress = null; _steps = null; }   // a failed Fit leaves the trainer reusable
        return new TrainingRun(label, steps, epochs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The predicted class ids and the targets of a classifier over the batches, both int64 [N] on the CPU (for a
    /// confusion matrix or a grid of mistakes). The caller disposes them.
    /// </summary>
    public (Tensor Predictions, Tensor Targets) Predict(IEnumerable<Batch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var classifier = _classifier ?? throw new InvalidOperationException("Predict needs a trainer made for a model with one input (Module<Tensor, Tensor>).");
        bool wasTraining = _model.training;
        _model.eval();
        var predictions = new List<Tensor>();
        var targets = new List<Tensor>();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var output = classifier.forward(batch.x);
                if (output.dim() != 2) throw new InvalidOperationException($"Predict needs scores [B, C]; the model gave shape [{string.Join(", ", output.shape)}].");
                predictions.Add(output.argmax(1).cpu().DetachFromDisposeScope());
                targets.Add(batch.y.cpu().DetachFromDisposeScope());
            }
            if (predictions.Count == 0) throw new ArgumentException("there were no batches to predict.", nameof(batches));
            return (cat(predictions), cat(targets));
        }
        finally
        {
            _model.train(wasTraining);
            foreach (var t in predictions.Concat(targets)) t.Dispose();
        }
    }
}
