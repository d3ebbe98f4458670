using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Course.Bench.TorchSharp;

/// <summary>
/// The training steps of tests/Bench/Workloads.cs (and engine_bench.py) written as a TorchSharp user would: the same
/// models, shapes, optimizers and losses, one dispose scope per step, gradients set to none (as the C# column does).
/// TorchSharp's optimizers update one parameter at a time (no foreach variant). Its AdamW defaults to weight_decay 0,
/// PyTorch's and the course's to 0.01: the value is passed wherever the other columns use the default.
/// Attention is TorchSharp's F.scaled_dot_product_attention (libtorch 2.10's fused CPU kernel, or its composition when
/// the kernel does not apply), as the course's own models call it. Convolutions get channels_last inputs and weights,
/// except with one input channel, exactly as the other two columns. Keep the three files in step.
/// </summary>
internal static class Workloads
{
    internal sealed record Made(Action Step, IDisposable[] Owned);

    internal static readonly (string Name, Func<Made> Make)[] All =
    {
        ("mlp_small", Mlp), ("mlp_784", Mlp784), ("cnn_28x28", Cnn), ("transformer_block", Transformer),
        ("vit_step", Vit), ("char_transformer_step", CharTransformerStep), ("sgemm_2048", Sgemm),
    };

    private static Made Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, optim.Optimizer opt, Func<Tensor, Tensor, Tensor> loss)
    {
        void Step()
        {
            using var scope = NewDisposeScope();
            model.zero_grad(set_to_none: true);   // TorchSharp's Optimizer.zero_grad() has no set_to_none; the module's has
            loss(model.forward(x), y).backward();
            opt.step();
        }
        return new(Step, new IDisposable[] { model, opt, x, y });
    }

    private static Made Classify(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, optim.Optimizer opt) =>
        Train(model, x, y, opt, (logits, target) => F.cross_entropy(logits, target));

    // (a) a small MLP: per-op overhead dominates (batch 32, 64-64-64-10, AdamW)
    private static Made Mlp()
    {
        var model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10));
        return Classify(model, randn(32, 64), randint(10, new long[] { 32 }), optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.01));
    }

    // the MLP of the BLAS-threading measurement (batch 256, 784-512-512-10, SGD)
    private static Made Mlp784()
    {
        var model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10));
        return Classify(model, randn(256, 784), randint(10, new long[] { 256 }), optim.SGD(model.parameters(), 0.1));
    }

    // (b) a small CNN on 28x28 images (batch 64, channels_last)
    private static Made Cnn()
    {
        var conv1 = nn.Conv2d(1, 16, 3, padding: 1);
        var conv2 = ChannelsLastWeight(nn.Conv2d(16, 32, 3, padding: 1));   // one input channel stays NCHW (see above)
        var model = nn.Sequential(
            new ChannelsLast(), conv1, nn.ReLU(), nn.MaxPool2d(2),
            conv2, nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
        return Classify(model, randn(64, 1, 28, 28), randint(10, new long[] { 64 }), optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.01));
    }

    // (c) a pre-norm transformer encoder block (batch 16, 64 tokens, d 128, 4 heads, MLP 512)
    private static Made Transformer()
    {
        var block = new EncoderBlock(128, 4, 512);
        return Train(block, randn(16, 64, 128), randn(16, 64, 128), optim.AdamW(block.parameters(), lr: 1e-3, weight_decay: 0.01),
                     (output, target) => F.mse_loss(output, target));
    }

    // chapter 5's ViT: 28x28 images in 7x7 patches (16 + 1 tokens), d 64, depth 6, 4 heads, MLP 128, batch 128, AdamW
    private static Made Vit()
    {
        var model = new VisionTransformer();
        return Classify(model, randn(128, 1, 28, 28), randint(10, new long[] { 128 }),
                        optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 0.05));
    }

    // chapter 4's character Transformer: 64-character blocks, batch 32, d 128, 4 layers, 4 heads, dropout 0.1, AdamW
    private static Made CharTransformerStep()
    {
        const long vocab = 96;
        var model = new CharTransformer(vocab);
        return Train(model, randint(vocab, new long[] { 32, 64 }), randint(vocab, new long[] { 32, 64 }),
                     optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.1),
                     (logits, y) => F.cross_entropy(logits.flatten(0, 1), y.flatten()));
    }

    // the machine's ceiling: one 2048x2048 float32 matrix product
    private static Made Sgemm()
    {
        var a = randn(2048, 2048);
        var b = randn(2048, 2048);
        return new(() => a.matmul(b).Dispose(), new IDisposable[] { a, b });
    }

    private static Conv2d ChannelsLastWeight(Conv2d conv)
    {
        using var _ = no_grad();
        conv.weight = new Parameter(ToChannelsLast(conv.weight!));
        return conv;
    }

    // TorchSharp 0.107 has torch.memory_format but no call that takes it (no contiguous(memory_format)), so the
    // channels_last layout is made from strides: NHWC in memory, seen as NCHW. libtorch picks its convolution
    // kernels from the strides, so this is what x.contiguous(memory_format=torch.channels_last) gives in PyTorch.
    private static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Makes its input channels_last, as the course's Conv2d does with CPU inputs.</summary>
    internal sealed class ChannelsLast : nn.Module<Tensor, Tensor>
    {
        public ChannelsLast() : base(nameof(ChannelsLast)) { }
        public override Tensor forward(Tensor x) => ToChannelsLast(x);
    }

    /// <summary>tests/Bench/Workloads.cs's EncoderBlock: one qkv projection, fused attention, GELU MLP.</summary>
    internal sealed class EncoderBlock : nn.Module<Tensor, Tensor>
    {
        private readonly long heads;
        private readonly LayerNorm ln1, ln2;
        private readonly Linear qkv, proj, fc1, fc2;

        public EncoderBlock(long d, long heads, long hidden) : base(nameof(EncoderBlock))
        {
            this.heads = heads;
            ln1 = nn.LayerNorm(d); qkv = nn.Linear(d, 3 * d); proj = nn.Linear(d, d);
            ln2 = nn.LayerNorm(d); fc1 = nn.Linear(d, hidden); fc2 = nn.Linear(hidden, d);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            long B = x.size(0), T = x.size(1), D = x.size(2);
            var parts = qkv.forward(ln1.forward(x)).view(B, T, 3, heads, D / heads).permute(2, 0, 3, 1, 4);
            var a = F.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
            x = x + proj.forward(a.transpose(1, 2).reshape(B, T, D));
            return x + fc2.forward(F.gelu(fc1.forward(ln2.forward(x))));
        }
    }

    /// <summary>lib/Course/Models/Attention.cs's MultiHeadAttention (self-attention only).</summary>
    internal sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
    {
        private readonly long heads;
        private readonly double dropout;
        private readonly bool causal;
        private readonly Linear q_proj, k_proj, v_proj, out_proj;

        public MultiHeadAttention(long d_model, long heads, double dropout, bool causal) : base(nameof(MultiHeadAttention))
        {
            this.heads = heads; this.dropout = dropout; this.causal = causal;
            q_proj = nn.Linear(d_model, d_model); k_proj = nn.Linear(d_model, d_model);
            v_proj = nn.Linear(d_model, d_model); out_proj = nn.Linear(d_model, d_model);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var attended = F.scaled_dot_product_attention(split_heads(q_proj.forward(x)), split_heads(k_proj.forward(x)),
                                                          split_heads(v_proj.forward(x)), p: training ? dropout : 0, is_casual: causal);
            return out_proj.forward(attended.transpose(1, 2).flatten(2));
        }

        // (B, T, D) → (B, h, T, d_k)
        private Tensor split_heads(Tensor x) => x.view(x.size(0), x.size(1), heads, -1).transpose(1, 2);
    }

    /// <summary>lib/Course/Models/Attention.cs's EncoderBlock: pre-norm, GELU MLP, dropout.</summary>
    internal sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly double dropout;
        private readonly LayerNorm ln1, ln2;
        private readonly MultiHeadAttention attn;
        private readonly Linear fc1, fc2;

        public Block(long d_model, long heads, long hidden, double dropout, bool causal) : base(nameof(Block))
        {
            this.dropout = dropout;
            ln1 = nn.LayerNorm(d_model); attn = new MultiHeadAttention(d_model, heads, dropout, causal);
            ln2 = nn.LayerNorm(d_model); fc1 = nn.Linear(d_model, hidden); fc2 = nn.Linear(hidden, d_model);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            x = x + F.dropout(attn.forward(ln1.forward(x)), dropout, training);
            return x + F.dropout(fc2.forward(F.gelu(fc1.forward(ln2.forward(x)))), dropout, training);
        }
    }

    /// <summary>lib/Course/Models/VisionTransformer.cs with chapter 5's settings (patch 7, d 64, depth 6, 4 heads, MLP 128).</summary>
    internal sealed class VisionTransformer : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d patch_embed;
        private readonly Parameter cls_token, pos_embed;
        private readonly Sequential blocks;
        private readonly LayerNorm norm;
        private readonly Linear head;
        private readonly ChannelsLast channels_last_input = new();

        public VisionTransformer(long patch = 7, long d = 64, long depth = 6, long heads = 4, long mlp_ratio = 2) : base(nameof(VisionTransformer))
        {
            patch_embed = nn.Conv2d(1, d, patch, stride: patch);
            cls_token = new Parameter(zeros(1, 1, d));
            pos_embed = new Parameter(randn(1, (28 / patch) * (28 / patch) + 1, d) * 0.02);
            blocks = nn.Sequential(Enumerable.Range(0, (int)depth).Select(_ => (nn.Module<Tensor, Tensor>)new Block(d, heads, mlp_ratio * d, 0.0, false)).ToArray());
            norm = nn.LayerNorm(d); head = nn.Linear(d, 10);
            RegisterComponents();
        }

        public override Tensor forward(Tensor images)
        {
            var patches = patch_embed.forward(channels_last_input.forward(images)).flatten(2).transpose(1, 2);
            var x = cat(new[] { cls_token.expand(images.size(0), -1, -1), patches }, 1) + pos_embed;
            return head.forward(norm.forward(blocks.forward(x)).select(1, 0));
        }
    }

    /// <summary>lib/Course/Models/Transformer.cs's CharTransformer (block 64, d 128, 4 layers, 4 heads, dropout 0.1).</summary>
    internal sealed class CharTransformer : nn.Module<Tensor, Tensor>
    {
        private readonly double dropout;
        private readonly Embedding token_embed, position_embed;
        private readonly Sequential blocks;
        private readonly LayerNorm norm;
        private readonly Linear head;

        public CharTransformer(long vocab, long block_size = 64, long d = 128, long heads = 4, long layers = 4, double dropout = 0.1) : base(nameof(CharTransformer))
        {
            this.dropout = dropout;
            token_embed = nn.Embedding(vocab, d); position_embed = nn.Embedding(block_size, d);
            blocks = nn.Sequential(Enumerable.Range(0, (int)layers).Select(_ => (nn.Module<Tensor, Tensor>)new Block(d, heads, 4 * d, dropout, true)).ToArray());
            norm = nn.LayerNorm(d); head = nn.Linear(d, vocab);
            RegisterComponents();
        }

        public override Tensor forward(Tensor idx)
        {
            var x = token_embed.forward(idx) + position_embed.forward(arange(idx.size(1)));
            return head.forward(norm.forward(blocks.forward(F.dropout(x, dropout, training))));
        }
    }
}
