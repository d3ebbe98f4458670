using Torch.Interop;
using H = Torch.Interop.TensorHandle;
using N = Torch.Interop.Native;

namespace Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless layers and losses (PyTorch's torch.nn.functional). Alias it: <c>using F = Torch.torch.nn.functional;</c></summary>
        public static class functional
        {
            private static H Opt(Tensor? t) => t?.Handle ?? H.Null;
            private static Tensor New(Status status, IntPtr r) => Tensor.New(status, r);
            private static long[] Pair(long v) => new[] { v, v };
            private static long[] Pair(long[]? v, long missing, string name) => v switch
            {
                null => Pair(missing),
                { Length: 1 } => Pair(v[0]),
                { Length: 2 } => v,
                _ => throw new ArgumentException($"{name} takes one value or a (height, width) pair, not {v.Length} values.", name),
            };

            // activations
            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor gelu(Tensor x, bool tanh_approximation = false) => New(N.ts_gelu(x.Handle, tanh_approximation ? 1 : 0, out var r), r);
            public static Tensor silu(Tensor x) => New(N.ts_silu(x.Handle, out var r), r);
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => New(N.ts_leaky_relu(x.Handle, negative_slope, out var r), r);
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            // layers
            public static Tensor linear(Tensor x, Tensor weight, Tensor? bias = null) => New(N.ts_linear(x.Handle, weight.Handle, Opt(bias), out var r), r);
            /// <summary>2-D convolution with TorchSharp's signature: <c>strides</c>, <c>padding</c> and <c>dilation</c> are
            /// (height, width) pairs, or one value for both (<c>strides: [2]</c>); null means 1, 0 and 1.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
                => New(N.ts_conv2d(input.Handle, weight.Handle, Opt(bias), Pair(strides, 1, nameof(strides)), Pair(padding, 0, nameof(padding)), Pair(dilation, 1, nameof(dilation)), groups, out var r), r);
            public static Tensor max_pool2d(Tensor x, long kernel_size, long? stride = null, long padding = 0)
                => New(N.ts_max_pool2d(x.Handle, Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding), out var r), r);
            public static Tensor avg_pool2d(Tensor x, long kernel_size, long? stride = null, long padding = 0)
                => New(N.ts_avg_pool2d(x.Handle, Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding), out var r), r);
            public static Tensor adaptive_avg_pool2d(Tensor x, long output_size) => New(N.ts_adaptive_avg_pool2d(x.Handle, Pair(output_size), out var r), r);
            public static Tensor batch_norm(Tensor x, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
                => New(N.ts_batch_norm(x.Handle, Opt(weight), Opt(bias), Opt(running_mean), Opt(running_var), training ? 1 : 0, momentum, eps, out var r), r);
            public static Tensor layer_norm(Tensor x, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
                => New(N.ts_layer_norm(x.Handle, normalized_shape, normalized_shape.Length, Opt(weight), Opt(bias), eps, out var r), r);
            public static Tensor embedding(Tensor input, Tensor weight, long padding_idx = -1) => New(N.ts_embedding(weight.Handle, input.Handle, padding_idx, out var r), r);
            /// <summary>
            /// In training, zeroes each element with probability p and scales the rest by 1/(1 − p); otherwise x. On the
            /// CPU (float32/64) the shim's kernel draws the mask, in parallel, from a seed that libtorch's generator gives.
            /// </summary>
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true)
            {
                if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
                if (training && p > 0 && p < 1 && x.device.type == DeviceType.CPU && x.dtype is ScalarType.Float32 or ScalarType.Float64)
                    return New(N.ts_cpu_dropout(x.Handle, p, out var d), d);
                return New(N.ts_dropout(x.Handle, p, training ? 1 : 0, out var r), r);
            }
            /// <summary>Pads the last dimensions: pad = (left, right, top, bottom, ...), as PyTorch's F.pad (constant mode).</summary>
            public static Tensor pad(Tensor x, long[] pad, double value = 0) => New(N.ts_constant_pad(x.Handle, pad, pad.Length, value, out var r), r);
            public static Tensor one_hot(Tensor x, long num_classes = -1) => New(N.ts_one_hot(x.Handle, num_classes, out var r), r);
            /// <summary>x / max(||x||_p, eps) along dim (SimCLR and CLIP use it on embeddings).</summary>
            public static Tensor normalize(Tensor x, double p = 2, long dim = 1, double eps = 1e-12)
            {
                using var scope = NewDisposeScope();
                using var n = x.norm(p, new[] { dim }, keepdim: true);
                return x.div(n.clamp(min: eps)).MoveToOuterDisposeScope();
            }
            public static Tensor cosine_similarity(Tensor a, Tensor b, long dim = 1, double eps = 1e-8)
            {
                using var scope = NewDisposeScope();
                var dot = (a * b).sum(dim);
                var na = a.norm(2, new[] { dim }).clamp(min: eps);
                var nb = b.norm(2, new[] { dim }).clamp(min: eps);
                return (dot / (na * nb)).MoveToOuterDisposeScope();
            }

            // losses
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0)
                => New(N.ts_cross_entropy(input.Handle, target.Handle, Opt(weight), (int)reduction, ignore_index, label_smoothing, out var r), r);
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
                => New(N.ts_nll_loss(input.Handle, target.Handle, Opt(weight), (int)reduction, ignore_index, out var r), r);
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => New(N.ts_mse_loss(input.Handle, target.Handle, (int)reduction, out var r), r);
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => New(N.ts_l1_loss(input.Handle, target.Handle, (int)reduction, out var r), r);
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
                => New(N.ts_binary_cross_entropy(input.Handle, target.Handle, Opt(weight), (int)reduction, out var r), r);
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Tensor? pos_weight = null, Reduction reduction = Reduction.Mean)
                => New(N.ts_binary_cross_entropy_with_logits(input.Handle, target.Handle, Opt(weight), Opt(pos_weight), (int)reduction, out var r), r);

            /// <summary>
            /// softmax(q kᵀ / √d + mask) v over the last two dimensions. A boolean mask keeps the positions that are
            /// true; a float mask is added; <paramref name="is_causal"/> lets query i see keys 0..i. Three paths, one
            /// result: libtorch 2.x's fused kernel; on 1.x and the CPU the shim's attention kernel (one task per
            /// (batch, head) slice, with its own backward); elsewhere the composition of matmul and softmax.
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0, bool is_causal = false)
            {
                if (backends.fused_attention_available())
                {
                    if (attn_mask is null || !is_causal)
                        return New(N.ts_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, Opt(attn_mask), dropout_p, is_causal ? 1 : 0, out var r), r);
                    // libtorch's fused kernel takes a mask or is_causal, not both: fold the causal rule into the mask
                    using var scope = NewDisposeScope();
                    var causal = ones(new[] { query.size(-2), key.size(-2) }, @bool, query.device).tril();
                    var mask = attn_mask.dtype == @bool ? attn_mask.logical_and(causal) : attn_mask.masked_fill(causal.logical_not(), double.NegativeInfinity);
                    return New(N.ts_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, mask.Handle, dropout_p, 0, out var m), m).MoveToOuterDisposeScope();
                }
                var (output, weights) = attention(query, key, value, attn_mask, dropout_p, is_causal);
                weights.Dispose();
                return output;
            }

            /// <summary>
            /// Scaled dot-product attention that also returns its weights softmax(q kᵀ / √d + mask), (…, L, S), for
            /// attention maps (the weights are before dropout and carry no gradient).
            /// </summary>
            public static (Tensor output, Tensor weights) attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0, bool is_causal = false)
            {
                if (dropout_p < 0 || dropout_p >= 1) throw new ArgumentOutOfRangeException(nameof(dropout_p), dropout_p, "attention dropout must be in [0, 1)");
                if (backends.cpu_attention_available() && query.device.type == DeviceType.CPU && query.dtype is ScalarType.Float32 or ScalarType.Float64)
                {
                    N.Check(N.ts_cpu_attention(query.Handle, key.Handle, value.Handle, Opt(attn_mask), dropout_p, is_causal ? 1 : 0, out var o, out var w));
                    return (Tensor.New(Status.Ok, o), Tensor.New(Status.Ok, w));
                }
                return composed_attention(query, key, value, attn_mask, dropout_p, is_causal);
            }

            private static (Tensor output, Tensor weights) composed_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask, double dropout_p, bool is_causal)
            {
                using var scope = NewDisposeScope();
                long L = query.size(-2), S = key.size(-2);
                var scores = query.matmul(key.mT) * (1.0 / Math.Sqrt(query.size(-1)));
                if (is_causal)
                {
                    var keep = ones(new[] { L, S }, @bool, query.device).tril();
                    scores = scores.masked_fill(keep.logical_not(), double.NegativeInfinity);
                }
                if (attn_mask is not null)
                    scores = attn_mask.dtype == @bool ? scores.masked_fill(attn_mask.logical_not(), double.NegativeInfinity) : scores + attn_mask;
                var weights = scores.softmax(-1);
                var dropped = dropout_p > 0 ? dropout(weights, dropout_p) : weights;
                var output = dropped.matmul(value);
                return (output.MoveToOuterDisposeScope(), weights.detach().MoveToOuterDisposeScope());
            }
        }
    }
}
