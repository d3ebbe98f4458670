#!/usr/bin/python3
"""The PyTorch side of the engine benchmark (run by Course.Bench, which passes the settings).

Prints {"name": [ms per step of each timed block], ...}.

Builds the same models from the same ops as tests/Bench/Workloads.cs (and, for vit_step and
char_transformer_step, as lib/Course/Models), on the very same libtorch files (Debian's python3-torch),
and prints the block times as JSON on stdout.

The optimizer configuration is the fifth argument:
  default  PyTorch 1.13's defaults: one update per tensor, zero_grad() fills gradients with zeros
  fast     foreach=True (multi-tensor updates) and zero_grad(set_to_none=True), as the C# side does
"""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

threads, rep_ms, reps = (int(a) for a in sys.argv[1:4])
only = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None
config = sys.argv[5] if len(sys.argv) > 5 else "default"
if config not in ("default", "fast"):
    sys.exit(f"unknown optimizer configuration {config!r} (default or fast)")
FAST = config == "fast"
torch.set_num_threads(threads)
torch.manual_seed(0)


def adamw(params, **kw):
    return torch.optim.AdamW(params, foreach=True, **kw) if FAST else torch.optim.AdamW(params, **kw)


def sgd(params, **kw):
    return torch.optim.SGD(params, foreach=True, **kw) if FAST else torch.optim.SGD(params, **kw)


def zero_grad(opt):
    opt.zero_grad(set_to_none=True) if FAST else opt.zero_grad()


def train(model, x, y, opt, loss=lambda out, y: F.cross_entropy(out, y)):
    def step():
        zero_grad(opt)
        loss(model(x), y).backward()
        opt.step()
    return step


def mlp():
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    return train(model, torch.randn(32, 64), torch.randint(10, (32,)), adamw(model.parameters(), lr=1e-3))


class ChannelsLast(nn.Module):
    # the C# Conv2d keeps CPU inputs channels_last; the same here
    def forward(self, x):
        return x.contiguous(memory_format=torch.channels_last)


def mlp_784():
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return train(model, torch.randn(256, 784), torch.randint(10, (256,)), sgd(model.parameters(), lr=0.1))


def cnn():
    model = nn.Sequential(
        ChannelsLast(), nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
    for m in model.modules():  # as the C# Conv2d: channels_last weights, except for one input channel
        if isinstance(m, nn.Conv2d) and m.in_channels // m.groups > 1:
            m.weight.data = m.weight.data.contiguous(memory_format=torch.channels_last)
    return train(model, torch.randn(64, 1, 28, 28), torch.randint(10, (64,)), adamw(model.parameters(), lr=1e-3))


class EncoderBlock(nn.Module):
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.heads = heads
        self.ln1, self.qkv, self.proj = nn.LayerNorm(d), nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln2, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        if hasattr(F, "scaled_dot_product_attention"):
            a = F.scaled_dot_product_attention(q, k, v)
        else:  # libtorch 1.13 has no fused kernel
            a = attention(q, k, v, 0.0, False)
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, D))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


def transformer():
    block = EncoderBlock(128, 4, 512)
    x, target = torch.randn(16, 64, 128), torch.randn(16, 64, 128)
    opt = adamw(block.parameters(), lr=1e-3)
    return train(block, x, target, opt, F.mse_loss)


def attention(q, k, v, dropout, causal):
    """softmax(q kᵀ / √d + mask) v, composed as F.attention's composition (libtorch 1.13 has no fused kernel)."""
    scores = q @ k.transpose(-2, -1) * (1.0 / (q.size(-1) ** 0.5))
    if causal:
        L, S = q.size(-2), k.size(-2)
        scores = scores.masked_fill(~torch.ones(L, S, dtype=torch.bool).tril(), float("-inf"))
    return F.dropout(scores.softmax(-1), dropout) @ v if dropout > 0 else scores.softmax(-1) @ v


class MultiHeadAttention(nn.Module):  # lib/Course/Models/Attention.cs
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, causal):
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.heads, D // self.heads).transpose(1, 2)
        a = attention(split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x)),
                      self.dropout if self.training else 0.0, causal)
        return self.out_proj(a.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):  # EncoderBlock of lib/Course/Models/Attention.cs: pre-norm, GELU MLP, dropout
    def __init__(self, d, heads, hidden, dropout, causal):
        super().__init__()
        self.causal, self.p = causal, dropout
        self.ln1, self.attn = nn.LayerNorm(d), MultiHeadAttention(d, heads, dropout)
        self.ln2, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        x = x + F.dropout(self.attn(self.ln1(x), self.causal), self.p, self.training)
        return x + F.dropout(self.fc2(F.gelu(self.fc1(self.ln2(x)))), self.p, self.training)


class VisionTransformer(nn.Module):  # lib/Course/Models/VisionTransformer.cs
    def __init__(self, patch=7, d=64, depth=6, heads=4, mlp_ratio=2):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, d, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, (28 // patch) ** 2 + 1, d) * 0.02)
        self.blocks = nn.Sequential(*(Block(d, heads, mlp_ratio * d, 0.0, False) for _ in range(depth)))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, 10)

    def forward(self, images):
        x = ChannelsLast()(images)
        patches = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(images.size(0), -1, -1), patches], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])


class CharTransformer(nn.Module):  # lib/Course/Models/Transformer.cs
    def __init__(self, vocab, block_size=64, d=128, heads=4, layers=4, dropout=0.1):
        super().__init__()
        self.p = dropout
        self.token_embed, self.position_embed = nn.Embedding(vocab, d), nn.Embedding(block_size, d)
        self.blocks = nn.Sequential(*(Block(d, heads, 4 * d, dropout, True) for _ in range(layers)))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.token_embed(idx) + self.position_embed(torch.arange(idx.size(1)))
        return self.head(self.norm(self.blocks(F.dropout(x, self.p, self.training))))


def vit():
    model = VisionTransformer()
    return train(model, torch.randn(128, 1, 28, 28), torch.randint(10, (128,)), adamw(model.parameters(), lr=2e-3, weight_decay=0.05))


def char_transformer():
    vocab = 96
    model = CharTransformer(vocab)
    loss = lambda logits, y: F.cross_entropy(logits.flatten(0, 1), y.flatten())
    x, y = torch.randint(vocab, (32, 64)), torch.randint(vocab, (32, 64))
    return train(model, x, y, adamw(model.parameters(), lr=1e-3, weight_decay=0.1), loss)


def mae_encoder(masked):
    """chapter 7's MAE encoder (lib/Course/Models/MaskedAutoencoder.cs forward_encoder): patch 4, d 64, depth 4,
    batch 128; the class token and 12 of 49 patches (masked) or all 49, loss the mean square of its output."""
    model = VisionTransformer(patch=4, d=64, depth=4)
    x = torch.randn(128, 1, 28, 28)
    ratio = 0.75 if masked else 0.0
    opt = adamw(model.parameters(), lr=1e-3, weight_decay=0.05)

    def encode(images):
        t = model.patch_embed(ChannelsLast()(images)).flatten(2).transpose(1, 2) + model.pos_embed[:, 1:]
        B, N, D = t.shape
        keep = int(N * (1 - ratio))
        ids_shuffle = torch.rand(B, N).argsort(1)
        ids_restore = ids_shuffle.argsort(1)
        visible = t.gather(1, ids_shuffle[:, :keep].unsqueeze(-1).expand(B, keep, D))
        mask = torch.ones(B, N)
        mask[:, :keep] = 0
        mask = mask.gather(1, ids_restore)  # built as the C# side builds it, though the loss does not use it
        cls = (model.cls_token + model.pos_embed[:, :1]).expand(B, -1, -1)
        return model.norm(model.blocks(torch.cat([cls, visible], 1)))

    def step():
        zero_grad(opt)
        encode(x).square().mean().backward()
        opt.step()
    return step


def sgemm():
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    return lambda: a @ b


def measure(step, rep_ms, reps):
    """ms/step of `reps` timed blocks of about rep_ms each, after a warm-up (same as C#)."""
    t0 = time.perf_counter()
    n = 0
    while n < 3 or (time.perf_counter() - t0) * 1000 < rep_ms / 2:  # warm-up and calibration
        step()
        n += 1
    per = (time.perf_counter() - t0) * 1000 / n
    iters = max(3, int(rep_ms / per))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        times.append((time.perf_counter() - t0) * 1000 / iters)
    return times


workloads = {"mlp_small": mlp, "mlp_784": mlp_784, "cnn_28x28": cnn, "transformer_block": transformer,
             "vit_step": vit, "char_transformer_step": char_transformer,
             "mae_encoder_masked": lambda: mae_encoder(True), "mae_encoder_full": lambda: mae_encoder(False), "sgemm_2048": sgemm}
result = {}
for name, make in workloads.items():
    if only and name not in only:
        continue
    result[name] = measure(make(), rep_ms, reps)
print(json.dumps(result))
