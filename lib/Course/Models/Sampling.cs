namespace Course.Models;

/// <summary>
/// Picking the next token from logits: temperature divides the logits (low = greedy, high = random),
/// top-k keeps the k most likely tokens, top-p keeps the smallest set whose probability reaches p.
/// </summary>
public static class Sampling
{
    /// <param name="logits">(B, V)</param>
    /// <returns>(B, 1) token indices</returns>
    public static Tensor Sample(Tensor logits, double temperature = 1.0, long top_k = 0, double top_p = 1.0)
    {
        if (temperature < 0) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be >= 0");
        if (temperature == 0) return logits.argmax(-1, keepdim: true);
        var scaled = logits / temperature;
        if (top_k > 0 && top_k < scaled.size(-1))
        {
            var (values, _) = scaled.topk((int)top_k);
            var kth = values[.., ^1..];
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }
        if (top_p < 1.0)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // drop a token when the tokens before it already reach top_p (the first one always stays)
            var drop = (cumulative - sorted.softmax(-1)) >= top_p;
            var dropInOriginalOrder = zeros_like(drop).scatter(-1, order, drop);
            scaled = scaled.masked_fill(dropInOriginalOrder, double.NegativeInfinity);
        }
        return scaled.softmax(-1).multinomial(1);
    }
}
