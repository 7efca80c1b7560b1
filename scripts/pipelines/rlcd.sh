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
. scripts/lib/loop.sh
run_loop rlcd 2,16 "$@"
