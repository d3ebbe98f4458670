namespace Course;

/// <summary>
/// BERT's masking rule for masked-language-model pretraining. Each eligible position is <b>selected</b> with
/// probability 15%, independently. A selected position is replaced by the mask token with probability 80%, by a
/// random token with probability 10%, and left as it is with probability 10%; the model must predict the original
/// token at every selected position, and only there: the labels hold the original token at selected positions and
/// <see cref="IgnoreIndex"/> everywhere else. (The random and unchanged cases keep the model from learning that only
/// mask tokens need predicting, since the mask token never occurs when the model is used.) Draws come from libtorch's
/// generator, so <c>torch.manual_seed</c> fixes them.
/// <code>
/// var (inputs, labels) = MaskedLanguageModeling.Mask(batch.x, maskId: vocab - 1, randomLow: 4, randomHigh: vocab - 1);
/// var loss = bert.loss(inputs, labels);
/// </code>
/// </summary>
public static class MaskedLanguageModeling
{
    /// <summary>The label of a position that is not predicted (what cross-entropy's ignore_index skips).</summary>
    public const long IgnoreIndex = -100;

    /// <param name="tokens">(B, T) int64 token ids</param>
    /// <param name="maskId">the id of the mask token</param>
    /// <param name="randomLow">random replacements are drawn uniformly from ids randomLow .. randomHigh − 1 (the ordinary tokens)</param>
    /// <param name="randomHigh">see randomLow</param>
    /// <param name="eligible">(B, T) bool, true where a position may be selected (not padding or a special token); null: all</param>
    /// <param name="probability">the chance that an eligible position is selected (BERT: 0.15)</param>
    /// <param name="maskFraction">the share of selected positions replaced by the mask token (BERT: 0.8)</param>
    /// <param name="randomFraction">the share of selected positions replaced by a random token (BERT: 0.1); the rest stay</param>
    /// <returns>the masked inputs (B, T) and the labels (B, T): the original token where selected, <see cref="IgnoreIndex"/> elsewhere</returns>
    public static (Tensor Inputs, Tensor Labels) Mask(Tensor tokens, long maskId, long randomLow, long randomHigh, Tensor? eligible = null,
                                                       double probability = 0.15, double maskFraction = 0.8, double randomFraction = 0.1)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.dtype != ScalarType.Int64) throw new ArgumentException($"tokens must be int64 ids, not {tokens.dtype}.", nameof(tokens));
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "the selection probability is in [0, 1].");
        if (!(maskFraction >= 0 && randomFraction >= 0 && maskFraction + randomFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(maskFraction), $"the mask ({maskFraction}) and random ({randomFraction}) shares must be ≥ 0 and add up to at most 1.");
        if (randomHigh <= randomLow) throw new ArgumentOutOfRangeException(nameof(randomHigh), randomHigh, $"random tokens need an id range randomLow ({randomLow}) .. randomHigh − 1 that is not empty.");
        if (eligible is not null && (eligible.dtype != ScalarType.Bool || !eligible.shape.SequenceEqual(tokens.shape)))
            throw new ArgumentException($"eligible must be a bool tensor of the tokens' shape [{string.Join(", ", tokens.shape)}], not {eligible.dtype} [{string.Join(", ", eligible.shape)}].", nameof(eligible));

        using var scope = NewDisposeScope();
        var shape = tokens.shape;
        var selected = rand(shape, device: tokens.device) < probability;
        if (eligible is not null) selected = selected & eligible;
        var u = rand(shape, device: tokens.device);
        var toMask = selected & (u < maskFraction);
        var toRandom = selected & (u >= maskFraction) & (u < maskFraction + randomFraction);
        var inputs = where(toRandom, randint(randomLow, randomHigh, shape, int64, tokens.device), tokens.masked_fill(toMask, maskId));
        var labels = tokens.masked_fill(~selected, IgnoreIndex);
        return (inputs.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
