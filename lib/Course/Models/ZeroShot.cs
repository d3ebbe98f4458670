namespace Course.Models;

/// <summary>
/// Zero-shot classification with a CLIP model: each class is described by one or more prompts ("a photo of a bag",
/// "a picture of a purse"); the class's embedding is the mean of its prompts' unit text embeddings, normalised again
/// (prompt ensembling); an image is given the class whose embedding is most similar to its own.
/// </summary>
public static class ZeroShot
{
    /// <summary>
    /// The unit text embeddings of each class's prompts, [P_c, D] per class → the class embeddings [C, D]: each the
    /// normalised mean of its rows.
    /// </summary>
    public static Tensor Ensemble(IReadOnlyList<Tensor> promptEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(promptEmbeddings);
        if (promptEmbeddings.Count == 0) throw new ArgumentException("zero-shot classification needs at least one class.", nameof(promptEmbeddings));
        for (int c = 0; c < promptEmbeddings.Count; c++)
            if (promptEmbeddings[c].dim() != 2 || promptEmbeddings[c].size(0) == 0)
                throw new ArgumentException($"class {c}'s prompt embeddings must be [prompts ≥ 1, D], not [{string.Join(", ", promptEmbeddings[c].shape)}].", nameof(promptEmbeddings));
        return F.normalize(stack(promptEmbeddings.Select(e => e.mean([0])).ToArray()), dim: -1);
    }

    /// <summary>The class embeddings [C, D] of a model for these prompts (token ids [P_c, L] per class), without gradients.</summary>
    public static Tensor ClassEmbeddings(Clip model, IReadOnlyList<Tensor> promptTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(promptTokens);
        using var _ = no_grad();
        return Ensemble(promptTokens.Select(model.encode_text).ToArray());
    }

    /// <summary>Unit image embeddings [N, D] and class embeddings [C, D] → the predicted class of each image [N].</summary>
    public static Tensor Predict(Tensor imageEmbeddings, Tensor classEmbeddings)
    {
        if (imageEmbeddings.dim() != 2 || classEmbeddings.dim() != 2 || imageEmbeddings.size(1) != classEmbeddings.size(1))
            throw new ArgumentException($"image embeddings [{string.Join(", ", imageEmbeddings.shape)}] and class embeddings [{string.Join(", ", classEmbeddings.shape)}] must be [N, D] and [C, D].");
        return imageEmbeddings.matmul(classEmbeddings.t()).argmax(1);
    }
}
