#!/usr/bin/env python3
"""Independent NumPy reference for the Hugging Face Llama-family decoder forward.

Used by the Java parity tests of Stepwise.  Written from the architecture
descriptions (papers, model docs), not from the transformers source; see README.md
in this folder for the list of sources.  Only the Python standard library and
NumPy (>= 1.17; tested with 2.x, written to run on Debian's 1.24) are used.

Subcommands
  make      --dir D --variant V --dtype {F32,BF16,F16} --seed S [--shards N]
  forward   --dir D --ids FILE --out FILE [--json] [--adapter A]
  make-adapter --dir D --adapter A --targets q_proj,v_proj --r R --alpha X --seed S [--rslora]
                                         (a PEFT LoRA adapter with random A and B, written here)
  generate  --dir D --ids FILE --max-new N [--stop-at-eos] [--decode]
  info      --dir D                      (config summary + rotary frequencies)
  encode    --dir D --text "..." [--no-bos]   (BPE from tokenizer.json)
  decode    --dir D --ids "[1,2,3]"
  selfcheck                              (padding / dtype / shard / GQA / window checks)

All arithmetic of `forward` is float64 regardless of the file dtype; weights are
widened exactly from F32/F16/BF16.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

# ----------------------------------------------------------------------------
# safetensors I/O (format: u64 LE header length, JSON header, raw data)
# ----------------------------------------------------------------------------

_DTYPE_SIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2}
_TORCH_DTYPE = {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}


def f32_to_bf16_bits(a):
    """float array -> uint16 bfloat16 bits, round-to-nearest-even on the upper 16 bits."""
    u = np.ascontiguousarray(a, dtype="<f4").view("<u4").astype(np.uint64)
    lsb = (u >> np.uint64(16)) & np.uint64(1)
    r = (u + np.uint64(0x7FFF) + lsb) >> np.uint64(16)
    return (r & np.uint64(0xFFFF)).astype("<u2")


def bf16_bits_to_f32(bits):
    u = np.asarray(bits, dtype="<u2").astype("<u4") << np.uint32(16)
    return u.view("<f4")


def encode_tensor(a, dtype):
    a = np.asarray(a, dtype=np.float64)
    if dtype == "F32":
        return a.astype("<f4").tobytes()
    if dtype == "F16":
        return a.astype("<f2").tobytes()  # IEEE round-to-nearest-even
    if dtype == "BF16":
        return f32_to_bf16_bits(a.astype("<f4")).tobytes()
    if dtype == "F64":
        return a.astype("<f8").tobytes()
    raise ValueError("unsupported dtype " + dtype)


def write_safetensors(path, tensors, dtype, metadata=None):
    """tensors: list of (name, float64 array). Returns number of data bytes."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs = []
    off = 0
    for name, arr in tensors:
        b = encode_tensor(arr, dtype)
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # pad header to 8-byte alignment like the Rust writer
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    return off


def read_safetensors(path):
    """Returns dict name -> float64 ndarray."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt = info["dtype"]
        s, e = info["data_offsets"]
        buf = raw[base + s:base + e]
        shape = tuple(info["shape"])
        if dt == "F32":
            a = np.frombuffer(buf, dtype="<f4")
        elif dt == "F16":
            a = np.frombuffer(buf, dtype="<f2")
        elif dt == "BF16":
            a = bf16_bits_to_f32(np.frombuffer(buf, dtype="<u2"))
        elif dt == "F64":
            a = np.frombuffer(buf, dtype="<f8")
        else:
            raise ValueError("unsupported safetensors dtype %s for %s" % (dt, name))
        out[name] = a.astype(np.float64).reshape(shape)
    return out


def load_weights(model_dir):
    idx = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(idx):
        with open(idx) as f:
            wm = json.load(f)["weight_map"]
        out = {}
        for fn in sorted(set(wm.values())):
            part = read_safetensors(os.path.join(model_dir, fn))
            for k, v in part.items():
                if wm.get(k) == fn:
                    out[k] = v
        missing = [k for k in wm if k not in out]
        if missing:
            raise ValueError("index names tensors not found in shards: %s" % missing[:5])
        return out
    return read_safetensors(os.path.join(model_dir, "model.safetensors"))


# ----------------------------------------------------------------------------
# config
# ----------------------------------------------------------------------------

class Cfg(object):
    def __init__(self, d):
        self.raw = d
        self.model_type = d.get("model_type", "llama")
        self.hidden = int(d["hidden_size"])
        self.inter = int(d["intermediate_size"])
        self.layers = int(d["num_hidden_layers"])
        self.heads = int(d["num_attention_heads"])
        kv = d.get("num_key_value_heads")
        self.kv_heads = int(kv) if kv is not None else self.heads
        hd = d.get("head_dim")
        self.head_dim = int(hd) if hd is not None else self.hidden // self.heads
        self.vocab = int(d["vocab_size"])
        self.eps = float(d.get("rms_norm_eps", 1e-6))
        rp = d.get("rope_parameters")  # newer transformers layout, accepted for robustness
        self.rope_theta = float(d.get("rope_theta", (rp or {}).get("rope_theta", 10000.0)))
        rs = d.get("rope_scaling")
        if rs is None and rp is not None and rp.get("rope_type", "default") != "default":
            rs = rp
        self.rope_scaling = rs
        self.tied = bool(d.get("tie_word_embeddings", False))
        self.bos = d.get("bos_token_id")
        self.eos = d.get("eos_token_id")
        hact = d.get("hidden_act", "silu")
        if hact not in ("silu", "swish"):
            raise ValueError("hidden_act %r not supported" % hact)
        # Sliding window: Mistral applies config.sliding_window to every layer when it is not
        # null.  Qwen2/Qwen3 only when use_sliding_window is true (layer subset rules via
        # max_window_layers have changed between versions, see README) -> refused here.
        self.sliding_window = None
        if self.model_type == "mistral":
            sw = d.get("sliding_window")
            self.sliding_window = int(sw) if sw is not None else None
        elif d.get("use_sliding_window", False):
            raise NotImplementedError("use_sliding_window=true is not supported for %s" % self.model_type)
        if self.heads % self.kv_heads != 0:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")


def load_config(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        return Cfg(json.load(f))


# ----------------------------------------------------------------------------
# rotary embedding
# ----------------------------------------------------------------------------

def rope_inv_freq(cfg):
    """Returns (inv_freq[head_dim/2], position_divisor)."""
    d = cfg.head_dim
    i = np.arange(0, d // 2, dtype=np.float64)
    inv = cfg.rope_theta ** (-(2.0 * i) / d)  # theta^(-2i/d)  (RoFormer, eq. 15)
    rs = cfg.rope_scaling
    if not rs:
        return inv
    rtype = rs.get("rope_type", rs.get("type", "default"))
    if rtype == "default":
        return inv
    if rtype == "linear":
        # Position interpolation (Chen et al. 2023): position m -> m / factor, which is
        # the same as dividing every frequency by factor.
        return inv / float(rs["factor"])
    if rtype == "llama3":
        # Llama 3.1 "frequency-dependent" scaling (Meta's apply_scaling, HF rope_type llama3):
        #   wavelen = 2*pi/f, L = original_max_position_embeddings
        #   wavelen < L/high_freq_factor          -> f unchanged (high frequencies)
        #   wavelen > L/low_freq_factor           -> f / factor  (low frequencies)
        #   otherwise (both bounds inclusive)     -> (1-s)*f/factor + s*f,
        #                                             s = (L/wavelen - low) / (high - low)
        factor = float(rs["factor"])
        low = float(rs["low_freq_factor"])
        high = float(rs["high_freq_factor"])
        L = float(rs["original_max_position_embeddings"])
        wavelen = 2.0 * math.pi / inv
        out = inv.copy()
        for j in range(len(inv)):
            if wavelen[j] < L / high:
                out[j] = inv[j]
            elif wavelen[j] > L / low:
                out[j] = inv[j] / factor
            else:
                s = (L / wavelen[j] - low) / (high - low)
                out[j] = (1.0 - s) * inv[j] / factor + s * inv[j]
        return out
    raise NotImplementedError("rope_type %r not supported" % rtype)


def llama3_bands(cfg):
    rs = cfg.rope_scaling or {}
    d = cfg.head_dim
    inv = cfg.rope_theta ** (-(2.0 * np.arange(d // 2)) / d)
    wl = 2 * math.pi / inv
    L = float(rs["original_max_position_embeddings"])
    hi = L / float(rs["high_freq_factor"])
    lo = L / float(rs["low_freq_factor"])
    return ["high" if w < hi else ("low" if w > lo else "mid") for w in wl], wl


def apply_rotary(x, cos, sin):
    """x: (B,T,H,D); cos/sin: (B,T,D/2).  Hugging Face "rotate_half" layout: dimension i is
    paired with i + D/2 (not the interleaved (2i, 2i+1) pairs of the RoFormer paper)."""
    h = x.shape[-1] // 2
    x1 = x[..., :h]
    x2 = x[..., h:]
    c = cos[:, :, None, :]
    s = sin[:, :, None, :]
    return np.concatenate([x1 * c - x2 * s, x2 * c + x1 * s], axis=-1)


# ----------------------------------------------------------------------------
# forward
# ----------------------------------------------------------------------------

def rms_norm(x, w, eps):
    var = np.mean(x * x, axis=-1, keepdims=True)
    return x / np.sqrt(var + eps) * w


def silu(x):
    return x / (1.0 + np.exp(-x))


# LoRA adapters (Hu et al. 2021, eq. 3; PEFT's file layout): module path -> (A (r, in), B (out, r), scale)
LORA = {}


def load_adapter(adapter_dir):
    """Reads a PEFT adapter: adapter_config.json (r, lora_alpha, use_rslora) and
    adapter_model.safetensors (base_model.model.<module>.lora_A.weight / lora_B.weight)."""
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        c = json.load(f)
    r = c["r"]
    scale = c["lora_alpha"] / (math.sqrt(r) if c.get("use_rslora") else r)
    T = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
    out = {}
    pre = "base_model.model."
    for k, A in T.items():
        if k.endswith(".lora_A.weight"):
            mod = k[len(pre):-len(".lora_A.weight")]
            out[mod] = (A, T[pre + mod + ".lora_B.weight"], scale)
    return out


def linear(W, x, prefix):
    """x @ W[prefix.weight].T (+ bias when the file has one) (+ scale * x A^T B^T with a LoRA adapter)."""
    y = x @ W[prefix + ".weight"].T
    b = W.get(prefix + ".bias")
    if b is not None:
        y = y + b
    if prefix in LORA:
        A, B, scale = LORA[prefix]
        y = y + scale * ((x @ A.T) @ B.T)
    return y


def position_ids_from_mask(mask):
    # As HF generate builds them: cumsum(mask) - 1, padded slots set to 1 (any value works:
    # padded positions are never attended to and their outputs are meaningless).
    pos = np.cumsum(mask, axis=1) - 1
    pos[mask == 0] = 1
    return pos


def allowed_keys(mask, sliding_window):
    """(B,Tq,Tk) boolean: query q may attend key k.

    causal:  k <= q           (indices in the padded sequence)
    padding: mask[b,k] == 1
    window (Mistral, when sliding_window W is set):  k > q - W, i.e. query q sees the W keys
      q-W+1 .. q (itself included).  Source: transformers masking_utils
      sliding_window_overlay (kv_idx > q_idx - sliding_window), and issue #29623 (eager mask
      caps at W keys).  Indices are positions in the padded row, so with left padding the
      window is counted over the same absolute slots (padding only shifts both q and k).
    """
    B, T = mask.shape
    q = np.arange(T)[:, None]
    k = np.arange(T)[None, :]
    ok = k <= q
    if sliding_window is not None:
        ok = ok & (k > q - sliding_window)
    allow = ok[None, :, :] & (mask[:, None, :] != 0)
    # A query with no visible key (a left-pad slot) would give 0/0; let it see itself.
    # Its output is meaningless (HF's value there is unspecified too).
    empty = ~allow.any(axis=-1)
    if empty.any():
        bi, qi = np.nonzero(empty)
        allow[bi, qi, qi] = True
    return allow


def forward(cfg, W, ids, mask=None):
    ids = np.asarray(ids, dtype=np.int64)
    B, T = ids.shape
    if mask is None:
        mask = np.ones((B, T), dtype=np.int64)
    mask = np.asarray(mask, dtype=np.int64)
    if ids.min() < 0 or ids.max() >= cfg.vocab:
        raise ValueError("token id out of range")
    H, KV, D = cfg.heads, cfg.kv_heads, cfg.head_dim
    G = H // KV
    pos = position_ids_from_mask(mask).astype(np.float64)
    ang = pos[:, :, None] * rope_inv_freq(cfg)[None, None, :]
    cos, sin = np.cos(ang), np.sin(ang)
    allow = allowed_keys(mask, cfg.sliding_window)  # (B,T,T)
    scale = 1.0 / math.sqrt(D)

    x = W["model.embed_tokens.weight"][ids]  # (B,T,hidden)
    for li in range(cfg.layers):
        p = "model.layers.%d." % li
        h = rms_norm(x, W[p + "input_layernorm.weight"], cfg.eps)
        q = linear(W, h, p + "self_attn.q_proj").reshape(B, T, H, D)
        k = linear(W, h, p + "self_attn.k_proj").reshape(B, T, KV, D)
        v = linear(W, h, p + "self_attn.v_proj").reshape(B, T, KV, D)
        if (p + "self_attn.q_norm.weight") in W:  # Qwen3: per-head RMSNorm before rotary
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"], cfg.eps)
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"], cfg.eps)
        q = apply_rotary(q, cos, sin)
        k = apply_rotary(k, cos, sin)
        # GQA: query head hh uses KV head hh // G
        k = np.repeat(k, G, axis=2)
        v = np.repeat(v, G, axis=2)
        s = np.einsum("bqhd,bkhd->bhqk", q, k) * scale
        s = np.where(allow[:, None, :, :], s, -np.inf)
        s = s - s.max(axis=-1, keepdims=True)
        e = np.exp(s)
        a = e / e.sum(axis=-1, keepdims=True)
        o = np.einsum("bhqk,bkhd->bqhd", a, v).reshape(B, T, H * D)
        x = x + linear(W, o, p + "self_attn.o_proj")
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], cfg.eps)
        m = silu(linear(W, h, p + "mlp.gate_proj")) * linear(W, h, p + "mlp.up_proj")
        x = x + linear(W, m, p + "mlp.down_proj")
    x = rms_norm(x, W["model.norm.weight"], cfg.eps)
    if cfg.tied or "lm_head.weight" not in W:
        head = W["model.embed_tokens.weight"]
    else:
        head = W["lm_head.weight"]
    return x @ head.T  # (B,T,V) float64


# ----------------------------------------------------------------------------
# random tiny models
# ----------------------------------------------------------------------------

VARIANTS = {
    # Llama 2 style: untied head, 6 query heads over 2 KV heads (3 per group), head_dim 8
    "llama": dict(model_type="llama", arch="LlamaForCausalLM", vocab=96, hidden=48, inter=128,
                  layers=2, heads=6, kv=2, head_dim=None, theta=10000.0, scaling=None,
                  tied=False, max_pos=128),
    # Llama 3.1 rope scaling; theta 500, head_dim 16 -> wavelengths 6.3 | 13.7, 29.7 | 64.6 ...
    # with L=32: high-freq bound 8, low-freq bound 32 -> 1 high, 2 mid, 5 low frequencies.
    "llama3": dict(model_type="llama", arch="LlamaForCausalLM", vocab=80, hidden=64, inter=160,
                   layers=2, heads=4, kv=2, head_dim=None, theta=500.0,
                   scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                            "high_freq_factor": 4.0, "original_max_position_embeddings": 32},
                   tied=True, max_pos=256),
    "llama_linear": dict(model_type="llama", arch="LlamaForCausalLM", vocab=72, hidden=32,
                         inter=96, layers=2, heads=4, kv=2, head_dim=None, theta=10000.0,
                         scaling={"type": "linear", "factor": 2.0}, tied=False, max_pos=256),
    "mistral": dict(model_type="mistral", arch="MistralForCausalLM", vocab=64, hidden=32,
                    inter=96, layers=2, heads=4, kv=2, head_dim=None, theta=10000.0,
                    scaling=None, tied=False, max_pos=128, sliding_window=16),
    # Qwen2: q/k/v bias, tied, 6 heads over 2 KV heads, large theta
    "qwen2": dict(model_type="qwen2", arch="Qwen2ForCausalLM", vocab=88, hidden=48, inter=112,
                  layers=2, heads=6, kv=2, head_dim=None, theta=1000000.0, scaling=None,
                  tied=True, max_pos=128, qkv_bias=True),
    # Qwen3: q_norm/k_norm, explicit head_dim 16 while hidden/heads = 8
    "qwen3": dict(model_type="qwen3", arch="Qwen3ForCausalLM", vocab=100, hidden=32, inter=96,
                  layers=2, heads=4, kv=2, head_dim=16, theta=1000000.0, scaling=None,
                  tied=False, max_pos=128, qk_norm=True),
    # plain multi-head attention
    "mha": dict(model_type="llama", arch="LlamaForCausalLM", vocab=64, hidden=32, inter=80,
                layers=2, heads=4, kv=4, head_dim=None, theta=10000.0, scaling=None,
                tied=False, max_pos=128),
}


def make_config(v, dtype):
    hd = v["head_dim"] if v["head_dim"] is not None else v["hidden"] // v["heads"]
    c = {
        "architectures": [v["arch"]],
        "model_type": v["model_type"],
        "hidden_size": v["hidden"],
        "intermediate_size": v["inter"],
        "num_hidden_layers": v["layers"],
        "num_attention_heads": v["heads"],
        "num_key_value_heads": v["kv"],
    }
    if v["model_type"] != "qwen2":  # Qwen2Config has no head_dim (always hidden/heads)
        c["head_dim"] = hd
    c.update({
        "vocab_size": v["vocab"],
        "max_position_embeddings": v["max_pos"],
        "rms_norm_eps": 1e-6 if v["model_type"].startswith("qwen") else 1e-5,
        "rope_theta": v["theta"],
        "rope_scaling": v["scaling"],
        "tie_word_embeddings": v["tied"],
        "hidden_act": "silu",
        "torch_dtype": _TORCH_DTYPE[dtype],
        "bos_token_id": 1,
        "eos_token_id": 2,
        "initializer_range": 0.02,
        "use_cache": True,
    })
    mt = v["model_type"]
    if mt == "llama":
        c["attention_bias"] = False
        c["mlp_bias"] = False
        c["pretraining_tp"] = 1
    elif mt == "mistral":
        c["sliding_window"] = v["sliding_window"]
    elif mt == "qwen2":
        # Real Qwen2 checkpoints ship a sliding_window value with use_sliding_window false;
        # the window is then NOT applied.
        c["use_sliding_window"] = False
        c["sliding_window"] = 4096
        c["max_window_layers"] = v["layers"]
    elif mt == "qwen3":
        c["attention_bias"] = False
        c["use_sliding_window"] = False
        c["sliding_window"] = None
        c["max_window_layers"] = v["layers"]
    return c


def make_weights(v, seed):
    rng = np.random.default_rng(seed)
    hid, inter, V = v["hidden"], v["inter"], v["vocab"]
    H, KV = v["heads"], v["kv"]
    D = v["head_dim"] if v["head_dim"] is not None else hid // H
    w_std = 0.15

    def normal(shape, std):
        return rng.standard_normal(shape) * std

    def norm_w(n):
        return 1.0 + 0.1 * rng.standard_normal(n)

    T = [("model.embed_tokens.weight", normal((V, hid), 0.3))]
    for i in range(v["layers"]):
        p = "model.layers.%d." % i
        T.append((p + "input_layernorm.weight", norm_w(hid)))
        T.append((p + "self_attn.q_proj.weight", normal((H * D, hid), w_std)))
        T.append((p + "self_attn.k_proj.weight", normal((KV * D, hid), w_std)))
        T.append((p + "self_attn.v_proj.weight", normal((KV * D, hid), w_std)))
        if v.get("qkv_bias"):
            T.append((p + "self_attn.q_proj.bias", normal((H * D,), 0.1)))
            T.append((p + "self_attn.k_proj.bias", normal((KV * D,), 0.1)))
            T.append((p + "self_attn.v_proj.bias", normal((KV * D,), 0.1)))
        T.append((p + "self_attn.o_proj.weight", normal((hid, H * D), w_std)))
        if v.get("qk_norm"):
            T.append((p + "self_attn.q_norm.weight", norm_w(D)))
            T.append((p + "self_attn.k_norm.weight", norm_w(D)))
        T.append((p + "post_attention_layernorm.weight", norm_w(hid)))
        T.append((p + "mlp.gate_proj.weight", normal((inter, hid), w_std)))
        T.append((p + "mlp.up_proj.weight", normal((inter, hid), w_std)))
        T.append((p + "mlp.down_proj.weight", normal((hid, inter), w_std)))
    T.append(("model.norm.weight", norm_w(hid)))
    if not v["tied"]:
        T.append(("lm_head.weight", normal((V, hid), 0.3)))
    return T


def cmd_make(a, quiet=False):
    if a.variant not in VARIANTS:
        sys.exit("unknown variant %r; one of %s" % (a.variant, sorted(VARIANTS)))
    v = VARIANTS[a.variant]
    os.makedirs(a.dir, exist_ok=True)
    cfg = make_config(v, a.dtype)
    with open(os.path.join(a.dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    T = make_weights(v, a.seed)
    n = a.shards
    if n <= 1:
        write_safetensors(os.path.join(a.dir, "model.safetensors"), T, a.dtype)
        files = ["model.safetensors"]
    else:
        if n > len(T):
            sys.exit("more shards than tensors")
        # contiguous groups, balanced by element count
        total = sum(t[1].size for t in T)
        groups = [[] for _ in range(n)]
        acc = 0
        for name, arr in T:
            g = min(n - 1, int(acc * n // total))
            groups[g].append((name, arr))
            acc += arr.size
        # make sure no shard is empty
        for g in range(n):
            if not groups[g]:
                donor = max(range(n), key=lambda j: len(groups[j]))
                groups[g].append(groups[donor].pop())
        weight_map = {}
        total_size = 0
        files = []
        for g in range(n):
            fn = "model-%05d-of-%05d.safetensors" % (g + 1, n)
            total_size += write_safetensors(os.path.join(a.dir, fn), groups[g], a.dtype)
            for name, _ in groups[g]:
                weight_map[name] = fn
            files.append(fn)
        with open(os.path.join(a.dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": total_size},
                       "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
            f.write("\n")
    if not quiet:
        print(json.dumps({"dir": a.dir, "variant": a.variant, "dtype": a.dtype,
                          "tensors": len(T), "files": files}))


# ----------------------------------------------------------------------------
# CLI: forward / generate / info
# ----------------------------------------------------------------------------

def read_ids(path):
    with open(path) as f:
        d = json.load(f)
    ids = d["ids"]
    if ids and isinstance(ids[0], int):
        ids = [ids]
    mask = d.get("mask")
    if mask is not None and mask and isinstance(mask[0], int):
        mask = [mask]
    ids = np.array(ids, dtype=np.int64)
    if ids.ndim != 2:
        raise ValueError("ids must be a rectangular list of lists")
    if mask is not None:
        mask = np.array(mask, dtype=np.int64)
        if mask.shape != ids.shape:
            raise ValueError("mask shape %s != ids shape %s" % (mask.shape, ids.shape))
    return ids, mask


def cmd_forward(a):
    cfg = load_config(a.dir)
    W = load_weights(a.dir)
    LORA.clear()
    if a.adapter:
        LORA.update(load_adapter(a.adapter))
    ids, mask = read_ids(a.ids)
    logits = forward(cfg, W, ids, mask)
    if a.json:
        with open(a.out, "w") as f:
            json.dump(logits.tolist(), f)
    else:
        with open(a.out, "wb") as f:
            f.write(np.ascontiguousarray(logits, dtype="<f4").tobytes())
    print(json.dumps({"shape": list(logits.shape),
                      "max_abs_logit": float(np.max(np.abs(logits)))}))


def cmd_make_adapter(a):
    """A PEFT-format LoRA adapter for the model in --dir with random A and B (B non-zero, so the
    adapter changes the output), written from the PEFT checkpoint-format description."""
    W = load_weights(a.dir)
    targets = a.targets.split(",")
    rng = np.random.default_rng(a.seed)
    T = []
    for name in sorted(W):
        if not name.endswith(".weight") or W[name].ndim != 2:
            continue
        mod = name[:-len(".weight")]
        if not any(mod == t or mod.endswith("." + t) for t in targets) or mod == "lm_head":
            continue
        out_f, in_f = W[name].shape
        T.append(("base_model.model." + mod + ".lora_A.weight", rng.uniform(-1, 1, (a.r, in_f)) / math.sqrt(in_f)))
        T.append(("base_model.model." + mod + ".lora_B.weight", rng.standard_normal((out_f, a.r)) * 0.05))
    os.makedirs(a.adapter, exist_ok=True)
    write_safetensors(os.path.join(a.adapter, "adapter_model.safetensors"), T, "F32", {"format": "pt"})
    cfg = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": os.path.abspath(a.dir),
           "r": a.r, "lora_alpha": a.alpha, "lora_dropout": 0.0, "target_modules": targets,
           "fan_in_fan_out": False, "bias": "none", "modules_to_save": None, "inference_mode": True,
           "init_lora_weights": True, "use_rslora": bool(a.rslora), "use_dora": False,
           "rank_pattern": {}, "alpha_pattern": {}, "layers_to_transform": None}
    with open(os.path.join(a.adapter, "adapter_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    print(json.dumps({"tensors": len(T)}))


def greedy(cfg, W, ids, mask, max_new, stop_at_eos=False):
    B = ids.shape[0]
    if mask is None:
        mask = np.ones_like(ids)
    new = [[] for _ in range(B)]
    done = [False] * B
    eos = cfg.eos if isinstance(cfg.eos, list) else ([cfg.eos] if cfg.eos is not None else [])
    for _ in range(max_new):
        logits = forward(cfg, W, ids, mask)
        nxt = np.argmax(logits[:, -1, :], axis=-1)
        for b in range(B):
            if not done[b]:
                new[b].append(int(nxt[b]))
                if stop_at_eos and int(nxt[b]) in eos:
                    done[b] = True
        if all(done):
            break
        ids = np.concatenate([ids, nxt[:, None]], axis=1)
        mask = np.concatenate([mask, np.ones((B, 1), dtype=mask.dtype)], axis=1)
    return new


def cmd_generate(a):
    cfg = load_config(a.dir)
    W = load_weights(a.dir)
    ids, mask = read_ids(a.ids)
    new = greedy(cfg, W, ids, mask, a.max_new, a.stop_at_eos)
    print(json.dumps(new))
    if a.decode:
        tok = Tokenizer(a.dir)
        for row in new:
            sys.stderr.write(tok.decode(row) + "\n")


def cmd_info(a):
    cfg = load_config(a.dir)
    inv = rope_inv_freq(cfg)
    d = {"model_type": cfg.model_type, "heads": cfg.heads, "kv_heads": cfg.kv_heads,
         "head_dim": cfg.head_dim, "tied": cfg.tied, "sliding_window": cfg.sliding_window,
         "rope_theta": cfg.rope_theta, "rope_scaling": cfg.rope_scaling,
         "inv_freq": inv.tolist()}
    rs = cfg.rope_scaling or {}
    if rs.get("rope_type", rs.get("type")) == "llama3":
        bands, wl = llama3_bands(cfg)
        d["llama3_bands"] = bands
        d["wavelengths"] = wl.tolist()
    print(json.dumps(d, indent=1))


# ----------------------------------------------------------------------------
# minimal BPE tokenizer (SentencePiece-style llama tokenizer.json), for self-checks only
# ----------------------------------------------------------------------------

class Tokenizer(object):
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
            t = json.load(f)
        m = t["model"]
        if m.get("type") != "BPE":
            raise ValueError("only BPE tokenizer.json supported")
        self.vocab = m["vocab"]
        self.inv = dict((i, s) for s, i in self.vocab.items())
        for at in t.get("added_tokens", []):
            self.inv[at["id"]] = at["content"]
        self.ranks = {}
        for r, mg in enumerate(m["merges"]):
            pair = tuple(mg.split(" ", 1)) if isinstance(mg, str) else tuple(mg)
            self.ranks[pair] = r
        self.byte_fallback = m.get("byte_fallback", False)

    def encode(self, text, bos=True):
        s = "\u2581" + text.replace(" ", "\u2581")
        parts = []
        for ch in s:
            if ch in self.vocab:
                parts.append(ch)
            else:
                parts.extend("<0x%02X>" % b for b in ch.encode("utf-8"))
        while len(parts) > 1:
            best, bi = None, -1
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            parts[bi:bi + 2] = [parts[bi] + parts[bi + 1]]
        ids = [self.vocab[p] for p in parts]
        return ([1] if bos else []) + ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            p = self.inv.get(int(i), "")
            if p.startswith("<0x") and p.endswith(">") and len(p) == 6:
                out.append(int(p[3:5], 16))
            elif p in ("<s>", "</s>", "<unk>"):
                continue
            else:
                out.extend(p.replace("\u2581", " ").encode("utf-8"))
        return out.decode("utf-8", errors="replace")


def cmd_encode(a):
    print(json.dumps(Tokenizer(a.dir).encode(a.text, bos=not a.no_bos)))


def cmd_decode(a):
    print(Tokenizer(a.dir).decode(json.loads(a.ids)))


# ----------------------------------------------------------------------------
# self-check (no external reference needed)
# ----------------------------------------------------------------------------

def cmd_selfcheck(a):
    import shutil
    import tempfile
    root = tempfile.mkdtemp(prefix="llama_ref_")
    ok = True

    def report(name, val, tol):
        passed = val <= tol
        print("%-58s %.3e  (tol %.0e) %s" % (name, val, tol, "ok" if passed else "FAIL"))
        return passed

    try:
        rng = np.random.default_rng(1234)
        for var in sorted(VARIANTS):
            d32 = os.path.join(root, var + "_f32")
            cmd_make(argparse.Namespace(dir=d32, variant=var, dtype="F32", seed=7, shards=1), quiet=True)
            cfg = load_config(d32)
            W = load_weights(d32)
            T = 24 if var == "mistral" else 12  # mistral: longer than the window (16)
            ids = rng.integers(0, cfg.vocab, size=(1, T))
            ref = forward(cfg, W, ids)
            print("%s: max|logit| %.3f, logit std %.3f" % (var, np.abs(ref).max(), ref.std()))
            # left padding: same ids behind 5 pad slots (pad id arbitrary)
            pad = 5
            pids = np.concatenate([np.full((1, pad), 3), ids], axis=1)
            pm = np.concatenate([np.zeros((1, pad), int), np.ones((1, T), int)], axis=1)
            both_ids = np.concatenate([np.concatenate([ids, ids[:, :pad]], axis=1), pids], axis=0)
            both_m = np.concatenate([np.ones((1, T + pad), int), pm], axis=0)
            got = forward(cfg, W, both_ids, both_m)
            ok &= report(var + ": left-pad vs unpadded (real positions)",
                         np.abs(got[1, pad:] - ref[0]).max(), 1e-9)
            ok &= report(var + ": batch row 0 vs single", np.abs(got[0, :T] - ref[0]).max(), 1e-9)
            for dt, tol in (("BF16", 0.3), ("F16", 0.02)):
                dd = os.path.join(root, var + "_" + dt)
                cmd_make(argparse.Namespace(dir=dd, variant=var, dtype=dt, seed=7, shards=1), quiet=True)
                o = forward(load_config(dd), load_weights(dd), ids)
                ok &= report(var + ": %s vs F32 max|diff|" % dt, np.abs(o - ref).max(), tol)
            ds = os.path.join(root, var + "_sh")
            cmd_make(argparse.Namespace(dir=ds, variant=var, dtype="F32", seed=7, shards=3), quiet=True)
            o = forward(load_config(ds), load_weights(ds), ids)
            ok &= report(var + ": 3 shards vs 1 file", np.abs(o - ref).max(), 0.0)
            if var == "mistral":
                cfg2 = load_config(d32)
                cfg2.sliding_window = None
                full = forward(cfg2, W, ids)
                w = cfg.sliding_window
                ok &= report("mistral: window inactive for t < W",
                             np.abs(full[0, :w] - ref[0, :w]).max(), 0.0)
                dif = np.abs(full[0, w:] - ref[0, w:]).max()
                print("mistral: window active for t >= W: max|diff| %.3e %s"
                      % (dif, "ok" if dif > 1e-6 else "FAIL"))
                ok &= dif > 1e-6
            if cfg.kv_heads < cfg.heads and var == "llama":
                # GQA == MHA with each KV head's projection repeated for its G query heads
                G, D = cfg.heads // cfg.kv_heads, cfg.head_dim
                W2 = dict(W)
                for li in range(cfg.layers):
                    for n in ("k_proj", "v_proj"):
                        key = "model.layers.%d.self_attn.%s.weight" % (li, n)
                        blocks = W[key].reshape(cfg.kv_heads, D, -1)
                        W2[key] = np.repeat(blocks, G, axis=0).reshape(cfg.heads * D, -1)
                cfg3 = load_config(d32)
                cfg3.kv_heads = cfg.heads
                ok &= report("llama: GQA == MHA with repeated KV weights",
                             np.abs(forward(cfg3, W2, ids) - ref).max(), 1e-12)
            if var == "llama3":
                bands, wl = llama3_bands(cfg)
                print("llama3 bands: %s (wavelengths %s)"
                      % (bands, ", ".join("%.1f" % x for x in wl)))
                ok &= set(bands) == set(["high", "mid", "low"])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("SELFCHECK", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    p = sub.add_parser("make")
    p.add_argument("--dir", required=True)
    p.add_argument("--variant", required=True, choices=sorted(VARIANTS))
    p.add_argument("--dtype", default="F32", choices=["F32", "BF16", "F16"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--shards", type=int, default=1)
    p.set_defaults(fn=cmd_make)
    p = sub.add_parser("forward")
    p.add_argument("--dir", required=True)
    p.add_argument("--ids", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--adapter", default=None, help="a PEFT LoRA adapter directory to apply")
    p.set_defaults(fn=cmd_forward)
    p = sub.add_parser("make-adapter")
    p.add_argument("--dir", required=True, help="the base model directory")
    p.add_argument("--adapter", required=True, help="the adapter directory to write")
    p.add_argument("--targets", default="q_proj,v_proj")
    p.add_argument("--r", type=int, default=4)
    p.add_argument("--alpha", type=float, default=8.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rslora", action="store_true")
    p.set_defaults(fn=cmd_make_adapter)
    p = sub.add_parser("generate")
    p.add_argument("--dir", required=True)
    p.add_argument("--ids", required=True)
    p.add_argument("--max-new", type=int, required=True)
    p.add_argument("--stop-at-eos", action="store_true")
    p.add_argument("--decode", action="store_true", help="also print text to stderr (tokenizer.json)")
    p.set_defaults(fn=cmd_generate)
    p = sub.add_parser("info")
    p.add_argument("--dir", required=True)
    p.set_defaults(fn=cmd_info)
    p = sub.add_parser("encode")
    p.add_argument("--dir", required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--no-bos", action="store_true")
    p.set_defaults(fn=cmd_encode)
    p = sub.add_parser("decode")
    p.add_argument("--dir", required=True)
    p.add_argument("--ids", required=True)
    p.set_defaults(fn=cmd_decode)
    p = sub.add_parser("selfcheck")
    p.set_defaults(fn=cmd_selfcheck)
    a = ap.parse_args(argv)
    if not getattr(a, "fn", None):
        ap.print_help()
        return 2
    return a.fn(a) or 0


if __name__ == "__main__":
    sys.exit(main())
