#!/usr/bin/env bash
# GPU smoke test (docs/gpu.md): on a fresh machine with one NVIDIA GPU, builds the jars with DJL's
# CUDA natives (-Pcuda), trains 20 SFT steps on the GPU through the real trainer.jar job, samples
# 32 solutions from the trained checkpoint on the GPU (libtorch decode path) and prints training
# tokens/s, MFU and sampling tokens/s. Exits non-zero on any failure (set -e; explicit checks).
#
# Model and data: stories260K (Llama family) SFT on GSM8K when $STEPWISE_DATA (default
# ../shared/data) has models/stories260K and gsm8k; otherwise the built-in arith task with the
# tiny GPT-2 (no data needed). MODEL=<HF dir> trains another Llama-family/GPT-2 directory on GSM8K.
#
# MFU = achieved training FLOP/s / peak FLOP/s, achieved = 6 · N · tokens/s (Kaplan et al. 2020:
# forward + backward of the weight matmuls; N = parameters counted from the checkpoint's
# safetensors header; attention's T² term and the recomputation of gradient checkpointing are not
# counted). Peak: PEAK_TFLOPS if set, else by precision: fp32 67 TFLOP/s (H100/H200 SXM, no
# tensor cores: libtorch leaves TF32 matmuls off by default), bf16/fp16 989 TFLOP/s (H100/H200
# SXM dense tensor cores). Other GPUs: set PEAK_TFLOPS.
#
# Environment: PRECISION (fp32 | bf16 | fp16, default fp32), STEPS (20), THREADS (4), OUT
# (default outputs/gpu_smoke), MODEL, PEAK_TFLOPS, SKIP_BUILD=1 (reuse the jars).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
precision=${PRECISION:-fp32}
steps=${STEPS:-20}
threads=${THREADS:-4}
out=${OUT:-outputs/gpu_smoke}
data=${STEPWISE_DATA:-../shared/data}

command -v nvidia-smi >/dev/null || { echo "smoke: nvidia-smi not found: no NVIDIA driver on this machine" >&2; exit 1; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "smoke: building with the CUDA natives (mvn -Pcuda -DskipTests package) ..."
  mvn -q -B -ntp -Pcuda -DskipTests package
fi
jar=entrypoints/target/trainer.jar
[[ -f "$jar" ]] || { echo "smoke: $jar missing after the build" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out"

model=${MODEL:-$data/models/stories260K}
if [[ -d "$model" && -d "$data/gsm8k" ]]; then
  what="SFT of $(basename "$model") on GSM8K"
  args=(-cp conf/exp/sft/gsm8k -cn tiny_sft model=stories260k "model.path=$model" "data_dir=$data")
else
  what="SFT of the tiny GPT-2 on the built-in arith task (no shared data found)"
  args=(-cp conf/exp/sft/arith -cn tiny_sft)
fi
echo "smoke: $what, $steps steps, run.device=cuda run.precision=$precision"
java "${JVM_FLAGS[@]}" -jar "$jar" "${args[@]}" \
  run.device=cuda "run.precision=$precision" "run.num_threads=$threads" "run.dir=$out/sft" \
  "trainer.max_steps=$steps" trainer.logging_steps=5 "trainer.save_steps=$steps" trainer.eval_steps=0 \
  trainer.per_device_train_batch_size=8 trainer.progress_bar=false trainer.resume=never \
  eval.num_problems=4 test.num_problems=8
  # LoRA-SFT (issue 16 items 1-3): after the LoRA merge, append to the line above:
  #   lora.r=16 lora.alpha=32 lora.target_modules=all-linear

ckpt="$out/sft/checkpoints/checkpoint-$steps"
[[ -f "$ckpt/model.safetensors" ]] || { echo "smoke: no checkpoint at $ckpt" >&2; exit 1; }
grep -q "^device: gpu" "$out/sft/env.txt" \
  || { echo "smoke: the training run did not report a GPU device (see $out/sft/env.txt)" >&2; exit 1; }

python3 - "$out/sft/metrics.jsonl" "$ckpt/model.safetensors" "$precision" "${PEAK_TFLOPS:-}" "$gpu" <<'PY'
import json, struct, sys
metrics, st, precision, peak_env, gpu = sys.argv[1:6]
recs = [json.loads(l) for l in open(metrics) if l.strip()]
tps = [r["tokens_per_second"] for r in recs if "tokens_per_second" in r]
if not tps:
    sys.exit("smoke: no tokens_per_second in " + metrics)
steady = tps[-1]  # the last logging window (after warm-up)
with open(st, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
params = 0
for k, v in header.items():
    if k != "__metadata__":
        size = 1
        for d in v["shape"]:
            size *= d
        params += size
peak = float(peak_env) * 1e12 if peak_env else (67e12 if precision == "fp32" else 989e12)
flops = 6 * params * steady
peaks = [r.get("peak_gpu_memory_mb") for r in recs if r.get("peak_gpu_memory_mb") is not None]
print(f"training ({gpu}, {precision}): {steady:.0f} tokens/s (last window), N = {params:,} parameters,"
      f" 6*N*tokens/s = {flops/1e12:.3f} TFLOP/s, MFU = {100*flops/peak:.3f}% of {peak/1e12:.0f} TFLOP/s"
      + (f", peak GPU memory {max(peaks):.0f} MiB" if peaks else ""))
if steady <= 0:
    sys.exit("smoke: zero training throughput")
PY

echo "smoke: sampling 32 solutions on the GPU ..."
java "${JVM_FLAGS[@]}" -Dbench.device=cuda "-Dbench.precision=$precision" -Dbench.n=32 \
  "-Dai.djl.pytorch.num_threads=$threads" -cp "$jar" dev.stepwise.bench.GpuSmokeBench "$ckpt"
echo "smoke: OK"
