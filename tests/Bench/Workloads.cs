using Torch;
using Torch.Modules;
using static Torch.torch;
using F = Torch.torch.nn.functional;

namespace Course.Bench;

/// <summary>
/// The training steps measured. tests/Bench/engine_bench.py builds the very same models from the
/// very same ops in PyTorch; keep the two files in step.
/// </summary>
internal static class Workloads
{
    /// <summary>A training step and the things it owns.</summary>
    internal sealed record Workload(string Name, string Description, double FlopsPerStep, double TargetRatio, Action Step, IDisposable[] Owned);

    // multiply-adds of the forward pass, times 3 for forward + backward
    private static double Train3(double forwardMacs) => 3 * 2 * forwardMacs;

    // (a) a small MLP: per-op overhead dominates (batch 32, 64-64-64-10, AdamW)
    internal static Workload Mlp()
    {
        var model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10));
        var x = randn(32, 64);
        var y = randint(10, new long[] { 32 });
        return Train("mlp_small", "MLP 64-64-64-10, batch 32, AdamW", Train3(32.0 * (64 * 64 + 64 * 64 + 64 * 10)), 0.95, model, x, y, optim.AdamW(model.parameters(), lr: 1e-3));
    }

    // the MLP of the BLAS-threading measurement (batch 256, 784-512-512-10, SGD)
    internal static Workload Mlp784()
    {
        var model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10));
        var x = randn(256, 784);
        var y = randint(10, new long[] { 256 });
        return Train("mlp_784", "MLP 784-512-512-10, batch 256, SGD", Train3(256.0 * (784 * 512 + 512 * 512 + 512 * 10)), double.NaN, model, x, y, optim.SGD(model.parameters(), learningRate: 0.1));
    }

    // (b) a small CNN on 28x28 images (batch 64, channels_last on both sides)
    internal static Workload Cnn()
    {
        var model = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
        var x = randn(64, 1, 28, 28);
        var y = randint(10, new long[] { 64 });
        return Train("cnn_28x28", "CNN conv16-pool-conv32-pool-fc, batch 64, AdamW", Train3(64.0 * (28 * 28 * 16 * 9 + 14 * 14 * 32 * 9 * 16 + 1568 * 10)), 1.05, model, x, y, optim.AdamW(model.parameters(), lr: 1e-3));
    }

    // (c) a pre-norm transformer encoder block (batch 16, 64 tokens, d 128, 4 heads, MLP 512)
    internal static Workload Transformer()
    {
        var block = new EncoderBlock(128, 4, 512);
        var x = randn(16, 64, 128);
        var target = randn(16, 64, 128);
        var opt = optim.AdamW(block.parameters(), lr: 1e-3);
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            F.mse_loss(block.forward(x), target).backward();
            opt.step();
        }
        return new("transformer_block", "encoder block d128 h4 ff512, 16x64 tokens, AdamW", Train3(16.0 * 64 * (128 * 384 + 128 * 128 + 2 * 128 * 512) + 2.0 * 16 * 64 * 64 * 128), 1.05, Step, new IDisposable[] { block, opt, x, target });
    }

    private static Workload Train(string name, string description, double flops, double target, nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, optim.Optimizer opt)
    {
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            F.cross_entropy(model.forward(x), y).backward();
            opt.step();
        }
        return new(name, description, flops, target, Step, new IDisposable[] { model, opt, x, y });
    }

    // the machine's ceiling: one 2048x2048 float32 matrix product
    internal static Workload Sgemm()
    {
        var a = randn(2048, 2048);
        var b = randn(2048, 2048);
        return new("sgemm_2048", "2048x2048 sgemm (the machine's ceiling)", 2.0 * 2048 * 2048 * 2048, double.NaN,
            () => a.matmul(b).Dispose(), new IDisposable[] { a, b });
    }

    // chapter 5's ViT: 28x28 images in 7x7 patches (16 + 1 tokens), d 64, depth 6, 4 heads, MLP 128, batch 128, AdamW
    internal static Workload Vit()
    {
        var model = new Course.Models.VisionTransformer(image_size: 28, patch_size: 7, in_channels: 1, num_classes: 10,
                                                        d_model: 64, depth: 6, heads: 4, mlp_ratio: 2, dropout: 0);
        var x = randn(128, 1, 28, 28);
        var y = randint(10, new long[] { 128 });
        const double tokens = 128.0 * 17;
        double perBlock = tokens * (4 * 64 * 64 + 2 * 64 * 128) + 2.0 * 128 * 17 * 17 * 64;
        return Train("vit_step", "chapter 5's ViT: patch 7, d 64, depth 6, 4 heads, batch 128, AdamW",
            Train3(128.0 * 16 * 49 * 64 + 6 * perBlock + 128.0 * 64 * 10), 0.70, model, x, y,
            optim.AdamW(model.parameters(), lr: 2e-3, weight_decay: 0.05));
    }

    // chapter 4's character Transformer: 64-character blocks, batch 32, d 128, 4 layers, 4 heads, dropout 0.1, AdamW
    internal static Workload CharTransformer()
    {
        const long vocab = 96;
        var model = new Course.Models.CharTransformer(vocab, block_size: 64, d_model: 128, heads: 4, layers: 4, dropout: 0.1);
        var x = randint(vocab, new long[] { 32, 64 });
        var y = randint(vocab, new long[] { 32, 64 });
        var opt = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.1);
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            F.cross_entropy(model.forward(x).flatten(0, 1), y.flatten()).backward();
            opt.step();
        }
        const double tokens = 32.0 * 64;
        double perBlock = tokens * (4 * 128 * 128 + 2 * 128 * 512) + 2.0 * 32 * 64 * 64 * 128;
        return new("char_transformer_step", "chapter 4's character Transformer: 32x64 characters, d 128, 4 layers, 4 heads, AdamW",
            Train3(4 * perBlock + tokens * 128 * vocab), 0.80, Step, new IDisposable[] { model, opt, x, y });
    }

    // chapter 7's masked-autoencoder encoder: ViT patch 4 (49 patches), d 64, depth 4, 4 heads, MLP 128, batch 128,
    // AdamW; forward + backward + step over the class token and the visible patches: 12 of 49 (mask ratio 0.75,
    // mae_encoder_masked) or all 49 (mae_encoder_full, the same model and shapes). The loss is the mean square of the
    // encoder's output (the decoder is not part of this measurement).
    internal static Workload MaeEncoder(bool masked)
    {
        var encoder = new Course.Models.VisionTransformer(image_size: 28, patch_size: 4, in_channels: 1, num_classes: 10,
                                                          d_model: 64, depth: 4, heads: 4, mlp_ratio: 2, dropout: 0);
        var mae = new Course.Models.MaskedAutoencoder(encoder, decoder_dim: 32, decoder_depth: 1);
        var x = randn(128, 1, 28, 28);
        double ratio = masked ? 0.75 : 0.0;
        var opt = optim.AdamW(encoder.parameters(), lr: 1e-3, weight_decay: 0.05);
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            mae.forward_encoder(x, ratio).latent.square().mean().backward();
            opt.step();
        }
        double tokens = 1 + (masked ? 12 : 49);
        double perBlock = 128.0 * tokens * (4 * 64 * 64 + 2 * 64 * 128) + 2.0 * 128 * tokens * tokens * 64;
        return new(masked ? "mae_encoder_masked" : "mae_encoder_full",
            $"chapter 7's MAE encoder: patch 4, d 64, depth 4, 4 heads, batch 128, AdamW, {(masked ? "12" : "49")} of 49 patches",
            Train3(128.0 * 49 * 16 * 64 + 4 * perBlock), double.NaN, Step, new IDisposable[] { mae, opt, x });
    }

    internal static Workload[] All() => new[] { Mlp(), Mlp784(), Cnn(), Transformer(), Vit(), CharTransformer(), MaeEncoder(masked: true), MaeEncoder(masked: false), Sgemm() };

    internal sealed class EncoderBlock : nn.Module<Tensor, Tensor>
    {
        private readonly long heads;
        public readonly LayerNorm ln1, ln2;
        public readonly Linear qkv, proj, fc1, fc2;

        public EncoderBlock(long d, long heads, long hidden)
        {
            this.heads = heads;
            ln1 = nn.LayerNorm(d); qkv = nn.Linear(d, 3 * d); proj = nn.Linear(d, d);
            ln2 = nn.LayerNorm(d); fc1 = nn.Linear(d, hidden); fc2 = nn.Linear(hidden, d);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            long B = x.size(0), T = x.size(1), D = x.size(2);
            var parts = qkv.forward(ln1.forward(x)).view(B, T, 3, heads, D / heads).permute(2, 0, 3, 1, 4);
            var a = F.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
            x = x + proj.forward(a.transpose(1, 2).reshape(B, T, D));
            x = x + fc2.forward(F.gelu(fc1.forward(ln2.forward(x))));
            return x.MoveToOuterDisposeScope();
        }
    }
}
