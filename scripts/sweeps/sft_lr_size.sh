#!/usr/bin/env bash
# SFT sweep on the built-in arith task: learning rate x model width (2 x 3 = 6 short jobs),
# two child JVMs at a time with the local launcher (LAUNCHER=slurm DRY_RUN=true writes the
# sbatch array instead).
#
#   scripts/sweeps/sft_lr_size.sh                   # ~1 minute on 2 cores
#   scripts/sweeps/sft_lr_size.sh trainer.max_steps=200
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-entrypoints/target/trainer.jar}
LAUNCHER=${LAUNCHER:-local}
extra=()
[[ $LAUNCHER == local ]] && extra+=("launcher.n_jobs=${N_JOBS:-2}")
[[ $LAUNCHER == slurm ]] && extra+=("launcher.dry_run=${DRY_RUN:-true}")
. scripts/lib/java.sh
exec java "${JVM_FLAGS[@]}" -jar "$JAR" -cp conf/exp/sft/arith -cn tiny_sft -m launcher="$LAUNCHER" "${extra[@]}" \
  "optim.lr=1e-3,3e-3" "model.n_embd=16,32,48" \
  model.n_layer=1 model.n_head=2 model.n_positions=256 task.num_train=200 task.num_test=10 \
  trainer.max_steps=20 trainer.logging_steps=10 trainer.eval_steps=0 trainer.save_steps=20 \
  trainer.progress_bar=false eval.num_problems=2 eval.max_tokens=16 test.num_problems=4 run.num_threads=1 "$@"
