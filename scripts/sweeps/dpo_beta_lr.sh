#!/usr/bin/env bash
# DPO sweep: beta x learning rate (3 x 3 = 9 jobs) on Slurm, one array task per job.
#
#   scripts/sweeps/dpo_beta_lr.sh                    # writes and submits the sbatch array
#   DRY_RUN=true scripts/sweeps/dpo_beta_lr.sh       # only writes multirun/.../sweep.sbatch
#   LAUNCHER=local N_JOBS=2 scripts/sweeps/dpo_beta_lr.sh   # same sweep on this machine
#   scripts/sweeps/dpo_beta_lr.sh trainer.max_steps=50      # extra overrides go to every job
#
# CONFIG_PATH/CONFIG_NAME choose the DPO experiment (default conf/exp/dpo/arith, tiny_dpo);
# BETA_KEY names its beta key (default dpo.beta). Results: multirun/<config>/<date>/<time>/summary.tsv;
# after a failure, re-run the unfinished jobs with:
#   java --add-modules=jdk.incubator.vector -Dai.djl.offline=true -jar entrypoints/target/trainer.jar --resume DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-entrypoints/target/trainer.jar}
CONFIG_PATH=${CONFIG_PATH:-conf/exp/dpo/arith}
CONFIG_NAME=${CONFIG_NAME:-tiny_dpo}
BETA_KEY=${BETA_KEY:-dpo.beta}
LAUNCHER=${LAUNCHER:-slurm}
launcher_args=("launcher=$LAUNCHER")
case $LAUNCHER in
  slurm) launcher_args+=("launcher.dry_run=${DRY_RUN:-false}" "launcher.partition=${PARTITION:-null}"
           "launcher.gpus_per_node=${GPUS:-0}" "launcher.cpus_per_task=${CPUS:-8}" "launcher.mem_gb=${MEM_GB:-32}"
           "launcher.timeout_min=${TIMEOUT_MIN:-120}") ;;
  local) launcher_args+=("launcher.n_jobs=${N_JOBS:-2}") ;;
esac
. scripts/lib/java.sh
exec java "${JVM_FLAGS[@]}" -jar "$JAR" -cp "$CONFIG_PATH" -cn "$CONFIG_NAME" -m \
  "$BETA_KEY=0.05,0.1,0.3" "optim.lr=1e-5,3e-5,1e-4" "${launcher_args[@]}" "$@"
