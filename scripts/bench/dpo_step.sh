#!/usr/bin/env bash
# DPO step against SFT step (issue 5): the real Trainer step of SFT, DPO with precomputed
# reference log-probs and DPO with the reference forward in the step, on the same 2,048 tokens
# per step, in interleaved rounds (dev.stepwise.bench.DpoStepBench). Figures: docs/benchmarks.md.
#   scripts/bench/dpo_step.sh            # JAVA_OPTS="-Dbench.rounds=3 -Dbench.steps=10 -Dbench.warmup=3"
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.DpoStepBench "$@"
