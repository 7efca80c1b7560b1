#!/usr/bin/env bash
# Step-PPO iteration time split (dev.stepwise.bench.PpoIterationBench), see docs/benchmarks.md:
# generation, policy+reference+critic forwards, PRM scoring and training (1 epoch x 4
# minibatches of actor+critic updates), with tokens/s of each, on the shipped step-PPO defaults.
# Usage: scripts/bench/ppo_iteration.sh [sft_checkpoint prm_reward_model_dir] [iterations=3] [prompts=64]
# Without checkpoints: random models of the tiny SFT shape (width 128, 4 layers, context 384).
# Builds the jars only when entrypoints/target/trainer.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.PpoIterationBench "$@"
