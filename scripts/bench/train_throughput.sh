#!/usr/bin/env bash
# Training throughput (tokens/s) and model-FLOPs utilisation (MFU) of the default model:
# GPT-2 width 128, 4 layers, 4 heads, context 128, batch 16, vocab 100, float32.
#
#  1. Stepwise: the real optimizer step of dev.stepwise.train.Trainer (SftObjective, AdamW,
#     clipping at 1.0, logging every step), run by dev.stepwise.bench.TrainStepBench; MFU against
#     the fp32 peak of a 1024^3 matmul measured in the same JVM, and (the verdict) against the
#     best fp32 matmul peak measured anywhere in this run (the torch runs measure theirs too).
#  2. PyTorch eager baseline (scripts/bench/torch_train_step.py), same shape, same data layout,
#     same threads and step counts, with Debian's python3-torch as installed. Debian's torch
#     calls whatever libblas.so.3 the Debian alternatives select (the reference BLAS unless an
#     optimised one is installed). When that is the reference BLAS, the baseline runs again on
#     each OpenBLAS found (/usr/lib/x86_64-linux-gnu/openblas-{openmp,pthread}, from Debian's
#     libopenblas0-openmp / libopenblas0-pthread) or on each directory holding a libblas.so.3
#     listed in TORCH_BLAS_DIRS (LD_LIBRARY_PATH, that process only). The 2.5x target is judged
#     per baseline and against the FASTEST one.
#
# Usage: scripts/bench/train_throughput.sh
# Environment: BENCH_STEPS (timed steps, default 30), BENCH_WARMUP (default 5), BENCH_THREADS
#   (intra-op threads of both, default nproc), TORCH_PYTHON (default /usr/bin/python3: Debian's
#   torch; the python3 on PATH may be another interpreter), TORCH_BLAS_DIRS (space-separated), JAVA_OPTS.
# Builds the jars only when entrypoints/target/trainer.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
steps=${BENCH_STEPS:-30}
warmup=${BENCH_WARMUP:-5}
threads=${BENCH_THREADS:-$(nproc)}
py=${TORCH_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

value() { sed -n "s/^$1=//p" "$2" | tail -1; }

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Stepwise (Java 17, DJL 0.35.1, libtorch 2.7.1): full Trainer optimizer step"
java "${JVM_FLAGS[@]}" -Dbench.steps="$steps" -Dbench.warmup="$warmup" -Dbench.threads="$threads" \
  ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.TrainStepBench 2>&1 | tee "$tmp/java.txt"
java_tps=$(value java_tokens_per_second "$tmp/java.txt")
java_mfu=$(value java_mfu_percent "$tmp/java.txt")
java_peak=$(value peak_gflops "$tmp/java.txt")

# label, tokens/s and matmul GFLOP/s of each torch baseline run
declare -a names=() tps=() peaks=()
run_torch() { # $1 label, $2 directory with the libblas.so.3 to use, or "" for the system's
  echo "== PyTorch eager baseline ($1)"
  local ld=${LD_LIBRARY_PATH:-}
  if [[ -n "$2" ]]; then ld="$2${ld:+:$ld}"; fi
  LD_LIBRARY_PATH="$ld" OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
    "$py" scripts/bench/torch_train_step.py --steps "$steps" --warmup "$warmup" --threads "$threads" \
    2>&1 | tee "$tmp/torch.txt"
  names+=("$1; BLAS $(value torch_blas "$tmp/torch.txt" | cut -d, -f1)")
  tps+=("$(value torch_tokens_per_second "$tmp/torch.txt")")
  peaks+=("$(value torch_matmul_gflops "$tmp/torch.txt")")
}

if err=$("$py" -c 'import torch' 2>&1); then
  run_torch "Debian python3-torch as installed" ""
  blas=$(value torch_blas "$tmp/torch.txt")
  declare -a alts=()
  if [[ -n "${TORCH_BLAS_DIRS:-}" ]]; then
    read -ra alts <<< "$TORCH_BLAS_DIRS"
  elif [[ "$blas" == */blas/libblas.so.3* ]]; then
    for d in /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/x86_64-linux-gnu/openblas-pthread; do
      if [[ -f "$d/libblas.so.3" ]]; then alts+=("$d"); fi
    done
  fi
  for d in "${alts[@]}"; do
    run_torch "Debian python3-torch on $d/libblas.so.3" "$d"
  done
  if [[ ${#alts[@]} == 0 && "$blas" == */blas/libblas.so.3* ]]; then
    echo "note: this torch runs on the reference BLAS; install libopenblas0-openmp (or set TORCH_BLAS_DIRS) for a stronger baseline"
  fi
else
  echo "== PyTorch eager baseline skipped: '$py -c \"import torch\"' failed: $(echo "$err" | tail -1)"
  echo "   (install Debian's python3-torch, or point TORCH_PYTHON at an interpreter that has torch)"
fi

echo "== summary (threads $threads, $steps timed steps after $warmup warm-up; load now $(cut -d' ' -f1-3 /proc/loadavg))"
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? "MET" : "MISSED" }'; }
best_peak=$java_peak
for p in "${peaks[@]}"; do
  best_peak=$(awk -v a="$best_peak" -v b="$p" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
done
mfu_best=$(awk -v m="$java_mfu" -v j="$java_peak" -v b="$best_peak" 'BEGIN { printf "%.1f", m * j / b }')
printf 'Stepwise Trainer: %s tokens/s; MFU %s%% of the JVM'"'"'s own matmul peak (%s GFLOP/s)\n' "$java_tps" "$java_mfu" "$java_peak"
printf 'MFU against the best fp32 matmul peak measured in this run (%s GFLOP/s): %s%% (target >= 40%%: %s)\n' \
  "$best_peak" "$mfu_best" "$(verdict "$mfu_best" 40)"
best=0
for i in "${!names[@]}"; do
  ratio=$(awk -v j="$java_tps" -v t="${tps[$i]}" 'BEGIN { printf "%.2f", j / t }')
  printf 'PyTorch eager (%s): %s tokens/s, matmul %s GFLOP/s; Stepwise / torch = %sx (>= 2.5x: %s)\n' \
    "${names[$i]}" "${tps[$i]}" "${peaks[$i]}" "$ratio" "$(verdict "$ratio" 2.5)"
  best=$(awk -v a="$best" -v b="${tps[$i]}" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
done
if [[ "$best" != 0 ]]; then
  ratio=$(awk -v j="$java_tps" -v t="$best" 'BEGIN { printf "%.2f", j / t }')
  printf 'speed-up over the fastest PyTorch eager baseline: %sx (target >= 2.5x: %s)\n' "$ratio" "$(verdict "$ratio" 2.5)"
else
  echo "speed-up target (>= 2.5x PyTorch eager): not checked, no baseline ran"
fi
