using Torch.Modules;

namespace Torch;

public static partial class torch
{
    /// <summary>Layers by their PyTorch names: <c>nn.Linear(784, 128)</c>, <c>nn.Sequential(...)</c>.</summary>
    public static partial class nn
    {
        /// <summary>How a loss reduces its per-element values (TorchSharp's <c>torch.nn.Reduction</c>).</summary>
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        /// <summary>A learnable tensor: <c>nn.Parameter(torch.zeros(3))</c> (the type is <see cref="Modules.Parameter"/>).</summary>
        public static Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
        public static Linear Linear(long in_features, long out_features, bool bias = true, Device? device = null) => new(in_features, out_features, bias, device);
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true, Device? device = null)
            => new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, device);
        public static BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null) => new(num_features, eps, momentum, affine, device);
        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null) => new(num_features, eps, momentum, affine, device);
        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null) => new(new[] { normalized_shape }, eps, elementwise_affine, device);
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null) => new(normalized_shape, eps, elementwise_affine, device);
        public static Embedding Embedding(long num_embeddings, long embedding_dim, long padding_idx = -1, Device? device = null) => new(num_embeddings, embedding_dim, padding_idx, device);
        public static Dropout Dropout(double p = 0.5) => new(p);
        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);
        public static ModuleList ModuleList(params Module[] modules) => new(modules);
        /// <summary>A typed list: <c>nn.ModuleList(Enumerable.Range(0, depth).Select(_ =&gt; new EncoderBlock(...)))</c>.</summary>
        public static ModuleList<T> ModuleList<T>(IEnumerable<T> modules) where T : Module => new(modules);
        /// <summary>A typed list, as TorchSharp writes it: <c>nn.ModuleList(blocks.ToArray())</c>.</summary>
        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
        public static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
        public static AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);

        public static Lambda ReLU() => new(x => x.relu(), "ReLU");
        public static Lambda GELU(bool tanh_approximation = false) => new(x => functional.gelu(x, tanh_approximation), "GELU", tanh_approximation ? "approximate='tanh'" : "");
        public static Lambda SiLU() => new(functional.silu, "SiLU");
        public static Lambda Tanh() => new(x => x.tanh(), "Tanh");
        public static Lambda Sigmoid() => new(x => x.sigmoid(), "Sigmoid");
        public static Lambda LeakyReLU(double negative_slope = 0.01) => new(x => functional.leaky_relu(x, negative_slope), "LeakyReLU", $"negative_slope={negative_slope}");
        public static Lambda Softmax(long dim) => new(x => x.softmax(dim), "Softmax", $"dim={dim}");
        public static Lambda Identity() => new(x => x.alias(), "Identity");
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
        public static Lambda AdaptiveAvgPool2d(long output_size) => new(x => functional.adaptive_avg_pool2d(x, output_size), "AdaptiveAvgPool2d", $"output_size={output_size}");
    }
}
