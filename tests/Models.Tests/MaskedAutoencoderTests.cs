using System.Text.Json.Nodes;

namespace Models.Tests;

/// <summary>
/// The masked autoencoder: patchify and random masking against the MAE paper's PyTorch code (reference/mae.json,
/// float64), unpatchify as patchify's inverse, the loss against a direct loop over the hidden patches, gradients
/// against finite differences, and the encoder's weights handed to a classifier.
/// </summary>
public class MaskedAutoencoderTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "mae.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(x => (double)x!).ToArray();
    private static Tensor T(string key, params long[] shape) => tensor(D(key), shape);
    private static double Gap(Tensor a, double[] b) => a.ToArray<double>().Zip(b).Max(p => Math.Abs(p.First - p.Second));

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);

    private static MaskedAutoencoder Small(bool normPix = false, int seed = 0)
    {
        manual_seed(seed);
        var encoder = new VisionTransformer(image_size: 28, patch_size: 4, d_model: 8, depth: 1, heads: 2, mlp_ratio: 2, dropout: 0);
        return new MaskedAutoencoder(encoder, decoder_dim: 8, decoder_depth: 1, decoder_heads: 2, norm_pix_loss: normPix);
    }

    [Fact]
    public void PatchifyCutsPatchesAsTheReferenceCode()
    {
        using var scope = NewDisposeScope();
        var shape = Ref["images_shape"]!.AsArray().Select(x => (long)x!).ToArray();
        long p = (long)Ref["patch"]!;
        var images = T("images", shape);
        var patches = MaskedAutoencoder.patchify(images, p);
        long n = (shape[2] / p) * (shape[3] / p);
        Assert.Equal(new[] { shape[0], n, p * p * shape[1] }, patches.shape);
        Assert.Equal(0.0, Gap(patches, D("patches")));
    }

    [Fact]
    public void PatchifyOfOneChannelIsReadingOrderByHand()
    {
        using var scope = NewDisposeScope();
        // a 1x1x4x4 image 0..15 in 2x2 patches: patch 0 = rows 0-1 x cols 0-1 = {0, 1, 4, 5}, patch 1 = {2, 3, 6, 7}, ...
        var image = arange(16, dtype: float64).view(1, 1, 4, 4);
        var patches = MaskedAutoencoder.patchify(image, 2);
        Assert.Equal(new double[] { 0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15 }, patches.ToArray<double>());
    }

    [Fact]
    public void UnpatchifyInvertsPatchify()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        foreach (var (c, p) in new[] { (1L, 4L), (3L, 4L), (1L, 7L), (2L, 2L) })
        {
            var images = randn(new long[] { 3, c, 28, 28 }, float64);
            var back = MaskedAutoencoder.unpatchify(MaskedAutoencoder.patchify(images, p), p, c);
            Assert.Equal(images.shape, back.shape);
            Assert.True(Same(back, images), $"unpatchify(patchify(x)) != x for {c} channels, patch {p}");
        }
        Assert.Throws<ArgumentException>(() => MaskedAutoencoder.patchify(randn(1, 1, 28, 28), 5));
    }

    [Fact]
    public void RandomMaskingMatchesTheReferenceCode()
    {
        using var scope = NewDisposeScope();
        var tokens = T("tokens", 2, 49, 5);
        var (kept, mask, idsRestore) = MaskedAutoencoder.random_masking(tokens, 0.75, T("noise", 2, 49));
        Assert.Equal(new long[] { 2, 12, 5 }, kept.shape);
        Assert.Equal(0.0, Gap(kept, D("kept")));
        Assert.Equal(0.0, Gap(mask, D("mask")));
        Assert.Equal(D("ids_restore"), idsRestore.to(float64).ToArray<double>());
    }

    [Fact]
    public void RandomMaskingKeepsTheRightCountAndItsIdsRestoreTheOrder()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var tokens = arange(4 * 49, dtype: float64).view(4, 49, 1).expand(4, 49, 3).contiguous();   // token i holds i
        var (kept, mask, idsRestore) = MaskedAutoencoder.random_masking(tokens, 0.75);
        Assert.Equal(new long[] { 4, 12, 3 }, kept.shape);                                             // 25% of 49
        Assert.Equal(new double[] { 37, 37, 37, 37 }, mask.sum(1).ToArray<double>());
        for (int b = 0; b < 4; b++)
        {
            var ids = kept[b, .., 0].ToArray<double>().Select(v => (long)v - 49 * b).ToArray();
            Assert.Equal(12, ids.Distinct().Count());
            var m = mask[b].ToArray<double>();
            for (int i = 0; i < 49; i++) Assert.Equal(ids.Contains(i) ? 0.0 : 1.0, m[i]);             // the mask marks exactly the others
        }
        // putting the kept tokens first and anything after them, then gathering by ids_restore, puts each token back at its place
        var filler = full(new long[] { 4, 37, 3 }, -1.0, float64);
        var restored = cat(new[] { kept, filler }, 1).gather(1, idsRestore.unsqueeze(-1).expand(4, 49, 3));
        var visible = (1 - mask).unsqueeze(-1).to(ScalarType.Bool).expand(4, 49, 3);
        Assert.True(Same(restored.masked_select(visible), tokens.masked_select(visible)));
        Assert.True(restored.masked_select(visible.logical_not()).eq(-1.0).all().item<bool>());
        // ids_restore is a permutation of 0..48 in each row
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => Enumerable.Range(0, 49).Select(i => (long)i)).ToArray(), idsRestore.sort(1).Item1.ToArray<long>());
    }

    [Fact]
    public void LossCountsOnlyTheHiddenPatches()
    {
        using var scope = NewDisposeScope();
        foreach (bool normPix in new[] { false, true })
        {
            using var mae = Small(normPix);
            mae.to(float64);
            manual_seed(4);
            var images = randn(new long[] { 2, 1, 28, 28 }, float64);
            var noise = rand(new long[] { 2, 49 }, float64);
            var (loss, pred, mask) = mae.forward_all(images, noise);
            Assert.Equal(new long[] { 2, 49, 16 }, pred.shape);

            // direct: loop over the image's 4x4 blocks, skip the visible ones, average the squared error per pixel
            var img = images.ToArray<double>();
            var pr = pred.ToArray<double>();
            var ids = noise.argsort(1).ToArray<long>();
            double sum = 0; int hidden = 0;
            for (int b = 0; b < 2; b++)
            {
                var visible = ids.Skip(b * 49).Take(12).ToHashSet();
                for (int patch = 0; patch < 49; patch++)
                {
                    if (visible.Contains(patch)) continue;
                    int row = patch / 7, col = patch % 7;
                    var pixels = new double[16];
                    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) pixels[i * 4 + j] = img[b * 784 + (row * 4 + i) * 28 + col * 4 + j];
                    if (normPix)
                    {
                        double mean = pixels.Average(), variance = pixels.Sum(v => (v - mean) * (v - mean)) / 15;
                        for (int k = 0; k < 16; k++) pixels[k] = (pixels[k] - mean) / Math.Sqrt(variance + 1e-6);
                    }
                    double se = 0;
                    for (int k = 0; k < 16; k++) { double e = pr[(b * 49 + patch) * 16 + k] - pixels[k]; se += e * e; }
                    sum += se / 16; hidden++;
                }
            }
            Assert.Equal(74, hidden);
            Assert.Equal(sum / hidden, loss.item<double>(), 12);

            // changing the predictions of visible patches leaves the loss as it is
            var bumped = pred + (1 - mask).unsqueeze(-1) * 100.0;
            Assert.Equal(loss.item<double>(), mae.forward_loss(images, bumped, mask).item<double>(), 12);
        }
    }

    [Fact]
    public void EncoderSeesOnlyTheVisiblePatches()
    {
        using var scope = NewDisposeScope();
        using var mae = Small();
        mae.to(float64); mae.eval();
        manual_seed(5);
        var images = randn(new long[] { 2, 1, 28, 28 }, float64);
        var noise = rand(new long[] { 2, 49 }, float64);
        var (latent, mask, _) = mae.forward_encoder(images, 0.75, noise);
        Assert.Equal(new long[] { 2, 13, 8 }, latent.shape);        // class token + 12 visible
        // changing hidden pixels does not change what the encoder produces
        var hiddenPixels = MaskedAutoencoder.unpatchify(mask.unsqueeze(-1).expand(2, 49, 16), 4);
        var changed = images + hiddenPixels * randn(new long[] { 2, 1, 28, 28 }, float64);
        var (latent2, _, _) = mae.forward_encoder(changed, 0.75, noise);
        Assert.True(latent.allclose(latent2, rtol: 0, atol: 1e-14));
        var (latent3, _, _) = mae.forward_encoder(images + (1 - hiddenPixels) * 0.5, 0.75, noise);
        Assert.False(latent.allclose(latent3, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        foreach (bool normPix in new[] { false, true })
        {
            using var mae = Small(normPix, seed: 6);
            mae.to(float64); mae.eval();
            manual_seed(7);
            var images = randn(new long[] { 2, 1, 28, 28 }, float64);
            var noise = rand(new long[] { 2, 49 }, float64);
            // the encoder's patch-embedding bias (reached through the masking gather and the decoder's unshuffling
            // gather), class token, a block's value bias and last norm, the mask token and the decoder's output. (Element
            // by element relative error: with small initial weights many weight entries have gradients of 1e-8..1e-10,
            // where centred differences alone give errors of 1e-3; the parameters here have sizeable gradients.)
            var error = autograd.gradcheck(() => mae.forward_all(images, noise).loss,
                mae.encoder.patch_embed.bias!, mae.encoder.cls_token, ((Linear)mae.encoder.blocks[0].attn.v_proj).bias!, mae.encoder.norm.bias!,
                mae.mask_token, mae.decoder_pred.bias!);
            Assert.True(error < 1e-4, $"norm_pix_loss {normPix}: relative error {error:E2}");
        }
    }

    [Fact]
    public void MaskTokenAndPositionsGetGradients()
    {
        using var scope = NewDisposeScope();
        using var mae = Small();
        var loss = mae.forward(randn(2, 1, 28, 28));
        loss.backward();
        Assert.True(mae.mask_token.grad!.abs().sum().item<float>() > 0);
        Assert.True(mae.encoder.pos_embed.grad!.abs().sum().item<float>() > 0);
        Assert.Null(mae.encoder.head.weight.grad);                    // the head takes no part in pretraining
    }

    [Fact]
    public void CopyEncoderToGivesAClassifierWithTheEncodersWeights()
    {
        using var scope = NewDisposeScope();
        using var mae = Small();
        manual_seed(8);
        using var classifier = new VisionTransformer(image_size: 28, patch_size: 4, d_model: 8, depth: 1, heads: 2, mlp_ratio: 2, dropout: 0);
        var headBefore = classifier.head.weight.clone();
        mae.copy_encoder_to(classifier);
        var encoderWeights = mae.encoder.state_dict();
        foreach (var (name, value) in classifier.state_dict())
            if (!name.StartsWith("head.")) Assert.True(Same(value, encoderWeights[name]), $"{name} was not copied");
        Assert.True(Same(classifier.head.weight, headBefore), "the classifier's head must stay its own");
        // the encoder's class token as the classifier sees it: with no mask, both compute the same class-token state
        mae.eval(); classifier.eval();
        var images = randn(2, 1, 28, 28);
        var (latent, _, _) = mae.forward_encoder(images, 0.0);
        var x = classifier.embed(images);
        foreach (var block in classifier.blocks) x = block.forward(x);
        Assert.True(classifier.norm.forward(x)[.., 0].allclose(latent[.., 0], rtol: 0, atol: 1e-5));

        using var deeper = new VisionTransformer(image_size: 28, patch_size: 4, d_model: 8, depth: 2, heads: 2, mlp_ratio: 2, dropout: 0);
        Assert.Throws<ArgumentException>(() => mae.copy_encoder_to(deeper));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        using var encoder = new VisionTransformer(image_size: 28, patch_size: 4, d_model: 8, depth: 1, heads: 2, dropout: 0.1);
        Assert.Throws<ArgumentException>(() => new MaskedAutoencoder(encoder));
        using var plain = new VisionTransformer(image_size: 28, patch_size: 4, d_model: 8, depth: 1, heads: 2, dropout: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaskedAutoencoder(plain, mask_ratio: 1.0));
    }
}
