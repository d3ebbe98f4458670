namespace Models.Tests;

/// <summary>
/// The Transformer models' initialisation (TransformerInit): every linear and embedding weight N(0, 0.02), every linear
/// bias zero, on either backend. The MAE's decoder once kept TorchSharp's default initialisation there (TorchSharp's
/// modules() leaves the module itself out, and a ModuleList lists nothing until its parent registers it).
/// </summary>
public class TransformerInitTests
{
    public static TheoryData<string> Models() => new() { "vit", "mae", "gpt", "seq2seq", "bert", "clip text" };

    private static nn.Module Make(string name)
    {
        manual_seed(0);
        VisionTransformer Vit() => new(image_size: 28, patch_size: 4, d_model: 32, depth: 2, heads: 4, mlp_ratio: 2, dropout: 0);
        return name switch
        {
            "vit" => Vit(),
            "mae" => new MaskedAutoencoder(Vit(), decoder_dim: 32, decoder_depth: 2, decoder_heads: 4),
            "gpt" => new CharTransformer(vocab: 40, block_size: 16, d_model: 32, heads: 4, layers: 2),
            "seq2seq" => new Seq2SeqTransformer(src_vocab: 30, tgt_vocab: 30, d_model: 32, heads: 4, layers: 2, hidden: 64),
            "bert" => new Bert(vocab: 40, block_size: 16, d_model: 32, heads: 4, layers: 2),
            "clip text" => new ClipTextEncoder(vocab: 40, width: 32, layers: 2, heads: 4),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void LinearWeightsAreSmallGaussiansAndTheirBiasesZero(string name)
    {
        using var model = Make(name);
        int linears = 0;
        foreach (var (path, p) in model.named_parameters())
        {
            if (path.Contains("patch_embed") || path.Contains("norm") || path.Contains("ln")) continue;   // a convolution, LayerNorms
            if (path.EndsWith(".bias", StringComparison.Ordinal))
                Assert.True(p.abs().max().ToDouble() == 0, $"{name}: {path} is not zero");
            else if (p.dim() == 2 && p.numel() >= 256)
            {
                double std = p.std().ToDouble(), mean = p.mean().ToDouble();
                // N(0, 0.02) sampled ≥ 256 times: the sample std within 15 % of 0.02 and the mean within 4 standard errors
                Assert.True(Math.Abs(std - 0.02) < 0.003, $"{name}: {path} has std {std}");
                Assert.True(Math.Abs(mean) < 4 * 0.02 / Math.Sqrt(p.numel()), $"{name}: {path} has mean {mean}");
                linears++;
            }
        }
        Assert.True(linears >= 6, $"{name}: only {linears} weight matrices checked");
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsOnBothBackends()
    {
        // PyTorch's order (each module, then its children in turn) consumes the generator the same way on both
        // backends; the sums were measured on the course binding, and TorchSharp gives them too
        using var mae = (MaskedAutoencoder)Make("mae");
        var sums = mae.named_parameters().ToDictionary(p => p.Item1, p => p.Item2.sum().ToDouble());
        Assert.Equal(-0.157796368, sums["encoder.blocks.0.attn.q_proj.weight"], 5);
        Assert.Equal(-1.446594238, sums["decoder_blocks.1.mlp.fc2.weight"], 5);
    }
}
