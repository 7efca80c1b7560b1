#!/usr/bin/env bash
# Step-PPO iteration time split (dev.stepwise.bench.PpoIterationBench), see docs/benchmarks.md:
# generation, policy+reference+critic forwards, PRM scoring and training (1 epoch x 4
# minibatches of actor+critic updates), with tokens/s of each, on the shipped step-PPO defaults.
# Usage: scripts/bench/ppo_iteration.sh [sft_checkpoint prm_reward_model_dir] [iterations=3] [prompts=64]
# Without checkpoints: random models of the tiny SFT shape (width 128, 4 layers, context 384).
# Builds entrypoints/target/trainer.jar only when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=entrypoints/target/trainer.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find framework/src experiments/src entrypoints/src -name '*.java' -newer "$jar" -print -quit)" ]]; then
  echo "building $jar (mvn -q -DskipTests package) ..." >&2
  mvn -q -o -DskipTests package >&2
fi
. scripts/lib/java.sh
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.PpoIterationBench "$@"
