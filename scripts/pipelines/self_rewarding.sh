#!/usr/bin/env bash
# Self-Rewarding (Yuan et al. 2024) on the built-in arith task: IFT once, then 3 iterations of
# sample -> self-judge (the iteration's model, in process) -> highest-vs-lowest pairs (ties
# dropped) -> DPO -> greedy test accuracy; each iteration's DPO model is the next one's generator
# and judge.
# The stages, files and keys: conf/exp/self_rewarding/arith.conf and docs/self_training.md.
#
# Usage: scripts/pipelines/self_rewarding.sh [--out DIR] [--sft CHECKPOINT_DIR] [override ...]
#   --out  the loop directory [outputs/self_rewarding/<date>_<time>]; rerunning with the same --out
#          resumes after a kill at the first unfinished stage (markers <stage dir>/.stage-done)
#   --sft  start from this checkpoint instead of training the ift stage
#   overrides go to the loop config, e.g. knobs.n_train=200 knobs.dpo_steps=100 loop.iterations=2
#          knobs.threads=0 (all cores; the default 1 suits a shared machine)
# Ends with one Markdown row per iteration, also in DIR/results.md; stage times in DIR/stages.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/loop.sh
run_loop self_rewarding 2,16 "$@"
