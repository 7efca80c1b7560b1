#!/usr/bin/env bash
# Rollout throughput (dev.stepwise.bench.RolloutsBench): states per second of the whole rollouts
# job (sampler.jar's entry point, conf/exp/sample/arith/tiny_rollouts), and k rollouts from one
# state with the shared prefix (n=k) against k independent generations (k prompt copies, n=1).
# GPT-2 width 128, 4 layers, 4 heads, context 512, ASCII char tokenizer, random init; states are
# the step prefixes of arith reference solutions (~150-250 tokens); EOS ignored.
# Usage: scripts/bench/rollouts.sh [problems=16] [k=8] [max_tokens=32] [batch_states=8]
# Builds the jars only when entrypoints/target/sampler.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/sampler.jar
ensure_jar "$jar"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.RolloutsBench "$@"
