#!/usr/bin/env bash
# The main job on the built-in default: builds trainer.jar when missing or stale, trains SFT on
# the arithmetic task and prints the test accuracy and the run directory.
#   scripts/quickstart.sh [overrides...]      e.g. scripts/quickstart.sh trainer.max_steps=100
set -euo pipefail
cd "$(dirname "$0")/.."
jar=entrypoints/target/trainer.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml */pom.xml */src -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "Building $jar ..." >&2
  mvn -q -B -ntp -DskipTests package
fi
. scripts/lib/java.sh
exec java "${JVM_FLAGS[@]}" -jar "$jar" -cp conf/exp/sft/arith -cn tiny_sft "$@"
