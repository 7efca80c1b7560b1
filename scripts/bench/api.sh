#!/usr/bin/env bash
# API benchmarks (dev.stepwise.bench.ApiBench), see docs/api.md:
#  1. caller overhead: requests/s of the API client at concurrency 1, 16 and 64 against a local
#     server that answers instantly (target: >= 1,000 requests/s at 64 on 2 cores);
#  2. server batching: generated tokens/s of the OpenAI-compatible server with 1 and 16
#     concurrent clients (64 new tokens per request, random GPT-2 width 128 x 4 layers, or the
#     checkpoint given as the second argument); target: 16 clients >= 4x one client.
# Usage: scripts/bench/api.sh [seconds-per-server-level] [checkpoint]
# Builds the jars only when entrypoints/target/sampler.jar is missing or older than a pom or source.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
jar=entrypoints/target/sampler.jar
ensure_jar "$jar"
java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.ApiBench caller 5000
java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$jar" dev.stepwise.bench.ApiBench server "${1:-20}" ${2:+"$2"}
