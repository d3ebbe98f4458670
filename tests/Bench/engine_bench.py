#!/usr/bin/python3
"""The PyTorch side of the engine benchmark (run by Course.Bench, which passes the settings).

Prints {"name": [ms per step of each timed block], ...}.

Builds the same models from the same ops as tests/Bench/Workloads.cs, on the very same libtorch
files (Debian's python3-torch), and prints the block times as JSON on stdout.
"""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

threads, rep_ms, reps = (int(a) for a in sys.argv[1:4])
only = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None
torch.set_num_threads(threads)
torch.manual_seed(0)


def train(model, x, y, opt):
    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def mlp():
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    return train(model, torch.randn(32, 64), torch.randint(10, (32,)), torch.optim.AdamW(model.parameters(), lr=1e-3))


class ChannelsLast(nn.Module):
    # the C# Conv2d keeps CPU inputs channels_last; the same here
    def forward(self, x):
        return x.contiguous(memory_format=torch.channels_last)


def mlp_784():
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return train(model, torch.randn(256, 784), torch.randint(10, (256,)), torch.optim.SGD(model.parameters(), lr=0.1))


def cnn():
    model = nn.Sequential(
        ChannelsLast(), nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
    for m in model.modules():  # as the C# Conv2d: channels_last weights, except for one input channel
        if isinstance(m, nn.Conv2d) and m.in_channels // m.groups > 1:
            m.weight.data = m.weight.data.contiguous(memory_format=torch.channels_last)
    return train(model, torch.randn(64, 1, 28, 28), torch.randint(10, (64,)), torch.optim.AdamW(model.parameters(), lr=1e-3))


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
        else:  # libtorch 1.13: the same composition as the C# side
            a = (q @ k.transpose(-2, -1) * (1.0 / (q.size(-1) ** 0.5))).softmax(-1) @ v
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, D))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


def transformer():
    block = EncoderBlock(128, 4, 512)
    x, target = torch.randn(16, 64, 128), torch.randn(16, 64, 128)
    opt = torch.optim.AdamW(block.parameters(), lr=1e-3)
    def step():
        opt.zero_grad()
        F.mse_loss(block(x), target).backward()
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


workloads = {"mlp_small": mlp, "mlp_784": mlp_784, "cnn_28x28": cnn, "transformer_block": transformer, "sgemm_2048": sgemm}
result = {}
for name, make in workloads.items():
    if only and name not in only:
        continue
    result[name] = measure(make(), rep_ms, reps)
print(json.dumps(result))
