#!/usr/bin/python3
"""The reference values the GRU test compares against, from torch.nn.GRU (python3-torch), in float64.

Run once from the repository root:  /usr/bin/python3 tests/Models.Tests/reference/make_gru_reference.py
It writes gru.json next to itself: the weights, an input sequence, the initial state, the outputs of a GRU with a
linear output layer, and the gradients of L = sum(G * logits) for a fixed G. The data are stored explicitly, so the
test does not depend on random generators agreeing.
"""
import json, os
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(7)
I, H, O, T, B = 3, 4, 2, 6, 2
gru = torch.nn.GRU(I, H).double()
head = torch.nn.Linear(H, O).double()
xs = torch.randn(T, B, I, dtype=torch.float64)
h0 = (0.5 * torch.randn(1, B, H, dtype=torch.float64)).requires_grad_()
G = torch.randn(T, B, O, dtype=torch.float64)
states, _ = gru(xs, h0)
logits = head(states)
(G * logits).sum().backward()

flat = lambda t: t.detach().reshape(-1).tolist()
json.dump({
    "sizes": [I, H, O, T, B],
    "weight_ih": flat(gru.weight_ih_l0), "bias_ih": flat(gru.bias_ih_l0),
    "weight_hh": flat(gru.weight_hh_l0), "bias_hh": flat(gru.bias_hh_l0),
    "head_weight": flat(head.weight), "head_bias": flat(head.bias),
    "xs": flat(xs), "h0": flat(h0), "G": flat(G),
    "states": flat(states), "logits": flat(logits),
    "grad_weight_ih": flat(gru.weight_ih_l0.grad), "grad_weight_hh": flat(gru.weight_hh_l0.grad),
    "grad_bias_ih": flat(gru.bias_ih_l0.grad), "grad_bias_hh": flat(gru.bias_hh_l0.grad),
    "grad_h0": flat(h0.grad),
}, open(os.path.join(here, "gru.json"), "w"), indent=0)
