# JVM options of every Stepwise job the scripts start (sourced from the repository root:
# `. scripts/lib/java.sh`, then `java "${JVM_FLAGS[@]}" -jar ...`).
#   --add-modules=jdk.incubator.vector  the Vector API, for the Java CPU decoder
#       (dev.stepwise.model.cpu); a jar's manifest cannot add it, so every java command must.
#       Without it sampling falls back to the slower TorchScript decoder;
#       -Dstepwise.decoder=auto|java|torch chooses (the bench scripts pass JAVA_OPTS, e.g. JAVA_OPTS=-Dstepwise.decoder=torch).
#   -Dai.djl.offline=true  DJL never downloads: the PyTorch natives come from the jar.
# shellcheck disable=SC2034
JVM_FLAGS=(--add-modules=jdk.incubator.vector -Dai.djl.offline=true)
