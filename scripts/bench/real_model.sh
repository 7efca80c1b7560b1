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
log=$(mktemp)
java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.RealModelBench "$model" "$@" | tee "$log"
# the PyTorch eager baseline on the same weights and prompt ids (Debian's python3-torch)
py=/usr/bin/python3
if $py -c 'import torch, numpy' 2>/dev/null; then
  ids=$(sed -n 's/^prompt ids: //p' "$log")
  batches=("$@")
  [ ${#batches[@]} -eq 0 ] && batches=(1 32)
  $py scripts/bench/torch_eager_llama.py "$model" --ids "$ids" --batches "${batches[@]}" --runs 5
else
  echo "PyTorch eager baseline skipped: install Debian's python3-torch (apt-get install python3-torch)"
fi
rm -f "$log"
