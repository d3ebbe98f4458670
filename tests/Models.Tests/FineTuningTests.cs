using Course.FineTuning;

namespace Models.Tests;

/// <summary>
/// The fine-tuning pieces: LoRA against a case worked by hand, B = 0 giving the base model bit for bit, merging and
/// unloading, freezing (frozen parameters get no gradient and do not move), trainable counts against the formulas, and
/// visual prompt tuning (shallow and deep) against the recipe written out step by step.
/// </summary>
public class FineTuningTests
{
    private static VisionTransformer SmallVit(int seed = 0, long depth = 2)
    {
        manual_seed(seed);
        return new VisionTransformer(image_size: 28, patch_size: 7, d_model: 8, depth: depth, heads: 2, mlp_ratio: 2, dropout: 0);
    }

    private static Tensor Images(int seed, long n = 3)
    {
        manual_seed(seed);
        return randn(new[] { n, 1L, 28, 28 });
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);

    [Fact]
    public void LoraLayerMatchesTheHandWorkedCase()
    {
        using var scope = NewDisposeScope();
        // W = [[1, 2, 0], [0, 1, -1]], b = [0.5, -1], A = [[1, 0, 2]], B = [[3], [-1]], r = 1, α = 2, x = [1, -1, 2]:
        // W x + b = [-0.5, -4]; A x = 5; (α/r) B (A x) = 2 · [15, -5] = [30, -10]; h = [29.5, -14]
        var linear = nn.Linear(3, 2);
        using (no_grad())
        {
            linear.weight.copy_(tensor(new double[] { 1, 2, 0, 0, 1, -1 }, new long[] { 2, 3 }));
            linear.bias!.copy_(tensor(new double[] { 0.5, -1 }));
        }
        var lora = new LoRALinear(linear, r: 1, lora_alpha: 2);
        using (no_grad())
        {
            lora.lora_A.copy_(tensor(new double[] { 1, 0, 2 }, new long[] { 1, 3 }));
            lora.lora_B.copy_(tensor(new double[] { 3, -1 }, new long[] { 2, 1 }));
        }
        var x = tensor(new float[] { 1, -1, 2 }, new long[] { 1, 3 });
        Assert.Equal(2.0, lora.scaling);
        Assert.Equal(new float[] { 29.5f, -14f }, lora.forward(x).ToArray<float>());
        // ΔW = 2 B A = [[6, 0, 12], [-2, 0, -4]]
        Assert.Equal(new float[] { 6, 0, 12, -2, 0, -4 }, lora.delta_weight().ToArray<float>());
        lora.merge();
        Assert.Equal(new float[] { 7, 2, 12, -2, 1, -5 }, lora.weight.ToArray<float>());
        Assert.Equal(new float[] { 29.5f, -14f }, lora.forward(x).ToArray<float>());
        Assert.Throws<InvalidOperationException>(() => lora.merge());
        lora.unmerge();
        Assert.Equal(new float[] { 1, 2, 0, 0, 1, -1 }, lora.weight.ToArray<float>());
        Assert.Throws<InvalidOperationException>(() => lora.unmerge());
    }

    [Fact]
    public void LoraLayerSharesAndFreezesTheBaseWeights()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var linear = nn.Linear(16, 4);
        var lora = new LoRALinear(linear, r: 2, lora_alpha: 4);
        Assert.Same(linear.weight, lora.weight);
        Assert.Same(linear.bias, lora.bias);
        Assert.False(lora.weight.requires_grad);
        Assert.False(lora.bias!.requires_grad);
        Assert.True(lora.lora_A.requires_grad && lora.lora_B.requires_grad);
        Assert.Equal(new long[] { 2, 16 }, lora.lora_A.shape);
        Assert.Equal(new long[] { 4, 2 }, lora.lora_B.shape);
        Assert.Equal(0f, lora.lora_B.abs().max().item<float>());
        // A ~ N(0, 1/in): the standard deviation of 32 draws is near 1/4 (seeded: within 40%)
        var std = lora.lora_A.std().item<float>();
        Assert.InRange(std, 0.15f, 0.35f);
        Assert.Same(linear, lora.base_layer);
        Assert.Equal(new[] { "lora_A", "lora_B", "base_layer.weight", "base_layer.bias" }, lora.named_parameters().Select(p => p.name));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoRALinear(nn.Linear(4, 4), r: 0));
    }

    [Fact]
    public void LoraWithBZeroIsTheBaseModelBitForBit()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        vit.eval();
        var x = Images(1);
        var before = vit.forward(x);
        var names = Lora.Inject(vit, new[] { "q_proj", "v_proj" }, r: 4, lora_alpha: 8);
        Assert.Equal(new[] { "blocks.0.attn.q_proj", "blocks.1.attn.q_proj", "blocks.0.attn.v_proj", "blocks.1.attn.v_proj" }, names);
        Assert.IsType<LoRALinear>(vit.blocks[1].attn.q_proj);
        Assert.IsType<Linear>(vit.blocks[1].attn.k_proj);
        Assert.True(Same(vit.forward(x), before));
    }

    [Fact]
    public void InjectKeepsEveryLayerInItsPlaceAndRefusesAFieldTypedLinear()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        var before = vit.named_modules().Select(m => m.name).ToList();
        Lora.Inject(vit, new[] { "v_proj" }, r: 2);
        // the LoRA layer sits where v_proj was, its base_layer under it, and the attention's children keep their order
        // (named_modules' order differs between the backends: depth first here, a level at a time in TorchSharp)
        var expected = before.SelectMany(n => n.EndsWith(".v_proj", StringComparison.Ordinal) ? new[] { n, n + ".base_layer" } : new[] { n });
        Assert.Equal(expected.Order(StringComparer.Ordinal), vit.named_modules().Select(m => m.name).Order(StringComparer.Ordinal));
        Assert.All(vit.blocks, b => Assert.Equal(new[] { "q_proj", "k_proj", "v_proj", "out_proj" }, b.attn.named_children().Select(c => c.name)));
        var v = (LoRALinear)vit.get_submodule("blocks.1.attn.v_proj");
        Assert.Same(v, vit.blocks[1].attn.v_proj);                                                  // the field the forward reads
        Assert.Contains(v.lora_A, vit.parameters());
        // the head is a field typed Linear: refused, naming it, and nothing else is replaced either
        var e = Assert.Throws<ArgumentException>(() => Lora.Inject(vit, new[] { "q_proj", "head" }, r: 2));
        Assert.Contains("'head'", e.Message);
        Assert.Contains("Linear", e.Message);
        Assert.All(vit.blocks, b => Assert.IsType<Linear>(b.attn.q_proj));
        Assert.Equal(2, Lora.Layers(vit).Count());
    }

    [Fact]
    public void InjectRejectsATargetThatMatchesNothing()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        var e = Assert.Throws<ArgumentException>(() => Lora.Inject(vit, new[] { "query" }, r: 2));
        Assert.Contains("'query'", e.Message);
        Assert.Empty(Lora.Layers(vit));
        Assert.Throws<ArgumentException>(() => Lora.Inject(vit, Array.Empty<string>(), r: 2));
        // a glob picks layers by position
        Assert.Equal(new[] { "blocks.1.attn.v_proj" }, Lora.Inject(vit, new[] { "blocks.1.*.v_proj" }, r: 2));
    }

    [Fact]
    public void MergedModelGivesTheUnmergedOutputs()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        Lora.Inject(vit, new[] { "q_proj", "v_proj", "fc1" }, r: 2, lora_alpha: 4);
        manual_seed(5);
        using (no_grad()) foreach (var (_, l) in Lora.Layers(vit)) l.lora_B.normal_(0, 0.5);   // as if trained
        vit.eval();
        var x = Images(2);
        var unmerged = vit.forward(x);
        var weights = Lora.Layers(vit).Select(l => l.layer.weight.clone()).ToList();
        Lora.Merge(vit);
        Assert.All(Lora.Layers(vit), l => Assert.True(l.layer.merged));
        var merged = vit.forward(x);
        Assert.True((merged - unmerged).abs().max().item<float>() < 1e-5, "merged outputs differ from unmerged ones");
        Assert.False(Same(merged, SmallVit().forward(x)), "the update must change the model");
        Lora.Unmerge(vit);
        foreach (var ((_, l), w) in Lora.Layers(vit).Zip(weights))
            Assert.True((l.weight - w).abs().max().item<float>() < 1e-6, "unmerge must restore W");
        Assert.True((vit.forward(x) - unmerged).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void MergeAndUnloadSavesAPlainCheckpoint()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder("lora");
        var vit = SmallVit();
        Lora.Inject(vit, new[] { "q_proj", "v_proj" }, r: 2, lora_alpha: 2);
        manual_seed(6);
        using (no_grad()) foreach (var (_, l) in Lora.Layers(vit)) l.lora_B.normal_(0, 0.5);
        vit.eval();
        var x = Images(3);
        var adapted = vit.forward(x);
        Lora.MergeAndUnload(vit);
        Assert.Empty(Lora.Layers(vit));
        Assert.Equal(typeof(Linear), vit.blocks[0].attn.q_proj.GetType());
        Assert.DoesNotContain(vit.state_dict().Keys, k => k.Contains("lora_"));
        Assert.True((vit.forward(x) - adapted).abs().max().item<float>() < 1e-5);

        vit.save_safetensors(folder.File("merged.safetensors"));
        var fresh = SmallVit(seed: 9);
        fresh.load_safetensors(folder.File("merged.safetensors"));                                         // strict: same names and shapes
        fresh.eval();
        Assert.True((fresh.forward(x) - adapted).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void FrozenParametersGetNoGradientAndDoNotMove()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        Assert.Equal(vit.named_parameters().Count(), Freezing.Freeze(vit));
        Lora.Inject(vit, new[] { "q_proj", "v_proj" }, r: 2, lora_alpha: 4);
        Freezing.Unfreeze(vit, "head.*");
        var trainable = vit.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.All(trainable, n => Assert.True(n.Contains("lora_") || n.StartsWith("head.", StringComparison.Ordinal), n));
        Assert.Equal(2 * 2 * 2 + 2, trainable.Count);                                            // A and B of 4 layers, head weight and bias

        var before = vit.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var opt = optim.AdamW(Freezing.Trainable(vit), lr: 1e-2);
        manual_seed(7);
        var (x, y) = (randn(new long[] { 4, 1, 28, 28 }), tensor(new long[] { 0, 3, 5, 9 }));
        for (int step = 0; step < 3; step++)
        {
            opt.zero_grad();
            F.cross_entropy(vit.forward(x), y).backward();
            foreach (var (name, p) in vit.named_parameters())
                Assert.True(p.requires_grad == (p.grad is not null), $"{name}: requires_grad {p.requires_grad}, grad {(p.grad is null ? "none" : "set")}");
            opt.step();
        }
        foreach (var (name, t) in vit.state_dict())
        {
            bool moved = !Same(t, before[name]);
            bool learns = trainable.Contains(name);
            // B starts at 0 and A's gradient is B-weighted, so A moves from the second step on; all trainable ones move
            Assert.True(moved == learns, $"{name}: {(moved ? "moved" : "stayed")} but {(learns ? "trainable" : "frozen")}");
        }
        // Adam keeps two moments per trainable element, float32
        var (trainableCount, _) = Freezing.CountParameters(vit);
        Assert.Equal(2 * 4 * trainableCount, opt.StateBytes);
    }

    [Fact]
    public void TrainableCountsMatchTheFormulas()
    {
        using var scope = NewDisposeScope();
        const long d = 8, depth = 3, classes = 10, r = 4;
        var vit = SmallVit(depth: depth);
        long total = vit.num_parameters();
        // per block: LN 2·2d, attention 4(d² + d), MLP d·2d + 2d + 2d·d + d; plus patch embedding, class token, positions, LN, head
        long block = 2 * 2 * d + 4 * (d * d + d) + (d * 2 * d + 2 * d) + (2 * d * d + d);
        long head = d * classes + classes;
        Assert.Equal(d * 49 + d + d + 17 * d + depth * block + 2 * d + head, total);

        Freezing.Freeze(vit);
        Freezing.Unfreeze(vit, "head.*");
        Assert.Equal((head, total), Freezing.CountParameters(vit));

        Lora.Inject(vit, new[] { "q_proj", "v_proj" }, r: r);
        long lora = depth * 2 * (r * d + d * r);                                                  // A: r×d, B: d×r, two matrices a block
        Assert.Equal((head + lora, total + lora), Freezing.CountParameters(vit));
        // per matrix the update costs 2rd against d²: 2r/d of it
        var q = (LoRALinear)vit.blocks[0].attn.q_proj;
        Assert.Equal(2.0 * r / d, (double)(q.lora_A.numel() + q.lora_B.numel()) / q.weight.numel());

        var vpt = new VisualPromptTuning(SmallVit(depth: depth), num_prompts: 5, deep: true);
        Freezing.Freeze(vpt);
        Freezing.Unfreeze(vpt, "prompts", "vit.head.*");
        Assert.Equal(depth * 5 * d + head, Freezing.CountParameters(vpt).trainable);
        var shallow = new VisualPromptTuning(SmallVit(depth: depth), num_prompts: 5, deep: false);
        Assert.Equal(new[] { 1L, 5, d }, shallow.prompts.shape);
    }

    [Fact]
    public void FreezeRejectsAPatternThatMatchesNothing()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit();
        var e = Assert.Throws<ArgumentException>(() => Freezing.Freeze(vit, "heads.*"));
        Assert.Contains("'heads.*'", e.Message);
        Assert.All(vit.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(2, Freezing.Freeze(vit, "blocks.0.attn.q_proj.*"));
        Assert.Equal(1, Freezing.Freeze(vit, "cls_token"));
    }

    // The recipe written out by hand: [x₀, P₀, E₀] into the first block; deep VPT replaces the prompt positions before
    // every later block, shallow VPT carries them on.
    private static Tensor ByHand(VisualPromptTuning vpt, Tensor images)
    {
        var vit = vpt.vit;
        long p = vpt.num_prompts, b = images.size(0);
        var x = vit.embed(images);
        var cls = x.narrow(1, 0, 1);
        var patches = x.narrow(1, 1, x.size(1) - 1);
        x = cat(new[] { cls, vpt.prompts[0].unsqueeze(0).expand(b, -1, -1), patches }, 1);
        for (int i = 0; i < vit.blocks.Count; i++)
        {
            if (i > 0 && vpt.deep)
                x = cat(new[] { x.narrow(1, 0, 1), vpt.prompts[i].unsqueeze(0).expand(b, -1, -1), x.narrow(1, 1 + p, x.size(1) - 1 - p) }, 1);
            Assert.Equal(1 + p + vit.num_patches, x.size(1));
            x = vit.blocks[i].forward(x);
        }
        return vit.head.forward(vit.norm.forward(x).select(1, 0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PromptTuningFollowsTheRecipe(bool deep)
    {
        using var scope = NewDisposeScope();
        var vpt = new VisualPromptTuning(SmallVit(depth: 3), num_prompts: 4, deep: deep);
        vpt.eval();
        var x = Images(4, n: 2);
        Assert.Equal(new[] { deep ? 3L : 1, 4, 8 }, vpt.prompts.shape);
        Assert.True(Same(vpt.forward(x), ByHand(vpt, x)));
    }

    [Fact]
    public void DeepPromptsReachEveryLayer()
    {
        using var scope = NewDisposeScope();
        var vpt = new VisualPromptTuning(SmallVit(depth: 3), num_prompts: 2, deep: true);
        Freezing.Freeze(vpt.vit);
        vpt.eval();
        F.cross_entropy(vpt.forward(Images(5, n: 4)), tensor(new long[] { 1, 2, 3, 4 })).backward();
        var grad = vpt.prompts.grad!;
        for (int i = 0; i < 3; i++)
            Assert.True(grad[i].abs().sum().item<float>() > 0, $"the prompts of layer {i} get no gradient");
        Assert.All(vpt.vit.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void LoraAndPromptGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var vit = SmallVit(depth: 1);
        Lora.Inject(vit, new[] { "q_proj", "v_proj" }, r: 2, lora_alpha: 4);
        vit.to(float64);
        manual_seed(8);
        using (no_grad()) foreach (var (_, l) in Lora.Layers(vit)) l.lora_B.normal_(0, 0.3);
        vit.eval();
        var x = Images(6, n: 2).to(float64);
        var y = tensor(new long[] { 2, 7 });
        var q = (LoRALinear)vit.blocks[0].attn.q_proj;
        var v = (LoRALinear)vit.blocks[0].attn.v_proj;
        double loraError = autograd.gradcheck(() => F.cross_entropy(vit.forward(x), y), q.lora_A, q.lora_B, v.lora_A, v.lora_B);
        Assert.True(loraError < 1e-4, $"LoRA: relative error {loraError:E2}");

        var vpt = new VisualPromptTuning(SmallVit(depth: 2), num_prompts: 2, deep: true);
        vpt.to(float64);
        vpt.eval();
        double promptError = autograd.gradcheck(() => F.cross_entropy(vpt.forward(x), y), vpt.prompts);
        Assert.True(promptError < 1e-4, $"VPT: relative error {promptError:E2}");
    }
}
