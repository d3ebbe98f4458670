#!/usr/bin/python3
"""The reference values the CLIP loss test compares against, from PyTorch (python3-torch), in float64.

Run once from the repository root:  /usr/bin/python3 tests/Models.Tests/reference/make_clip_reference.py
It writes clip_loss.json next to itself: unit image and text embeddings of a batch of 5 pairs, a logit scale, the
symmetric InfoNCE loss computed the way the CLIP paper's pseudocode does, and its gradients with respect to both
embeddings and to the log scale.
"""
import json, os
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(3)
n, d = 5, 4
image = F.normalize(torch.randn(n, d, dtype=torch.float64), dim=-1).requires_grad_()
text = F.normalize(torch.randn(n, d, dtype=torch.float64), dim=-1).requires_grad_()
t = torch.tensor(1.7, dtype=torch.float64, requires_grad=True)
logits = t.exp() * image @ text.T
labels = torch.arange(n)
loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
loss.backward()

flat = lambda x: x.detach().reshape(-1).tolist()
json.dump({
    "n": n, "d": d, "t": t.item(), "image": flat(image), "text": flat(text),
    "loss": loss.item(), "grad_image": flat(image.grad), "grad_text": flat(text.grad), "grad_t": t.grad.item(),
}, open(os.path.join(here, "clip_loss.json"), "w"), indent=1)
