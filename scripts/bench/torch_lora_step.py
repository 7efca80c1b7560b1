#!/usr/bin/env python3
"""PyTorch eager LoRA reference for scripts/bench/lora.sh: LoRA-SFT training steps of a Hugging
Face Llama-family directory in plain PyTorch (float32, CPU): frozen base, r-rank adapters on every
projection (A Kaiming-uniform, B zero, scale alpha/r), next-token cross-entropy on the completion
(all but the first 16 tokens), torch.optim.AdamW over the adapters, global-norm clip 1.0. Random
token rows of --seq tokens, batch --batch; tokens/s over --steps after 2 warm-up steps, peak RSS.
The baseline the issue asks for: what a user gets writing the loop in PyTorch eager.
Usage: torch_lora_step.py MODEL_DIR [--seq 512] [--batch 4] [--steps 8] [--r 8] [--threads N]
"""
import argparse
import math
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from torch_eager_llama import EagerLlama  # noqa: E402  (weights, config, rms, rope)

PROJ = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


class LoraLlama(EagerLlama):
    def __init__(self, model_dir, r):
        super().__init__(model_dir)
        self.scale = 2.0 * r / r  # alpha = 2r, as the Java bench
        self.lora = {}
        for l in range(self.L):
            for n in PROJ:
                name = f"model.layers.{l}.{n}"
                out_f, in_f = self.w[name + ".weight"].shape
                a = torch.empty(r, in_f).uniform_(-1 / math.sqrt(in_f), 1 / math.sqrt(in_f)).requires_grad_()
                b = torch.zeros(out_f, r, requires_grad=True)
                self.lora[name] = (a, b)

    def lin(self, x, name):
        y = super().lin(x, name)
        ab = self.lora.get(name)
        if ab is not None:
            y = y + self.scale * torch.nn.functional.linear(torch.nn.functional.linear(x, ab[0]), ab[1])
        return y

    def forward(self, ids):  # full sequence, causal
        B, T = ids.shape
        x = self.w["model.embed_tokens.weight"][ids]
        pos = torch.arange(T)
        g = self.H // self.KVH
        mask = torch.full((T, T), float("-inf")).triu(1)
        for l in range(self.L):
            p = f"model.layers.{l}."
            h = self.rms(x, self.w[p + "input_layernorm.weight"])
            q = self.rope(self.lin(h, p + "self_attn.q_proj").view(B, T, self.H, self.hd).transpose(1, 2), pos)
            k = self.rope(self.lin(h, p + "self_attn.k_proj").view(B, T, self.KVH, self.hd).transpose(1, 2), pos)
            v = self.lin(h, p + "self_attn.v_proj").view(B, T, self.KVH, self.hd).transpose(1, 2)
            s = q @ k.repeat_interleave(g, 1).transpose(2, 3) / (self.hd ** 0.5) + mask
            y = (s.softmax(-1) @ v.repeat_interleave(g, 1)).transpose(1, 2).reshape(B, T, self.H * self.hd)
            x = x + self.lin(y, p + "self_attn.o_proj")
            h = self.rms(x, self.w[p + "post_attention_layernorm.weight"])
            x = x + self.lin(torch.nn.functional.silu(self.lin(h, p + "mlp.gate_proj")) * self.lin(h, p + "mlp.up_proj"),
                             p + "mlp.down_proj")
        return self.rms(x, self.w["model.norm.weight"]) @ self.head.T


def main():
    a = argparse.ArgumentParser()
    a.add_argument("model")
    a.add_argument("--seq", type=int, default=512)
    a.add_argument("--batch", type=int, default=4)
    a.add_argument("--steps", type=int, default=8)
    a.add_argument("--r", type=int, default=8)
    a.add_argument("--threads", type=int, default=os.cpu_count())
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    m = LoraLlama(args.model, args.r)
    params = [t for ab in m.lora.values() for t in ab]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.0)
    vocab = m.head.shape[0]
    times = []
    for step in range(2 + args.steps):
        ids = torch.randint(1, vocab, (args.batch, args.seq))
        t0 = time.perf_counter()
        logits = m.forward(ids[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits[:, 15:].reshape(-1, vocab), ids[:, 16:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
    sec = sum(times[2:])
    print(f"torch eager LoRA (r {args.r}, all 7 projections, torch {torch.__version__}, {args.threads} threads): "
          f"{1e3 * sec / args.steps:.0f} ms/step")
    print(f"torch_lora_tokens_per_second={args.steps * args.batch * (args.seq - 1) / sec:.0f}")
    print(f"torch_lora_peak_rss_mib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
