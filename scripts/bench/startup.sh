#!/usr/bin/env bash
# Startup time of the config path: median wall time of `java -jar trainer.jar --cfg job` on the
# largest experiment config (the one whose composed config prints the most lines), JVM included.
#
#   scripts/bench/startup.sh                 # 10 runs each: plain JVM, then tuned flags
#   RUNS=20 CONFIG=conf/exp/sft/gsm8k/tiny_sft.conf scripts/bench/startup.sh
#
# "tuned" = -XX:TieredStopAtLevel=1 (C1 only: nothing here runs long enough for C2) plus an
# application class-data-sharing archive (AppCDS) of the classes --cfg job loads, created once at
# entrypoints/target/trainer-cfg.jsa (JDK 17: -XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile).
# Put the same flags in JDK_JAVA_OPTIONS to get them for every `java -jar trainer.jar`.
# Every run passes the scripts' JVM options (scripts/lib/java.sh: the Vector API module and
# DJL offline), as the jobs are started.
# It also checks that --cfg job loads no DJL class (ai.djl.*).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-entrypoints/target/trainer.jar}
RUNS=${RUNS:-10}
[[ -f $JAR ]] || { echo "missing $JAR: build it with mvn -q -o -B -DskipTests package" >&2; exit 2; }
. scripts/lib/java.sh

if [[ -z ${CONFIG:-} ]]; then
  best=0
  while IFS= read -r f; do
    n=$({ java "${JVM_FLAGS[@]}" -jar "$JAR" -cp "$(dirname "$f")" -cn "$(basename "$f" .conf)" --cfg job 2>/dev/null || true; } | wc -l)
    if ((n > best)); then best=$n; CONFIG=$f; fi
  done < <(find conf/exp -name '*.conf' | sort)
  echo "largest experiment config: $CONFIG ($best lines of --cfg job)"
fi
ARGS=(-cp "$(dirname "$CONFIG")" -cn "$(basename "$CONFIG" .conf)" --cfg job)

djl=$(java "${JVM_FLAGS[@]}" -verbose:class -jar "$JAR" "${ARGS[@]}" | grep -c 'ai\.djl\.' || true)
echo "DJL classes loaded by --cfg job: $djl"
[[ $djl == 0 ]] || { echo "FAIL: --cfg job must not load DJL" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m}'; }

time_runs() { # time_runs JAVA_FLAGS...: prints the median seconds of $RUNS runs
  local i t0 t1
  { # (the JVM's "Using incubator modules" warning of every run is dropped; other errors show)
    java "${JVM_FLAGS[@]}" "$@" -jar "$JAR" "${ARGS[@]}" > /dev/null # warm the file cache
    for ((i = 0; i < RUNS; i++)); do
      t0=$(date +%s%N)
      java "${JVM_FLAGS[@]}" "$@" -jar "$JAR" "${ARGS[@]}" > /dev/null
      t1=$(date +%s%N)
      echo "$(( (t1 - t0) / 1000 ))e-6" | awk '{printf "%.6f\n", $1}'
    done | median
  } 2> >(grep -v '^WARNING: Using incubator modules' >&2)
}

JSA=entrypoints/target/trainer-cfg.jsa
if [[ ! -f $JSA || $JSA -ot $JAR ]]; then
  java "${JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$JSA" -jar "$JAR" "${ARGS[@]}" > /dev/null 2>&1
fi
plain=$(time_runs)
c1=$(time_runs -XX:TieredStopAtLevel=1)
tuned=$(time_runs -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$JSA" -Xshare:auto)
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), java: $(java -version 2>&1 | head -1)"
echo "median of $RUNS runs, java -jar trainer.jar --cfg job:"
echo "  plain JVM:                      ${plain} s"
echo "  -XX:TieredStopAtLevel=1:        ${c1} s"
echo "  C1 + AppCDS archive:            ${tuned} s   (JDK_JAVA_OPTIONS='-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$JSA')"
