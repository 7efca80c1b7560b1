# Stage bookkeeping of the pipeline scripts (sourced from the repository root after OUT and
# TIMINGS are set: `. scripts/lib/stages.sh`). TIMINGS is a TSV with the header
# `stage<TAB>seconds<TAB>cpu_seconds`.
# stage NAME DIR CMD...: runs CMD unless DIR/.stage-done exists. When CMD succeeds, writes the
# marker and appends NAME, its wall seconds and its CPU seconds (user + system; on a shared
# machine a better guide to idle time) to timings.tsv. An interrupted stage is re-run, and the
# jobs themselves resume (trainer.resume=auto; sampler outputs are appended per batch).
stage() {
  local name="$1" dir="$2"; shift 2
  if [[ -f "$dir/.stage-done" ]]; then
    echo "=== $name: done, skipped ($dir) ==="
    return 0
  fi
  echo; echo "=== $name ($dir) ==="
  local t0 c0; t0=$(date +%s); cpu_now; c0=$CPU_NOW
  "$@"
  mkdir -p "$dir"
  touch "$dir/.stage-done"
  cpu_now
  printf '%s\t%d\t%d\n' "$name" "$(( $(date +%s) - t0 ))" "$(( CPU_NOW - c0 ))" >> "$TIMINGS"
}
# cpu_now: CPU_NOW = user + system CPU seconds of this shell's finished children (the 2nd line
# of bash's `times`, run in this shell, not in a subshell, which would count only its own).
cpu_now() {
  times > "$OUT/.times"
  CPU_NOW=$(sed -n 2p "$OUT/.times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%d", t }')
}
# last_ckpt RUN_DIR: the newest checkpoint of a trainer run (the LAST model, not a best pick).
last_ckpt() {
  local c
  c="$(ls -d "$1"/checkpoints/checkpoint-* 2>/dev/null | sort -V | tail -1)"
  [[ -n "$c" ]] || { echo "no checkpoint under $1/checkpoints" >&2; return 1; }
  for sub in "" /actor /policy; do
    if [[ -f "$c$sub/config.json" ]]; then echo "$c$sub"; return 0; fi
  done
  echo "$c"
}
