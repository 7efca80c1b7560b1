# JVM options of every Stepwise job the scripts start (sourced from the repository root:
# `. scripts/lib/java.sh`, then `java "${JVM_FLAGS[@]}" -jar ...`).
#   --add-modules=jdk.incubator.vector  the Vector API, for the Java CPU decoder
#       (dev.stepwise.model.cpu); a jar's manifest cannot add it. Without it trainer.jar and
#       sampler.jar re-launch themselves with it in a child JVM (docs/config.md, JVM options);
#       passing it here saves that second JVM start. -Dstepwise.decoder=auto|java|torch chooses
#       (the bench scripts pass JAVA_OPTS, e.g. JAVA_OPTS=-Dstepwise.decoder=torch).
#   -Dai.djl.offline=true  DJL never downloads: the PyTorch natives come from the jar.
# shellcheck disable=SC2034
JVM_FLAGS=(--add-modules=jdk.incubator.vector -Dai.djl.offline=true)

# ensure_jar JAR: builds the jars (mvn -q -DskipTests package) when JAR is missing or older than a
# pom or a source file of any module, so a script never runs stale code.
ensure_jar() {
  if [[ ! -f "$1" ]] || [[ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$1" -type f -print -quit 2>/dev/null)" ]]; then
    echo "building $1 (mvn -q -DskipTests package) ..." >&2
    mvn -q -B -ntp -DskipTests package >&2
  fi
}
