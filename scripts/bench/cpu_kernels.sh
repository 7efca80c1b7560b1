#!/usr/bin/env bash
# The Java CPU decoder's kernels on one thread (dev.stepwise.model.cpu.KernelBench): one layer's
# GEMMs (GFLOP/s), attention over 96 cached positions, GELU, LayerNorms and the LM head at the
# default model's shapes, then a whole one-token decode step; for 16 and 32 rows by default.
# Usage: scripts/bench/cpu_kernels.sh [rows ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=entrypoints/target/trainer.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find framework/src entrypoints/src -name '*.java' -newer "$jar" -print -quit)" ]]; then
  echo "building $jar (mvn -q -DskipTests package) ..." >&2
  mvn -q -DskipTests package >&2
fi
. scripts/lib/java.sh
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.model.cpu.KernelBench "$@" 2> >(grep -v 'Using incubator modules' >&2)
