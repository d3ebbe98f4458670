namespace Models.Tests;

/// <summary>What may take a submodule's place: the holder's field type, a ModuleList's item type, anything in a Sequential.</summary>
public class SubmoduleSlotTests
{
    [Fact]
    public void ThePlaceIsTheHoldersFieldTheListsItemTypeOrASequentialSlot()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var vit = new VisionTransformer(image_size: 28, patch_size: 7, d_model: 8, depth: 1, heads: 2, mlp_ratio: 2, dropout: 0);
        Assert.Equal(typeof(nn.Module<Tensor, Tensor>), SubmoduleSlot.TypeAt(vit, "blocks.0.attn.q_proj"));
        Assert.Equal(typeof(nn.Module<Tensor, Tensor>), SubmoduleSlot.TypeAt(vit, "blocks.0.mlp.fc2"));
        Assert.Equal(typeof(Linear), SubmoduleSlot.TypeAt(vit, "head"));
        Assert.Equal(typeof(Linear), SubmoduleSlot.TypeAt(new Mlp(4, 3, 2), "layers.1"));
        Assert.Equal(typeof(nn.Module<Tensor, Tensor>), SubmoduleSlot.TypeAt(nn.Sequential(nn.Linear(2, 2), nn.ReLU()), "0"));
        var e = Assert.Throws<ArgumentException>(() => SubmoduleSlot.EnsureFits(vit, "head", typeof(Course.FineTuning.LoRALinear)));
        Assert.Contains("VisionTransformer.head, a field of type Linear", e.Message);
        SubmoduleSlot.EnsureFits(vit, "blocks.0.attn.v_proj", typeof(Course.FineTuning.LoRALinear));   // fits: no exception
        Assert.Throws<ArgumentException>(() => SubmoduleSlot.TypeAt(vit, "blocks.0.attn.w_proj"));        // no such submodule
    }
}
