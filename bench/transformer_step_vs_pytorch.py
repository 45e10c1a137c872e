#!/usr/bin/env python3
"""One training step of the spec's induction model (2 layers, d 128, 4 heads, batch 256, softmax, concat
positions, λ = 0.2), timed in PyTorch eager (Debian's python3-torch) and in polarlab
(build/.../transformer_step_bench), side by side; prints the ratio PyTorch / polarlab.

Usage: bench/transformer_step_vs_pytorch.py [--bench PATH] [--steps N] [--threads T] [--device cpu|cuda]
Installs nothing: needs python3-torch (apt install python3-torch) and the built bench program.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d=128, heads=4, d_ff=512):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(d, d_ff), nn.Linear(d_ff, d)

    def forward(self, x, mask):
        B, T, D = x.shape
        h = self.ln1(x)
        split = lambda t: t.view(B, T, self.heads, self.dh).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        s = q @ k.transpose(-2, -1) / math.sqrt(self.dh)
        a = torch.softmax(s.masked_fill(~mask, float("-inf")), -1)
        x = x + self.o((a @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Model(nn.Module):
    def __init__(self, vocab=50, d=128, heads=4, layers=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d // 2), nn.Embedding(512, d // 2)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, x):
        B, T = x.shape
        h = torch.cat([self.tok(x), self.pos(torch.arange(T, device=x.device)).expand(B, T, -1)], -1)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        for b in self.blocks:
            h = b(h, mask)
        return self.head(self.ln_f(h))


def induction_batch(n, vocab=50, k=10, gen=None):
    m = torch.rand(n, vocab - 1, generator=gen).argsort(-1)[:, :k] + 1
    r = torch.randint(1, k + 1, (n,), generator=gen)
    q = m.gather(1, (r - 1).unsqueeze(1))
    seq = torch.cat([torch.zeros(n, 1, dtype=torch.long), m, q], 1)
    c = seq.gather(1, (r + 1).unsqueeze(1))
    seq = torch.cat([seq, c], 1)
    return seq[:, :-1], seq[:, 1:]


def pytorch_seconds_per_step(steps, warmup, device, aux=0.2):
    torch.manual_seed(0)
    model = Model().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    gen = torch.Generator().manual_seed(0)
    x, y = induction_batch(256 * 8, gen=gen)
    x, y = x.to(device), y.to(device)
    def step(i):
        xb, yb = x[(i % 8) * 256:(i % 8 + 1) * 256], y[(i % 8) * 256:(i % 8 + 1) * 256]
        logits = model(xb)
        V = logits.shape[-1]
        loss = F.cross_entropy(logits[:, -1], yb[:, -1]) + aux * F.cross_entropy(logits[:, :-1].reshape(-1, V), yb[:, :-1].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()  # polarlab's bench syncs on the loss each step too
    for i in range(warmup):
        step(i)
    t, c = time.perf_counter(), time.process_time()
    for i in range(steps):
        step(i)
    return (time.perf_counter() - t) / steps, (time.process_time() - c) / steps


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(here, "..", "build", "torch", "transformer_step_bench"))
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    py, py_cpu = pytorch_seconds_per_step(a.steps, a.warmup, a.device)
    print(f"pytorch eager {torch.__version__}: {py * 1e3:.1f} ms/step wall, {py_cpu * 1e3:.1f} ms cpu "
          f"({a.threads} threads, {a.device})")
    if not os.path.exists(a.bench):
        sys.exit(f"no polarlab bench at {a.bench}: build target transformer_step_bench (-DPOLARLAB_BENCH=ON)")
    out = subprocess.run([a.bench, "--steps", str(a.steps), "--warmup", str(a.warmup), "--threads", str(a.threads),
                          "--device", a.device, "--json"], check=True, capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    pl, pl_cpu = res["seconds_per_step"], res["cpu_seconds_per_step"]
    print(f"polarlab: {pl * 1e3:.1f} ms/step wall, {pl_cpu * 1e3:.1f} ms cpu")
    # On a shared machine the CPU-time ratio is the steadier one (wall time includes the neighbours).
    print(f"ratio pytorch/polarlab: {py / pl:.2f}x wall, {py_cpu / pl_cpu:.2f}x cpu "
          f"(goal: >= 1.1 on CPU, >= 1.5 on CUDA)")


if __name__ == "__main__":
    main()
