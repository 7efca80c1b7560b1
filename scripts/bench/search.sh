#!/usr/bin/env bash
# Search throughput (dev.stepwise.bench.SearchBench, docs/search.md): proposed steps/s and
# generated tokens/s of PRM beam search (4 proposals, width 2) and MCTS* (branch 3, 10
# iterations) with N arith test problems in flight, against plain batched sampling of about the
# same number of tokens (same prompts, EOS ignored). Target (issue 17): search >= 0.7 of plain
# sampling's tokens/s. Random GPT-2 128x4 policy and PRM unless a policy and a PRM are given.
# Usage: scripts/bench/search.sh [problems=32] [max_step_tokens=24] [max_steps=4] [policy prm]
# Builds the jars only when entrypoints/target/sampler.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/sampler.jar
ensure_jar "$jar"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.SearchBench "$@"
