#!/usr/bin/env bash
# LoRA-SFT vs full fine-tuning training throughput and peak RSS on a real model (one JVM per mode,
# dev.stepwise.bench.LoraTrainBench), then a PyTorch eager LoRA reference on the same shape
# (scripts/bench/torch_lora_step.py, Debian's python3-torch). Figures: docs/benchmarks.md.
# Usage: scripts/bench/lora.sh [model dir] ; env SEQ (512) BATCH (4) STEPS (8) THREADS (all)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
model=${1:-${STEPWISE_DATA:-../shared/data}/models/stories260K}
seq=${SEQ:-512}; batch=${BATCH:-4}; steps=${STEPS:-8}
props=(-Dbench.seq="$seq" -Dbench.batch="$batch" -Dbench.steps="$steps")
[ -n "${THREADS:-}" ] && props+=(-Dai.djl.pytorch.num_threads="$THREADS")
for mode in full lora; do
  java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} "${props[@]}" -cp "$jar" dev.stepwise.bench.LoraTrainBench "$model" "$mode"
done
py=/usr/bin/python3
if $py -c 'import torch, numpy' 2>/dev/null; then
  $py scripts/bench/torch_lora_step.py "$model" --seq "$seq" --batch "$batch" --steps "$steps" ${THREADS:+--threads "$THREADS"}
else
  echo "PyTorch eager LoRA reference skipped: install Debian's python3-torch (apt-get install python3-torch)"
fi
