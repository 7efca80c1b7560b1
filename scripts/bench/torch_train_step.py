#!/usr/bin/env python3
"""PyTorch-eager baseline for scripts/bench/train_throughput.sh.

The same model and step as dev.stepwise.bench.TrainStepBench, in plain eager PyTorch:
GPT-2 (learned positions, pre-LayerNorm blocks, one fused qkv Linear, 4x GELU MLP, final
LayerNorm, LM head tied to the token embedding), width 128, 4 layers, 4 heads, context 128,
vocabulary 100, batch 16, float32, no dropout. Causal attention is written out
(q.k^T / sqrt(d_head) + causal mask, softmax, .v) because torch 1.13 has no
F.scaled_dot_product_attention. One optimizer step = forward, completion-only
cross-entropy (the first 15 labels of each row, the prompt part, are masked as in the Java
SFT objective), backward, clip_grad_norm_(1.0), AdamW(lr 1e-3, weight decay 0.01 on
matrices only, as the Java trainer groups them), a linear LR schedule, zero_grad, and one
host read of the loss (the Java trainer reads the loss and the gradient norm every step).

Data: random token rows of 129 ids in 1..99 (so 128 inputs, no padding). Tokens per step =
16 * 128 = 2048 non-pad input tokens. Timing: steady state, wall time of the timed steps
after the warm-up steps, measured the same way as the Java bench (end of the last warm-up
step to end of the last timed step).

Also prints which BLAS library the process loaded and the fp32 throughput of a 1024^3
matmul in this process: Debian's python3-torch is built with BLAS_INFO=generic and calls
whatever libblas.so.3 the Debian alternatives select (the reference BLAS unless an optimised
one such as libopenblas0 is installed), which sets most of its training speed.

Prints key=value lines: torch_tokens_per_second, torch_step_ms_mean, torch_step_ms_median,
torch_matmul_gflops, torch_blas.
Usage: torch_train_step.py [--steps 30] [--warmup 5] [--threads 2]
"""
import argparse
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

B, T, D, L, H, V, PROMPT = 16, 128, 128, 4, 4, 100, 16


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(D, eps=1e-5)
        self.c_attn = nn.Linear(D, 3 * D)
        self.c_proj = nn.Linear(D, D)
        self.ln_2 = nn.LayerNorm(D, eps=1e-5)
        self.c_fc = nn.Linear(D, 4 * D)
        self.mlp_proj = nn.Linear(4 * D, D)

    def forward(self, x, causal):
        b, t, d = x.shape
        hd = d // H
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q = q.view(b, t, H, hd).transpose(1, 2)
        k = k.view(b, t, H, hd).transpose(1, 2)
        v = v.view(b, t, H, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(causal[:t, :t], float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, d)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT2(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, D)
        self.wpe = nn.Embedding(T, D)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(D, eps=1e-5)
        self.register_buffer("causal", torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1))
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln_" in name:
                nn.init.ones_(p)
            else:
                std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") or "mlp_proj" in name else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, ids):
        t = ids.shape[1]
        pos = torch.arange(t, device=ids.device)
        x = self.wte(ids) + self.wpe(pos)
        for blk in self.h:
            x = blk(x, self.causal)
        return self.ln_f(x) @ self.wte.weight.t()  # tied LM head


def blas_library():
    """The BLAS shared object this process mapped (from /proc/self/maps), or 'unknown'."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.realpath(x) for x in libs)) or "none mapped"
    except OSError:
        return "unknown"


def matmul_gflops(n=1024, reps=7):
    """Median fp32 GFLOP/s of an n x n by n x n product, after two warm-up products."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    times = []
    for i in range(reps + 2):
        t = time.perf_counter()
        torch.mm(a, b)
        if i >= 2:
            times.append(time.perf_counter() - t)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peak-reps", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = GPT2()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    total = a.warmup + a.steps
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (total - s) / total))
    g = torch.Generator().manual_seed(0)
    rows = torch.randint(1, V, (total, B, T + 1), generator=g)
    rows[:, :, -1] = 0  # EOS, as in the Java bench
    mask = torch.ones(B, T)
    mask[:, : PROMPT - 1] = 0.0  # labels 0..14 are prompt tokens
    stamps = []
    losses = []
    for s in range(total):
        inp, lab = rows[s, :, :-1], rows[s, :, 1:]
        logits = model(inp)
        nll = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), reduction="none").view(B, T)
        loss = (nll * mask).sum() / mask.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=False)
        losses.append(loss.item())
        stamps.append(time.perf_counter())
    dts = [stamps[i] - stamps[i - 1] for i in range(a.warmup, total)]
    mean = (stamps[-1] - stamps[a.warmup - 1]) / a.steps
    print(f"torch {torch.__version__}, intra-op threads {torch.get_num_threads()}, "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    print(f"torch eager step: mean {1e3 * mean:.1f} ms, median {1e3 * statistics.median(dts):.1f} ms, "
          f"min {1e3 * min(dts):.1f}, max {1e3 * max(dts):.1f} over {a.steps} steps after {a.warmup} warm-up")
    print(f"loss: {losses[0]:.4f} at step 1, {losses[-1]:.4f} at step {total}")
    print(f"torch_tokens_per_second={B * T / mean:.0f}")
    print(f"torch_step_ms_mean={1e3 * mean:.1f}")
    print(f"torch_step_ms_median={1e3 * statistics.median(dts):.1f}")
    print(f"torch_matmul_gflops={matmul_gflops(reps=a.peak_reps):.1f}")
    print(f"torch_blas={blas_library()}")


if __name__ == "__main__":
    main()
