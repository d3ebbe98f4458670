namespace Course.Models;

/// <summary>
/// Tip-Adapter (Zhang et al., ECCV 2022): few-shot classification with a frozen CLIP and a cache of labelled examples.
/// With K labelled images for each of C classes (N = C·K in all):
/// <code>
///   F_train  = normalize(VisualEncoder(I_K))                 keys    [N, D]  (unit rows)
///   Y_train  = OneHot(y)                                     values  [N, C]
///   A        = exp(−β (1 − z F_trainᵀ))                      affinity [B, N] of test embeddings z [B, D]
///   logits   = α A Y_train + s z W_Cᵀ                        [B, C]
/// </code>
/// W_C [C, D] is CLIP's zero-shot classifier: the unit text embeddings of the class prompts (<see cref="ZeroShot"/>).
/// <para>
/// <b>The logit scale s.</b> The course text writes the CLIP term as z W_Cᵀ; the paper multiplies it by 100, CLIP's
/// logit scale. Here s is a constructor argument, and callers pass the model's own learned scale e^t
/// (<see cref="Clip.scale"/>, clamped at 100), so the CLIP term is exactly the logits CLIP was trained with. For
/// predictions s only trades off against α (s = 1 with α/s gives the same argmax), so it fixes the units in which α is
/// read: α = 1 means "one perfectly matching key is worth one unit of CLIP logit". It does matter for Tip-Adapter-F,
/// whose cross-entropy sees the logits' size.
/// </para>
/// <para>
/// <b>Training-free</b> (<see cref="keys"/> frozen): nothing is learned; α and β are chosen on a validation split
/// (<see cref="search"/>). α = 0 is zero-shot CLIP. A key equal to the query gives affinity 1, an orthogonal one e^−β; as
/// β grows the cache term is dominated by the nearest keys (the cache becomes a nearest-neighbour classifier).
/// <b>Tip-Adapter-F</b> (<see cref="fine_tune"/>): the keys become a trainable parameter, initialised from F_train and
/// trained with cross-entropy on the few-shot examples; the values, W_C, s, α, β and the encoders stay frozen. As in the
/// paper, the fine-tuned keys are used as they are (not renormalised).
/// </para>
/// </summary>
public sealed class TipAdapter : nn.Module<Tensor, Tensor>
{
    /// <summary>F_train [N, D]: the few-shot images' unit embeddings. Frozen unless <see cref="fine_tune"/> trains them.</summary>
    public readonly Parameter keys;
    /// <summary>Y_train [N, C]: the one-hot labels of the keys.</summary>
    public readonly Tensor values;
    /// <summary>W_C [C, D]: CLIP's class embeddings (unit rows).</summary>
    public readonly Tensor class_weights;
    /// <summary>s: the factor of CLIP's logits.</summary>
    public double logit_scale { get; }
    /// <summary>α: the weight of the cache's logits (0: zero-shot CLIP).</summary>
    public double alpha { get; set; }
    /// <summary>β: the sharpness of the affinity.</summary>
    public double beta { get; set; }

    /// <param name="features">[N, D] image embeddings of the few-shot examples (normalised here: the keys are unit rows).</param>
    /// <param name="labels">[N] their class ids in [0, C).</param>
    /// <param name="class_weights">[C, D] CLIP's zero-shot classifier W_C.</param>
    /// <param name="logit_scale">s, CLIP's logit scale (pass the model's <c>scale()</c>; the paper uses 100).</param>
    public TipAdapter(Tensor features, Tensor labels, Tensor class_weights, double alpha = 1, double beta = 1, double logit_scale = 100)
        : base(nameof(TipAdapter))
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(class_weights);
        if (features.dim() != 2 || class_weights.dim() != 2 || features.size(1) != class_weights.size(1))
            throw new ArgumentException($"features [{string.Join(", ", features.shape)}] and class weights [{string.Join(", ", class_weights.shape)}] must be [N, D] and [C, D].");
        if (labels.dim() != 1 || labels.size(0) != features.size(0))
            throw new ArgumentException($"labels must be [N] with N = {features.size(0)}, not [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (!(logit_scale > 0)) throw new ArgumentOutOfRangeException(nameof(logit_scale), logit_scale, "the logit scale must be positive.");
        long classes = class_weights.size(0);
        using (var scope = NewDisposeScope())
        {
            var y = labels.to(int64);
            using (var low = y.min()) using (var high = y.max())
                if (low.item<long>() < 0 || high.item<long>() >= classes)
                    throw new ArgumentException($"labels must lie in [0, {classes}) (one per row of the class weights), found {low.item<long>()}..{high.item<long>()}.", nameof(labels));
            values = F.one_hot(y, classes).to(features.dtype).to(features.device).DetachFromDisposeScope();
            this.class_weights = class_weights.detach().to(features.dtype).to(features.device).clone().DetachFromDisposeScope();
        }
        keys = nn.Parameter(F.normalize(features.detach(), dim: -1), requires_grad: false);
        register_buffer(nameof(values), values);
        register_buffer(nameof(this.class_weights), this.class_weights);
        this.logit_scale = logit_scale;
        this.alpha = alpha;
        this.beta = beta;
        RegisterComponents();
    }

    /// <summary>A = exp(−β (1 − z F_trainᵀ)): how much each query [B, D] matches each key, in (0, 1] for unit keys.</summary>
    public Tensor affinity(Tensor z) => (-beta * (1 - z.matmul(keys.t()))).exp();

    /// <summary>A Y_train [B, C]: each class's affinities summed over its keys.</summary>
    public Tensor cache_logits(Tensor z) => affinity(z).matmul(values);

    /// <summary>s z W_Cᵀ [B, C]: zero-shot CLIP's logits.</summary>
    public Tensor clip_logits(Tensor z) => logit_scale * z.matmul(class_weights.t());

    /// <summary>α A Y_train + s z W_Cᵀ for unit image embeddings z [B, D] (<see cref="Clip.encode_image"/>).</summary>
    public override Tensor forward(Tensor z)
    {
        if (z.dim() != 2 || z.size(1) != keys.size(1))
            throw new ArgumentException($"queries must be image embeddings [B, {keys.size(1)}], not [{string.Join(", ", z.shape)}].", nameof(z));
        return alpha * cache_logits(z) + clip_logits(z);
    }

    /// <summary>The predicted class of each query [B], without gradients.</summary>
    public Tensor predict(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return forward(z).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Fraction of queries [B, D] predicted as their labels [B].</summary>
    public double accuracy(Tensor z, Tensor labels)
    {
        using var predicted = predict(z);
        using var targets = labels.to(predicted.device);
        return Metrics.Accuracy(predicted, targets);
    }

    /// <summary>
    /// The (α, β) of the grid with the highest accuracy on the labelled queries z (a validation split), α outer and β
    /// inner, the first best kept on ties. Leaves this adapter's α and β as they were.
    /// </summary>
    public (double Alpha, double Beta, double Accuracy) search(Tensor z, Tensor labels, IEnumerable<double> alphas, IEnumerable<double> betas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        ArgumentNullException.ThrowIfNull(betas);
        var betaGrid = betas.ToArray();
        var (savedAlpha, savedBeta) = (alpha, beta);
        (double Alpha, double Beta, double Accuracy) best = (double.NaN, double.NaN, -1);
        try
        {
            foreach (var a in alphas)
                foreach (var b in betaGrid)
                {
                    (alpha, beta) = (a, b);
                    double accuracy = this.accuracy(z, labels);
                    if (accuracy > best.Accuracy) best = (a, b, accuracy);
                }
        }
        finally { (alpha, beta) = (savedAlpha, savedBeta); }
        if (best.Accuracy < 0) throw new ArgumentException("the search grid is empty: give at least one α and one β.");
        return best;
    }

    /// <summary>
    /// Tip-Adapter-F: makes <see cref="keys"/> trainable and trains them (nothing else) with AdamW on the cross-entropy
    /// of <see cref="forward"/> over the examples (features [M, D] (unit rows) and labels [M]: the few-shot images, or
    /// several augmented views of them), in seeded shuffled mini-batches, with a cosine learning-rate decay to zero.
    /// The keys are frozen again afterwards. Returns each epoch's mean training loss.
    /// </summary>
    public IReadOnlyList<double> fine_tune(Tensor features, Tensor labels, int epochs = 20, double lr = 1e-3, int batchSize = 256,
        double weight_decay = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.size(1) != keys.size(1) || labels.dim() != 1 || labels.size(0) != features.size(0))
            throw new ArgumentException($"fine-tuning needs features [M, {keys.size(1)}] and labels [M], not [{string.Join(", ", features.shape)}] and [{string.Join(", ", labels.shape)}].");
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "train for at least one epoch.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be positive.");
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "the learning rate must be positive.");

        using var x = features.detach().to(keys.dtype).to(keys.device);
        using var y = labels.to(int64).to(keys.device);
        keys.requires_grad = true;
        try
        {
            using var optimizer = optim.AdamW([keys], lr: lr, weight_decay: weight_decay);
            return FeatureEpochs.Run(forward, x, y, optimizer, epochs, batchSize, seed);
        }
        finally
        {
            keys.requires_grad = false;
            keys.grad = null;
        }
    }

#if !TORCHSHARP // TorchSharp's modules have no extra_repr: there the description is the type's name
    public override string extra_repr() =>
        $"keys={keys.size(0)}×{keys.size(1)}, classes={values.size(1)}, alpha={alpha}, beta={beta}, logit_scale={logit_scale}";
#endif
}
