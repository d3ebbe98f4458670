using Course;

namespace Course.Tests;

public sealed class TrainerTests
{
    // three Gaussian blobs in the plane, one per class (well separated)
    private static TensorDataset Blobs(int n, int seed)
    {
        manual_seed(seed);
        using var labels = torch.randint(3, [n]);
        using var centres = torch.tensor(new float[] { 0, 3, 3, -2, -3, -2 }, [3, 2]);
        using var means = centres.index_select(0, labels);
        using var noise = torch.randn(n, 2) * 0.5;
        return new TensorDataset(means + noise, labels.clone());
    }

    private static nn.Module<Tensor, Tensor> Mlp(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3));
    }

    [Fact]
    public void FitLearnsAClassifierAndReportsEveryStep()
    {
        using var train = Blobs(600, 1);
        using var validation = Blobs(200, 2);
        using var model = Mlp(0);
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.01);
        var trainer = new Trainer(model, optimizer);
        var steps = new List<StepReport>();
        var epochs = new List<EpochReport>();
        trainer.OnStep = steps.Add;
        trainer.OnEpoch = epochs.Add;
        var loader = new DataLoader(train, batchSize: 50, shuffle: true, seed: 0);

        var before = trainer.Evaluate(new DataLoader(validation, batchSize: 100));
        var run = trainer.Fit(loader, epochs: 4, validation: new DataLoader(validation, batchSize: 100), label: "blobs");
        var history = run.Epochs;

        Assert.Equal(4, history.Count);
        Assert.Equal(history, epochs);
        Assert.Equal(steps, run.Steps);
        Assert.Equal(4 * loader.Count, steps.Count);
        Assert.InRange(run.Seconds, history.Sum(e => e.Seconds), 60);
        Assert.Equal(steps.Take(10).Average(s => s.Loss), run.FirstLoss(), 12);
        Assert.Equal(steps.TakeLast(5).Average(s => s.Loss), run.LastLoss(5), 12);
        Assert.Same(run, run.EnsureLearned(0.5));
        var e = Assert.Throws<InvalidOperationException>(() => run.EnsureLearned(run.LastLoss() / run.FirstLoss()));
        Assert.StartsWith("blobs did not learn", e.Message);
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps.Select(s => s.GlobalStep));
        Assert.Equal(Enumerable.Range(1, loader.Count), steps.Where(s => s.Epoch == 2).Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal(0.01, s.LearningRate));
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss / 2, $"train loss {history[0].TrainLoss} → {history[^1].TrainLoss}");
        Assert.True(history[^1].ValidationLoss < before.Loss / 4, $"validation loss {before.Loss} → {history[^1].ValidationLoss}");
        Assert.True(history[^1].ValidationAccuracy > 0.97, $"validation accuracy {history[^1].ValidationAccuracy}");
        Assert.Equal(200, before.Examples);
        // the epoch's train loss is the mean of its steps' losses (equal batches)
        Assert.Equal(steps.Where(s => s.Epoch == 4).Average(s => s.Loss), history[^1].TrainLoss, 9);
    }

    [Fact]
    public void TheSameSeedsGiveTheSameRun()
    {
        double[] Run()
        {
            using var data = Blobs(200, 1);
            using var model = Mlp(0);
            using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
            var trainer = new Trainer(model, optimizer);
            var losses = new List<double>();
            trainer.OnStep = s => losses.Add(s.Loss);
            trainer.Fit(new DataLoader(data, batchSize: 32, shuffle: true, seed: 4), epochs: 2);
            return losses.ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void EvaluateAndPredictChangeNothingAndAgree()
    {
        using var data = Blobs(150, 3);
        using var model = Mlp(1);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var trainer = new Trainer(model, optimizer);
        trainer.TrainEpoch(new DataLoader(data, batchSize: 30));
        var weights = model.parameters().Select(p => p.ToArray<float>()).ToList();
        var loader = new DataLoader(data, batchSize: 40);
        var evaluation = trainer.Evaluate(loader);
        var (predictions, targets) = trainer.Predict(loader);
        using (predictions)
        using (targets)
        {
            Assert.Equal(new long[] { 150 }, predictions.shape);
            Assert.Equal(data.Targets.ToArray<long>(), targets.ToArray<long>());
            Assert.Equal(Metrics.Accuracy(predictions, targets), evaluation.Accuracy!.Value, 12);
        }
        using (no_grad())
        using (var logits = model.forward(data.Inputs))
        using (var loss = F.cross_entropy(logits, data.Targets))
            Assert.Equal(loss.item<float>(), evaluation.Loss, 5);
        Assert.Equal(weights, model.parameters().Select(p => p.ToArray<float>()));
        Assert.True(model.training);
    }

    [Fact]
    public void ABatchLossTrainsAnyModel()
    {
        // regression y = 2x − 1 with a loss written over the batch
        var xs = Enumerable.Range(0, 64).Select(i => i / 32f - 1).ToArray();
        using var data = new TensorDataset(torch.tensor(xs, [64, 1]), torch.tensor(xs.Select(x => 2 * x - 1).ToArray(), [64, 1]));
        manual_seed(0);
        using var model = nn.Linear(1, 1);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
        var trainer = new Trainer(model, optimizer, batch => F.mse_loss(model.forward(batch.x), batch.y));
        var loader = new DataLoader(data, batchSize: 16, shuffle: true);
        var history = trainer.Fit(loader, epochs: 30, validation: loader).Epochs;
        Assert.True(history[^1].ValidationLoss < 1e-3, $"validation loss {history[^1].ValidationLoss}");
        Assert.Null(history[^1].ValidationAccuracy);
        Assert.Equal(2, model.weight.item<float>(), 1);
        Assert.Throws<InvalidOperationException>(() => trainer.Predict(loader));
    }

    [Fact]
    public void HandWrittenGradientsTrainAsAutogradDoes()
    {
        // the same regression, once with autograd and once with dL/dw, dL/db of the mean squared error written out
        var xs = Enumerable.Range(0, 32).Select(i => i / 16f - 1).ToArray();
        using var data = new TensorDataset(torch.tensor(xs, [32, 1]), torch.tensor(xs.Select(x => 3 * x + 0.5f).ToArray(), [32, 1]));
        double[] Train(bool byHand)
        {
            manual_seed(2);
            using var model = nn.Linear(1, 1);
            using var optimizer = optim.SGD(model.parameters(), learningRate: 0.2);
            Tensor Loss(Batch b) => F.mse_loss(model.forward(b.x), b.y);
            void Backward(Batch b)
            {
                using var residual = model.forward(b.x) - b.y;                              // r = w x + b − y
                model.weight.grad = (2.0 / b.Count) * residual.t().matmul(b.x);            // dL/dw = 2/n Σ r x
                model.bias!.grad = (2.0 / b.Count) * residual.sum(dim: 0);                      // dL/db = 2/n Σ r
            }
            var trainer = byHand ? new Trainer(model, optimizer, Loss, Backward) : new Trainer(model, optimizer, Loss);
            var run = trainer.Fit(new DataLoader(data, batchSize: 8, shuffle: true, seed: 1), epochs: 10, label: byHand ? "by hand" : "autograd");
            return run.Steps.Select(s => s.Loss).Append(model.weight.item<float>()).Append(model.bias!.item<float>()).ToArray();
        }
        var autograd = Train(false);
        var byHand = Train(true);
        Assert.Equal(autograd.Length, byHand.Length);
        for (int i = 0; i < autograd.Length; i++) Assert.Equal(autograd[i], byHand[i], 5);
        Assert.Equal(3, autograd[^2], 1);
    }

    [Fact]
    public void FitOnAStreamTakesTheGivenNumberOfSteps()
    {
        using var data = Blobs(40, 1);
        using var model = Mlp(0);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
        var trainer = new Trainer(model, optimizer);
        IEnumerable<Batch> Forever() { var loader = new DataLoader(data, batchSize: 10, shuffle: true, seed: 0); while (true) foreach (var b in loader) yield return b; }
        var run = trainer.Fit(Forever(), steps: 11, label: "stream");
        Assert.Equal(11, run.Steps.Count);
        Assert.Single(run.Epochs);
        Assert.Null(run.Epochs[0].ValidationLoss);
        Assert.Equal(11, trainer.GlobalStep);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Forever(), steps: 0));
    }

    [Fact]
    public void ALossThatBlowsUpStopsTrainingWithAdvice()
    {
        using var data = Blobs(20, 1);
        using var model = Mlp(0);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
        var trainer = new Trainer(model, optimizer, (output, target) => output.sum() / 0.0);
        var e = Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch(new DataLoader(data, batchSize: 10)));
        Assert.Contains("diverged", e.Message);
        Assert.Contains("learning rate", e.Message);
    }

    [Fact]
    public void ClippingBoundsTheGradientNormAndTheScheduleStepsPerBatch()
    {
        using var data = Blobs(64, 1);
        using var model = Mlp(0);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.5);
        var trainer = new Trainer(model, optimizer, (output, target) => F.cross_entropy(output, target) * 1000.0)
        {
            MaxGradNorm = 0.25,
            Scheduler = optim.lr_scheduler.StepLR(optimizer, step_size: 2, gamma: 0.5),
        };
        var rates = new List<double>();
        trainer.OnStep = s => rates.Add(s.LearningRate);
        trainer.TrainEpoch(new DataLoader(data, batchSize: 8)); // 8 steps
        Assert.True(trainer.LastGradNorm > 0.25);
        double norm = Math.Sqrt(model.parameters().Sum(p => { using var g = p.grad!; return g.ToArray<float>().Sum(v => (double)v * v); }));
        Assert.InRange(norm, 0.2, 0.2501);
        // the report carries the rate after the step's schedule update: 0.5 · 0.5^⌊step / 2⌋
        Assert.Equal(Enumerable.Range(1, 8).Select(k => 0.5 * Math.Pow(0.5, k / 2)), rates);
        Assert.Equal(8, trainer.GlobalStep);
    }
}

public sealed class TrainerMemoryTests
{
    [Fact]
    public void TrainingAndEvaluationLeaveNoTensorBehind()
    {
        manual_seed(0);
        using var data = new TensorDataset(torch.randn(96, 4), torch.randint(3, [96]));
        using var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3));
        using var optimizer = optim.AdamW(model.parameters());
        var trainer = new Trainer(model, optimizer) { MaxGradNorm = 1 };
        var loader = new DataLoader(data, batchSize: 16, shuffle: true);
        trainer.TrainEpoch(loader); // creates the optimizer state
        optimizer.zero_grad();
        long before = Live();
        trainer.Fit(loader, epochs: 2, validation: loader);
        optimizer.zero_grad();
        Assert.Equal(before, Live());
    }

    private static long Live()
    {
#if TORCHSHARP
        // TorchSharp makes a new wrapper object for every read of a parameter's grad (its zero_grad reads each one) and
        // frees it when the garbage collector finalizes it; those are not tensors the trainer kept
        GC.Collect();
        GC.WaitForPendingFinalizers();
#endif
        return Tensor.LiveCount;
    }
}
