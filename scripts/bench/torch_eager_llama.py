#!/usr/bin/env python3
"""PyTorch eager reference for scripts/bench/real_model.sh: sampling tokens/s of a Hugging Face
Llama-family directory with a plain PyTorch KV-cache decoder (float32, CPU), batch 1 and 32,
temperature 1, 128 new tokens after the same prompt ids, medians of --runs runs after a warm-up.

It is the baseline the issue asks for ("PyTorch eager on the same weights"): what a user gets
from writing the loop in PyTorch without compilation. Weights and config are read with the
test reference's reader (framework/src/test/python/llama_ref.py); the forward here is written
with torch ops (RMSNorm, rotate-half rotary, GQA by repeating KV heads, SwiGLU).
Usage: torch_eager_llama.py MODEL_DIR --ids 1,403,407 [--batches 1 32] [--runs 5] [--threads 2]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "framework", "src", "test", "python"))
import llama_ref  # noqa: E402


class EagerLlama:
    def __init__(self, model_dir):
        self.cfg = llama_ref.load_config(model_dir)
        w = llama_ref.load_weights(model_dir)
        self.w = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in w.items()}
        c = self.cfg
        self.L = c.layers
        self.H = c.heads
        self.KVH = c.kv_heads
        self.hd = c.head_dim
        self.eps = c.eps
        self.inv = torch.from_numpy(np.asarray(llama_ref.rope_inv_freq(c), dtype=np.float32))
        self.head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])

    def lin(self, x, name):
        b = self.w.get(name + ".bias")
        return torch.nn.functional.linear(x, self.w[name + ".weight"], b)

    def rms(self, x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * g

    def rope(self, x, pos):  # x (B, h, T, hd), pos (T,)
        f = pos[:, None].float() * self.inv[None, :]
        emb = torch.cat([f, f], -1)
        cos, sin = emb.cos(), emb.sin()
        h = self.hd // 2
        rot = torch.cat([-x[..., h:], x[..., :h]], -1)
        return x * cos + rot * sin

    def step(self, ids, cache, start):  # ids (B, T)
        B, T = ids.shape
        x = self.w["model.embed_tokens.weight"][ids]
        pos = torch.arange(start, start + T)
        g = self.H // self.KVH
        for l in range(self.L):
            p = f"model.layers.{l}."
            h = self.rms(x, self.w[p + "input_layernorm.weight"])
            q = self.lin(h, p + "self_attn.q_proj").view(B, T, self.H, self.hd)
            k = self.lin(h, p + "self_attn.k_proj").view(B, T, self.KVH, self.hd)
            v = self.lin(h, p + "self_attn.v_proj").view(B, T, self.KVH, self.hd)
            if p + "self_attn.q_norm.weight" in self.w:
                q = self.rms(q, self.w[p + "self_attn.q_norm.weight"])
                k = self.rms(k, self.w[p + "self_attn.k_norm.weight"])
            q = self.rope(q.transpose(1, 2), pos)
            k = self.rope(k.transpose(1, 2), pos)
            v = v.transpose(1, 2)
            if cache[l] is not None:
                k = torch.cat([cache[l][0], k], 2)
                v = torch.cat([cache[l][1], v], 2)
            cache[l] = (k, v)
            kk = k.repeat_interleave(g, 1)
            vv = v.repeat_interleave(g, 1)
            s = q @ kk.transpose(2, 3) / (self.hd ** 0.5)
            if T > 1:
                s = s + torch.full((T, start + T), float("-inf")).triu(start + 1)
            y = (s.softmax(-1) @ vv).transpose(1, 2).reshape(B, T, self.H * self.hd)
            x = x + self.lin(y, p + "self_attn.o_proj")
            h = self.rms(x, self.w[p + "post_attention_layernorm.weight"])
            m = torch.nn.functional.silu(self.lin(h, p + "mlp.gate_proj")) * self.lin(h, p + "mlp.up_proj")
            x = x + self.lin(m, p + "mlp.down_proj")
        return self.rms(x[:, -1], self.w["model.norm.weight"]) @ self.head.T

    @torch.no_grad()
    def generate(self, prompt, batch, new_tokens, gen):
        ids = torch.tensor([prompt] * batch)
        cache = [None] * self.L
        logits = self.step(ids, cache, 0)
        start = len(prompt)
        for _ in range(new_tokens):
            tok = torch.multinomial(logits.softmax(-1), 1, generator=gen)
            logits = self.step(tok, cache, start)
            start += 1
        return batch * new_tokens


def main():
    a = argparse.ArgumentParser()
    a.add_argument("model")
    a.add_argument("--ids", required=True)
    a.add_argument("--batches", type=int, nargs="+", default=[1, 32])
    a.add_argument("--runs", type=int, default=5)
    a.add_argument("--new", type=int, default=128)
    a.add_argument("--threads", type=int, default=os.cpu_count())
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    m = EagerLlama(args.model)
    prompt = [int(t) for t in args.ids.split(",")]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32 eager, KV cache")
    gen = torch.Generator().manual_seed(0)
    for b in args.batches:
        end = time.time() + 2
        while time.time() < end:
            m.generate(prompt, b, args.new, gen)
        tps = []
        for _ in range(args.runs):
            s = time.perf_counter()
            n = m.generate(prompt, b, args.new, gen)
            tps.append(n / (time.perf_counter() - s))
        print(f"batch {b:3d}: {statistics.median(tps):8.0f} generated tok/s (median of {args.runs}; best {max(tps):.0f}), PyTorch eager")


if __name__ == "__main__":
    main()
