# The body of the loop scripts (scripts/pipelines/self_rewarding.sh, rlcd.sh): parses --out,
# --sft and overrides, then runs `sampler.jar -cp conf/exp/<NAME> -cn arith` (job=loop).
# Usage, from the repository root: . scripts/lib/loop.sh; run_loop NAME HELP_LINES "$@"
run_loop() {
  local name="$1" help="$2"; shift 2
  local out="outputs/$name/$(date +%Y-%m-%d_%H-%M-%S)" sft="" args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --out) out="$2"; shift 2 ;;
      --sft) sft="$2"; shift 2 ;;
      -h|--help) sed -n "$help"p "$0"; exit 0 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  . scripts/lib/java.sh
  ensure_jar entrypoints/target/sampler.jar
  if [[ -n "$sft" ]]; then
    [[ -f "$sft/config.json" ]] || { echo "--sft: no checkpoint (config.json) at '$sft'" >&2; exit 2; }
    args=("loop.setup=[]" "loop.model=$sft" "${args[@]}")
  fi
  exec java "${JVM_FLAGS[@]}" -jar entrypoints/target/sampler.jar -cp "conf/exp/$name" -cn arith run.dir="$out" "${args[@]}"
}
