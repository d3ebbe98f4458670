#!/usr/bin/python3
"""The reference values of the Tip-Adapter tests, from PyTorch (python3-torch), in float64.

Run once from the repository root:  /usr/bin/python3 tests/Models.Tests/reference/make_tip_adapter_reference.py
It writes tip_adapter.json next to itself: a cache of 6 keys (3 classes x 2 shots) in 4 dimensions, CLIP class
weights, 5 queries, and for given alpha, beta and logit scale: the affinity exp(-beta (1 - z K^T)), the cache logits
A OneHot(y), the blended logits alpha A Y + s z W^T, the cross-entropy of those logits and its gradient with respect
to the keys; then the keys after 3 full-batch steps of AdamW (no weight decay) with a cosine learning rate
(CosineAnnealingLR, T_max = 3), as Tip-Adapter-F trains them.
"""
import json, math, os
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(11)
n_classes, shots, d, b = 3, 2, 4, 5
features = torch.randn(n_classes * shots, d, dtype=torch.float64)
labels = torch.tensor([0, 0, 1, 1, 2, 2])
class_weights = F.normalize(torch.randn(n_classes, d, dtype=torch.float64), dim=-1)
queries = F.normalize(torch.randn(b, d, dtype=torch.float64), dim=-1)
query_labels = torch.tensor([2, 0, 1, 1, 0])
alpha, beta, scale = 1.7, 5.5, 10.0

keys = F.normalize(features, dim=-1).clone().requires_grad_()
values = F.one_hot(labels, n_classes).to(torch.float64)
affinity = torch.exp(-beta * (1 - queries @ keys.T))
cache = affinity @ values
logits = alpha * cache + scale * queries @ class_weights.T
loss = F.cross_entropy(logits, query_labels)
loss.backward()

# Tip-Adapter-F: the keys alone, trained on the queries for 3 full-batch steps
lr, steps = 0.05, 3
trained = F.normalize(features, dim=-1).clone().requires_grad_()
opt = torch.optim.AdamW([trained], lr=lr, weight_decay=0.0)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
losses = []
for _ in range(steps):
    step_logits = alpha * torch.exp(-beta * (1 - queries @ trained.T)) @ values + scale * queries @ class_weights.T
    step_loss = F.cross_entropy(step_logits, query_labels)
    opt.zero_grad()
    step_loss.backward()
    opt.step()
    sched.step()
    losses.append(step_loss.item())

flat = lambda x: x.detach().reshape(-1).tolist()
json.dump({
    "classes": n_classes, "shots": shots, "d": d, "b": b, "alpha": alpha, "beta": beta, "scale": scale,
    "features": flat(features), "labels": labels.tolist(), "class_weights": flat(class_weights),
    "queries": flat(queries), "query_labels": query_labels.tolist(),
    "keys": flat(keys), "affinity": flat(affinity), "cache_logits": flat(cache), "logits": flat(logits),
    "loss": loss.item(), "grad_keys": flat(keys.grad),
    "lr": lr, "steps": steps, "fine_tuned_keys": flat(trained), "fine_tune_losses": losses,
}, open(os.path.join(here, "tip_adapter.json"), "w"), indent=1)
