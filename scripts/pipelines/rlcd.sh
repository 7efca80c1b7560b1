#!/usr/bin/env bash
# RLCD context distillation (Yang et al. 2023) on the built-in arith task: SFT once, then
# per iteration sample under a positive and a negative system prompt -> pairs (positive over
# negative, identical responses dropped) -> DPO -> greedy test accuracy.
# The stages, files and keys: conf/exp/rlcd/arith.conf and docs/self_training.md.
#
# Usage: scripts/pipelines/rlcd.sh [--out DIR] [--sft CHECKPOINT_DIR] [override ...]
#   --out  the loop directory [outputs/rlcd/<date>_<time>]; rerunning with the same --out
#          resumes after a kill at the first unfinished stage (markers <stage dir>/.stage-done)
#   --sft  start from this checkpoint instead of training the sft stage
#   overrides go to the loop config, e.g. knobs.n_train=200 knobs.dpo_steps=100 loop.iterations=2
#          knobs.threads=0 (all cores; the default 1 suits a shared machine)
# Ends with one Markdown row per iteration, also in DIR/results.md; stage times in DIR/stages.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="outputs/rlcd/$(date +%Y-%m-%d_%H-%M-%S)"
SFT=""
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --sft) SFT="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
. scripts/lib/java.sh
ensure_jar entrypoints/target/sampler.jar
if [[ -n "$SFT" ]]; then
  [[ -f "$SFT/config.json" ]] || { echo "--sft: no checkpoint (config.json) at '$SFT'" >&2; exit 2; }
  ARGS=("loop.setup=[]" "loop.model=$SFT" "${ARGS[@]}")
fi
exec java "${JVM_FLAGS[@]}" -jar entrypoints/target/sampler.jar -cp conf/exp/rlcd -cn arith run.dir="$OUT" "${ARGS[@]}"
