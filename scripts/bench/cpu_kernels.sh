#!/usr/bin/env bash
# The Java CPU decoder's kernels on one thread (dev.stepwise.model.cpu.KernelBench): one layer's
# GEMMs (GFLOP/s), attention over 96 cached positions, GELU, LayerNorms and the LM head at the
# default model's shapes, then a whole one-token decode step; for 16 and 32 rows by default.
# Usage: scripts/bench/cpu_kernels.sh [rows ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.model.cpu.KernelBench "$@" 2> >(grep -v 'Using incubator modules' >&2)
