#!/usr/bin/python3
"""Produces the reference values the C# tests compare against, with PyTorch (python3-torch).

Run once from the repository root:  /usr/bin/python3 tests/Torch.Tests/reference/make_reference.py
It writes optim.json (optimizer trajectories, schedules, clipping) and model.safetensors plus
model.json (a PyTorch model's weights, an input and its output) next to itself. The data are
stored explicitly, so the tests do not depend on random generators agreeing.
"""
import json, math, os, struct
import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(1234)

W0 = torch.randn(3, 4)
b0 = torch.randn(3)
X = torch.randn(8, 4)
Y = torch.randn(8, 3)


def trajectory(make_opt, steps=6, b_skips=()):
    """Parameters after each step; at the steps in b_skips the loss leaves b out, so b has no grad."""
    W = W0.clone().requires_grad_()
    b = b0.clone().requires_grad_()
    opt = make_opt([W, b])
    out = []
    for i in range(steps):
        opt.zero_grad(set_to_none=True)
        if i in b_skips:
            loss = ((X @ W.t() - Y) ** 2).mean()
        else:
            loss = ((X @ W.t() + b - Y) ** 2).mean() + 0.1 * (b ** 2).sum()
        loss.backward()
        opt.step()
        out.append({"W": W.detach().flatten().tolist(), "b": b.detach().tolist()})
    return out


configs = {
    "sgd": (dict(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd_momentum_wd": (dict(lr=0.05, momentum=0.9, weight_decay=0.01, dampening=0.1),
                        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01, dampening=0.1)),
    "sgd_nesterov": (dict(lr=0.05, momentum=0.9, nesterov=True),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "adam": (dict(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam_wd": (dict(lr=0.01, weight_decay=0.1, betas=[0.8, 0.99], eps=1e-6),
                lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1, betas=(0.8, 0.99), eps=1e-6)),
    "adamw": (dict(lr=0.01, weight_decay=0.1), lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
}
# b has no gradient at steps 0, 2 and 3: its own step count (Adam's state['step']) and its momentum
# buffer's first value (SGD) come from the steps it takes part in
skipping = {
    "adam_skip": (dict(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adamw_skip": (dict(lr=0.01, weight_decay=0.1), lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
    "sgd_momentum_skip": (dict(lr=0.05, momentum=0.9, dampening=0.1),
                          lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1)),
}
b_skips = [0, 2, 3]

result = {
    "torch_version": torch.__version__,
    "W0": W0.flatten().tolist(), "b0": b0.tolist(), "X": X.flatten().tolist(), "Y": Y.flatten().tolist(),
    "optimizers": {name: {"args": args, "steps": trajectory(make)} for name, (args, make) in configs.items()},
}
result["optimizers"].update({name: {"args": args, "b_skips": b_skips, "steps": trajectory(make, b_skips=b_skips)}
                             for name, (args, make) in skipping.items()})

# float64 updates (parameter after a step minus before it), for the tests that compare updates to ~1e-6 relative.
# The data come from their own generator, so the values above stay what they were. `scale` multiplies the loss:
# at 1e-4 the gradients are ~1e-4, so that ε is not negligible next to √v (AdaGrad, RMSprop, Adam): an ε moved
# inside the square root, or a bias correction applied to the wrong term, changes every update by far more than 1e-6.
gen64 = torch.Generator().manual_seed(4321)
W0_64, b0_64, X_64, Y_64 = (torch.randn(*shape, generator=gen64, dtype=torch.float64) for shape in [(3, 4), (3,), (8, 4), (8, 3)])


def updates64(make_opt, scale, steps=6, b_skips=()):
    W = W0_64.clone().requires_grad_()
    b = b0_64.clone().requires_grad_()
    opt = make_opt([W, b])
    out = []
    for i in range(steps):
        opt.zero_grad(set_to_none=True)
        if i in b_skips:
            loss = scale * ((X_64 @ W.t() - Y_64) ** 2).mean()
        else:
            loss = scale * (((X_64 @ W.t() + b - Y_64) ** 2).mean() + 0.1 * (b ** 2).sum())
        loss.backward()
        W_before, b_before = W.detach().clone(), b.detach().clone()
        opt.step()
        out.append({"dW": (W.detach() - W_before).flatten().tolist(), "db": (b.detach() - b_before).tolist()})
    return out


O = torch.optim
configs64 = {
    # name: (args as the C# factory takes them, loss scale, b_skips, the PyTorch optimizer)
    "sgd": (dict(lr=0.1), 1.0, [], lambda p: O.SGD(p, lr=0.1)),
    "sgd_weight_decay": (dict(lr=0.1, weight_decay=0.05), 1.0, [], lambda p: O.SGD(p, lr=0.1, weight_decay=0.05)),
    "sgd_momentum": (dict(lr=0.05, momentum=0.9), 1.0, [], lambda p: O.SGD(p, lr=0.05, momentum=0.9)),
    "sgd_momentum_dampening_wd": (dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.02), 1.0, [],
                                  lambda p: O.SGD(p, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.02)),
    "sgd_nesterov": (dict(lr=0.05, momentum=0.9, nesterov=True), 1.0, [], lambda p: O.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_nesterov_wd": (dict(lr=0.05, momentum=0.7, nesterov=True, weight_decay=0.03), 1.0, [],
                        lambda p: O.SGD(p, lr=0.05, momentum=0.7, nesterov=True, weight_decay=0.03)),
    "sgd_momentum_skip": (dict(lr=0.05, momentum=0.9, dampening=0.1), 1.0, b_skips,
                          lambda p: O.SGD(p, lr=0.05, momentum=0.9, dampening=0.1)),
    "adam": (dict(lr=0.01), 1e-4, [], lambda p: O.Adam(p, lr=0.01)),
    "adam_betas_eps_wd": (dict(lr=0.01, betas=[0.8, 0.95], eps=1e-6, weight_decay=1e-3), 1e-3, [],
                          lambda p: O.Adam(p, lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=1e-3)),
    "adam_skip": (dict(lr=0.01), 1e-4, b_skips, lambda p: O.Adam(p, lr=0.01)),
    "adamw": (dict(lr=0.01, weight_decay=0.1), 1e-4, [], lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1)),
    "adamw_betas_eps": (dict(lr=0.02, betas=[0.85, 0.9], eps=1e-5, weight_decay=0.05), 1e-3, [],
                        lambda p: O.AdamW(p, lr=0.02, betas=(0.85, 0.9), eps=1e-5, weight_decay=0.05)),
    "adamw_skip": (dict(lr=0.01, weight_decay=0.1), 1e-4, b_skips, lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1)),
    "adagrad": (dict(lr=0.1), 1.0, [], lambda p: O.Adagrad(p, lr=0.1)),
    "adagrad_eps": (dict(lr=0.1, eps=1e-4), 1e-4, [], lambda p: O.Adagrad(p, lr=0.1, eps=1e-4)),
    "adagrad_all_options": (dict(lr=0.2, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.05, eps=1e-3), 0.1, [],
                            lambda p: O.Adagrad(p, lr=0.2, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.05, eps=1e-3)),
    "adagrad_skip": (dict(lr=0.1, lr_decay=0.2), 1.0, b_skips, lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.2)),
    "rmsprop": (dict(lr=0.01), 1e-4, [], lambda p: O.RMSprop(p, lr=0.01)),
    "rmsprop_centered": (dict(lr=0.01, alpha=0.9, centered=True), 1e-4, [], lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, centered=True)),
    "rmsprop_momentum": (dict(lr=0.01, momentum=0.8), 1e-4, [], lambda p: O.RMSprop(p, lr=0.01, momentum=0.8)),
    "rmsprop_all_options": (dict(lr=0.005, alpha=0.95, eps=1e-5, weight_decay=0.02, momentum=0.5, centered=True), 1e-3, [],
                            lambda p: O.RMSprop(p, lr=0.005, alpha=0.95, eps=1e-5, weight_decay=0.02, momentum=0.5, centered=True)),
    "rmsprop_skip": (dict(lr=0.01, momentum=0.8, centered=True), 1e-4, b_skips,
                     lambda p: O.RMSprop(p, lr=0.01, momentum=0.8, centered=True)),
}
result["updates64"] = {
    "W0": W0_64.flatten().tolist(), "b0": b0_64.tolist(), "X": X_64.flatten().tolist(), "Y": Y_64.flatten().tolist(),
    "optimizers": {name: {"args": args, "scale": scale, "b_skips": list(skips), "steps": updates64(make, scale, b_skips=skips)}
                   for name, (args, scale, skips, make) in configs64.items()},
}

# schedules: lr after each of 12 steps
def schedule(make):
    p = [torch.zeros(1, requires_grad=True)]
    opt = torch.optim.SGD(p, lr=0.5)
    sched = make(opt)
    lrs = []
    for _ in range(12):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs

result["schedules"] = {
    "step": schedule(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "cosine": schedule(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01)),
    "linear": schedule(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=4)),
}


# linear warm-up from 0 over 4 steps, cosine decay to min_lr = 0.1 at step 12, then min_lr (base lr 1.0): the usual
# Transformer schedule as PyTorch users write it, a LambdaLR; lr at construction, then after each of 14 steps
def warmup_cosine(step, warmup=4, total=12, base=1.0, min_lr=0.1):
    if step < warmup:
        return step / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return (min_lr + (base - min_lr) * (1 + math.cos(math.pi * progress)) / 2) / base

p = [torch.zeros(1, requires_grad=True)]
opt = torch.optim.AdamW(p, lr=1.0)
sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine)
lrs = [opt.param_groups[0]["lr"]]
for _ in range(14):
    opt.step()
    sched.step()
    lrs.append(opt.param_groups[0]["lr"])
result["schedules"]["warmup_cosine"] = lrs

# gradient clipping
g1 = torch.randn(5, 5) * 3
g2 = torch.randn(7) * 3
p1 = torch.zeros(5, 5, requires_grad=True); p1.grad = g1.clone()
p2 = torch.zeros(7, requires_grad=True); p2.grad = g2.clone()
total = torch.nn.utils.clip_grad_norm_([p1, p2], max_norm=1.5)
result["clip"] = {"g1": g1.flatten().tolist(), "g2": g2.flatten().tolist(), "max_norm": 1.5,
                  "total": float(total), "c1": p1.grad.flatten().tolist(), "c2": p2.grad.flatten().tolist()}

# cross entropy with label smoothing, nll, mse, bce
logits = torch.randn(6, 5)
target = torch.tensor([0, 4, 2, 2, 1, 3])
probs = torch.rand(6, 5)
result["losses"] = {
    "logits": logits.flatten().tolist(), "target": target.tolist(), "probs": probs.flatten().tolist(),
    "ce": float(nn.functional.cross_entropy(logits, target)),
    "ce_smooth": float(nn.functional.cross_entropy(logits, target, label_smoothing=0.1)),
    "nll": float(nn.functional.nll_loss(torch.log_softmax(logits, 1), target)),
    "mse": float(nn.functional.mse_loss(logits, probs)),
    "bce": float(nn.functional.binary_cross_entropy(probs, (logits > 0).float())),
}

with open(os.path.join(here, "optim.json"), "w") as f:
    json.dump(result, f)


# a model saved as safetensors by PyTorch (format written by hand: python3-safetensors is not in Debian)
def save_safetensors(path, tensors):
    codes = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 3)
    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        x = torch.max_pool2d(x, 2)
        return self.fc(x.flatten(1))

net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for _ in range(3):  # move the BatchNorm running statistics away from their defaults
    net(torch.randn(5, 1, 8, 8)).sum().backward(); opt.step(); opt.zero_grad()
net.eval()
inp = torch.randn(2, 1, 8, 8)
with torch.no_grad():
    out = net(inp)
save_safetensors(os.path.join(here, "model.safetensors"), net.state_dict())
with open(os.path.join(here, "model.json"), "w") as f:
    json.dump({"input": inp.flatten().tolist(), "output": out.flatten().tolist()}, f)
print("wrote optim.json, model.safetensors, model.json with torch", torch.__version__)
