#!/usr/bin/env bash
# The main job on the built-in default: builds trainer.jar when missing or stale, trains SFT on
# the arithmetic task and prints the test accuracy and the run directory.
#   scripts/quickstart.sh [overrides...]      e.g. scripts/quickstart.sh trainer.max_steps=100
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
exec java "${JVM_FLAGS[@]}" -jar "$jar" -cp conf/exp/sft/arith -cn tiny_sft "$@"
