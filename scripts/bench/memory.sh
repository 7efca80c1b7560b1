#!/usr/bin/env bash
# Peak memory (RSS, the kernel's VmHWM) and step time of full-parameter SFT at sequence length 512,
# with and without trainer.gradient_checkpointing, one JVM per setting (peak RSS is per process).
# Model: stories260K from the shared data (or MODEL=<HF directory>). Run by
# dev.stepwise.bench.MemoryBench; figures go to docs/benchmarks.md ("Memory-lean training").
#
# Usage: scripts/bench/memory.sh
# Environment: MODEL (default $STEPWISE_DATA or ../shared/data, models/stories260K), SEQ (512),
#   BATCH (8), STEPS (6), THREADS (intra-op threads, default 1), JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
data=${STEPWISE_DATA:-../shared/data}
model=${MODEL:-$data/models/stories260K}
[ -d "$model" ] || { echo "model directory $model not found (set MODEL or STEPWISE_DATA)" >&2; exit 2; }
for ckpt in false true; do
  echo "== gradient_checkpointing=$ckpt"
  java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="${THREADS:-1}" \
    -Dbench.model="$model" -Dbench.seq="${SEQ:-512}" -Dbench.batch="${BATCH:-8}" -Dbench.steps="${STEPS:-6}" \
    -Dbench.checkpointing=$ckpt -cp "$jar" dev.stepwise.bench.MemoryBench 2>&1 | grep -v "^\s*$" | grep -v "INFO\|WARN"
done
