#!/usr/bin/env bash
# Generated tokens/s with the KV cache at batch 1 and 32 (dev.stepwise.bench.SamplingBench):
# GPT-2 width 128, 4 layers, 4 heads, context 256, vocab 100, random init; 32-token prompts,
# 128 new tokens, temperature 1.0, EOS ignored; median of 7 runs after warm-up (2 runs and at least 2 s).
# Then the shared-prefix rollout saving (issue 4): k=8 completions of 48 tokens from one
# 192-token prompt (one prefill, n=8) against 8 independent generations (8 prompts in one call,
# and 8 separate calls); target: shared <= half. Skip it with JAVA_OPTS=-Dbench.shared=false;
# change it with -Dbench.shared.k / .prefix / .completion.
# Batches of >= 16 rows decode as concurrent chunks on single-threaded workers (one per intra-op
# thread); JAVA_OPTS=-Dstepwise.sampler.workers=1 gives the former one-chunk path for comparison.
# The JVM gets the Vector API module (scripts/lib/java.sh), so models on the CPU decode with the
# Java decoder; JAVA_OPTS=-Dstepwise.decoder=torch gives the TorchScript decoder for comparison.
# Usage: scripts/bench/sampling.sh [batch ...]   (default: 1 32)
# Builds the jars only when entrypoints/target/trainer.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/trainer.jar
ensure_jar "$jar"
exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.SamplingBench "$@"
