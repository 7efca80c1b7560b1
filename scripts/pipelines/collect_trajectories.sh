#!/usr/bin/env bash
# Trajectory collection from a checkpoint: sample -> intermediate states -> rollouts with Monte
# Carlo labels (docs/trajectories.md). Resumable: re-running with the same OUT continues where a
# killed run stopped.
#   scripts/pipelines/collect_trajectories.sh TASK CKPT OUT [overrides for every job...]
#   e.g. SAMPLE_ARGS="sample.limit=200" ROLLOUTS_ARGS="api.vllm_params.n=16" \
#          scripts/pipelines/collect_trajectories.sh arith outputs/tiny_sft/.../checkpoint-1000 traj/arith seed=7
# TASK: arith, gsm8k or logiqa2 (configs under conf/exp/sample/TASK/). The trailing overrides go
# to all three jobs (shared keys: seed, task.*, run.num_threads); job-specific overrides go
# through SAMPLE_ARGS, STATES_ARGS and ROLLOUTS_ARGS (space-separated).
# Writes OUT/samples.jsonl (+ samples.greedy.jsonl), OUT/states.jsonl, OUT/rollouts.jsonl.
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,11p "$0" >&2; exit 2; }
task=$1 ckpt=$2 out=$3; shift 3
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/sampler.jar
ensure_jar "$jar"
conf=conf/exp/sample/$task
mkdir -p "$out"
run() { java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -jar "$jar" -cp "$conf" "$@"; }
# shellcheck disable=SC2086
run -cn tiny_sample sample.model_path="$ckpt" sample.output_file="$out/samples.jsonl" \
  run.dir="$out/runs/sample" ${SAMPLE_ARGS:-} "$@"
# shellcheck disable=SC2086
run -cn tiny_states states.input_file="$out/samples.jsonl" states.output_file="$out/states.jsonl" \
  run.dir="$out/runs/states" ${STATES_ARGS:-} "$@"
# shellcheck disable=SC2086
run -cn tiny_rollouts rollouts.model_path="$ckpt" rollouts.states_file="$out/states.jsonl" \
  rollouts.samples_file="$out/samples.jsonl" rollouts.output_file="$out/rollouts.jsonl" \
  run.dir="$out/runs/rollouts" ${ROLLOUTS_ARGS:-} "$@"
echo "Trajectories in $out: samples.jsonl, states.jsonl, rollouts.jsonl"
