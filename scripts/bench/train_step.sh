#!/usr/bin/env bash
# Forward+backward time and MFU of the training shape (dev.stepwise.bench.TrainStepBench):
# GPT-2 width 128, 4 layers, 4 heads, context 128, batch 16, vocab 100; peak from a 1024^3
# fp32 matmul in the same process.
# Builds entrypoints/target/trainer.jar only when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=entrypoints/target/trainer.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find framework/src entrypoints/src -name '*.java' -newer "$jar" -print -quit)" ]]; then
  echo "building $jar (mvn -q -DskipTests package) ..." >&2
  mvn -q -DskipTests package >&2
fi
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.TrainStepBench "$@"
