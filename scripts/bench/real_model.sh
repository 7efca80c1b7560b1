#!/usr/bin/env bash
# A real pretrained Hugging Face model: load time, peak RSS, sampling tok/s at batch 1 and 32 with
# the Java decoder, and a greedy sample (dev.stepwise.bench.RealModelBench).
# Usage: scripts/bench/real_model.sh [model dir] [batch ...]
#   default model: $STEPWISE_DATA/models/stories260K (or ../shared/data/models/stories260K)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
model=${1:-${STEPWISE_DATA:-../shared/data}/models/stories260K}
shift || true
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.RealModelBench "$model" "$@"
