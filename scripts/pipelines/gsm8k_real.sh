#!/usr/bin/env bash
# The LPR-style pipeline on a real pretrained model and real GSM8K (issue 16 item 6): zero-shot
# baseline -> SFT on GSM8K train (worked solutions, calculator annotations removed, one step per
# line) -> N samples per train problem -> RFT and outcome-pair DPO -> PRM on Monte Carlo step values
# -> best-of-N with the PRM, every model evaluated on the same GSM8K test problems (greedy and maj@N).
# Ends with the Markdown tables in OUT/results.md. The model is stories260K (../shared/data/models,
# the only real weights on these machines; it writes children's stories, so expect ~0 accuracy:
# docs/results.md says what a 1-8B model on a GPU should give and which keys to change).
#
# Usage: scripts/pipelines/gsm8k_real.sh [--small] [--out DIR]
#   --small  a subset that finishes in well under an hour on 2 cores (sizes printed and written
#            to OUT/knobs.txt; every size below can still be overridden by the environment)
#   --out    pipeline directory [outputs/gsm8k_real/<date>_<time>]; re-running with the same --out
#            resumes: every finished stage (marker <stage dir>/.stage-done) is skipped, and an
#            interrupted stage continues (trainer.resume=auto; sampler outputs are appended per batch)
# Environment (full defaults in brackets):
#   SEEDS [1 2 3] seeds of everything after SFT   THREADS [0] libtorch threads (run.num_threads)
#   MODEL_CONF [stories260k] the conf/model entry of the base model   EXTRA [] overrides for every training stage
#     (e.g. EXTRA="lora.r=8" once LoRA keys exist; docs/lora.md)
#   SFT: SFT_TRAIN [0 = all 7,473] train problems, SFT_STEPS [2000], SFT_BATCH [16], SFT_LR [1e-3]
#   per seed: N_TRAIN [1000] train problems x N [8] samples (temperature 0.7); RFT_STEPS [200];
#     DPO_STEPS [200]; MAX_PAIRS [8]; PRM side: PRM_N_TRAIN [300] of those problems' samples -> states,
#     K [4] rollouts per state, RM_STEPS [300]
#   evaluation: N_TEST [1319] test problems x EVAL_N [8] samples + 1 greedy, max_tokens 256
# Build the jars first: mvn -q -o -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."

SMALL=0
OUT="outputs/gsm8k_real/$(date +%Y-%m-%d_%H-%M-%S)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) SMALL=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,27p "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (--small, --out DIR, --help)" >&2; exit 2 ;;
  esac
done
if [[ $SMALL == 1 ]]; then
  : "${SEEDS:=1}" "${SFT_TRAIN:=2000}" "${SFT_STEPS:=150}" "${SFT_BATCH:=8}" "${N_TRAIN:=64}" "${N:=8}"
  : "${RFT_STEPS:=30}" "${DPO_STEPS:=30}" "${PRM_N_TRAIN:=16}" "${K:=4}" "${RM_STEPS:=40}" "${N_TEST:=100}"
fi
SEEDS="${SEEDS:-1 2 3}"; THREADS="${THREADS:-0}"; MODEL_CONF="${MODEL_CONF:-stories260k}"; EXTRA="${EXTRA:-}"
SFT_TRAIN="${SFT_TRAIN:-0}"; SFT_STEPS="${SFT_STEPS:-2000}"; SFT_BATCH="${SFT_BATCH:-16}"; SFT_LR="${SFT_LR:-1e-3}"
N_TRAIN="${N_TRAIN:-1000}"; N="${N:-8}"; RFT_STEPS="${RFT_STEPS:-200}"; DPO_STEPS="${DPO_STEPS:-200}"
MAX_PAIRS="${MAX_PAIRS:-8}"; PRM_N_TRAIN="${PRM_N_TRAIN:-300}"; K="${K:-4}"; RM_STEPS="${RM_STEPS:-300}"
N_TEST="${N_TEST:-1319}"; EVAL_N="${EVAL_N:-8}"

. scripts/lib/java.sh
JAVA=(java "${JVM_FLAGS[@]}" -jar)
TRAINER=entrypoints/target/trainer.jar
SAMPLER=entrypoints/target/sampler.jar
for j in "$TRAINER" "$SAMPLER"; do
  [[ -f "$j" ]] || { echo "$j missing: run mvn -q -o -B -DskipTests package" >&2; exit 2; }
done
DATA="${STEPWISE_DATA:-../shared/data}"
[[ -f "$DATA/gsm8k/train.jsonl" ]] || { echo "GSM8K not found under $DATA (set STEPWISE_DATA)" >&2; exit 2; }

mkdir -p "$OUT"
TIMINGS="$OUT/timings.tsv"
[[ -f "$TIMINGS" ]] || printf 'stage\tseconds\tcpu_seconds\n' > "$TIMINGS"
COMMON=(run.num_threads="$THREADS")
MODEL_ARG=(model="$MODEL_CONF")
NO_RUN_EVAL=(eval.num_problems=0 test.num_problems=1 trainer.progress_bar=false)
SAMPLE=("${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/gsm8k -cn stories260k_sample "${MODEL_ARG[@]}" "${COMMON[@]}")

. scripts/lib/stages.sh
# has_correct SAMPLES: true when some sampled response is correct (RFT needs one).
# (The answer check here is exact string equality of pred and label, as the sampler's pass@n.)
has_correct() {
  python3 -c 'import json, sys
sys.exit(0 if any(r["label"] in r["pred"] for r in map(json.loads, open(sys.argv[1]))) else 1)' "$1"
}
nonempty() { [[ -s "$1" ]] || { echo "NOTE: $1 is empty: no $2 for this seed (reported as such)" >&2; return 1; }; }
# evaluate S METHOD [MODEL]: greedy + EVAL_N samples on the first N_TEST test problems (no MODEL:
# the base model of MODEL_CONF, zero-shot).
evaluate() {
  local path=()
  [[ -n "${3:-}" ]] && path=(sample.model_path="$3")
  stage "seed-$1/eval/$2" "$OUT/seed-$1/eval/$2" "${SAMPLE[@]}" run.dir="$OUT/seed-$1/eval/$2" seed="$1" \
    api.vllm_params.seed="$1" "${path[@]}" sample.split=test sample.limit="$N_TEST" \
    api.vllm_params.n="$EVAL_N" sample.greedy=true
  echo "${3:-$MODEL_CONF (base)}" > "$OUT/seed-$1/eval/$2/model_path.txt"
}

cat > "$OUT/knobs.txt" <<KNOBS
model=$MODEL_CONF small=$SMALL SEEDS=$SEEDS THREADS=$THREADS EXTRA=$EXTRA
SFT: SFT_TRAIN=$SFT_TRAIN (0 = all 7,473) SFT_STEPS=$SFT_STEPS SFT_BATCH=$SFT_BATCH SFT_LR=$SFT_LR
per seed: N_TRAIN=$N_TRAIN N=$N RFT_STEPS=$RFT_STEPS DPO_STEPS=$DPO_STEPS MAX_PAIRS=$MAX_PAIRS PRM_N_TRAIN=$PRM_N_TRAIN K=$K RM_STEPS=$RM_STEPS
evaluation: GSM8K test problems 0..$((N_TEST - 1)) (of 1,319), EVAL_N=$EVAL_N samples + greedy, max_tokens 256
KNOBS
echo "Pipeline directory: $OUT"; cat "$OUT/knobs.txt"

# 1. SFT, once (seed 1).
# shellcheck disable=SC2086
stage sft "$OUT/sft" "${JAVA[@]}" "$TRAINER" -cp conf/exp/sft/gsm8k -cn stories260k_sft run.dir="$OUT/sft" \
  "${MODEL_ARG[@]}" "${COMMON[@]}" "${NO_RUN_EVAL[@]}" task.max_train="$SFT_TRAIN" trainer.max_steps="$SFT_STEPS" \
  trainer.save_steps="$SFT_STEPS" trainer.per_device_train_batch_size="$SFT_BATCH" optim.lr="$SFT_LR" $EXTRA
SFT="$(last_ckpt "$OUT/sft")"
echo "SFT checkpoint: $SFT"

for S in $SEEDS; do
  D="$OUT/seed-$S"
  SEEDED=(seed="$S" "${COMMON[@]}")
  declare -A MODEL=([sft]="$SFT")
  # 2. N samples per train problem from the SFT model.
  stage "seed-$S/sample_train" "$D/sample_train" "${SAMPLE[@]}" run.dir="$D/sample_train" seed="$S" \
    api.vllm_params.seed="$S" sample.model_path="$SFT" sample.split=train sample.limit="$N_TRAIN" \
    api.vllm_params.n="$N" sample.greedy=false
  SAMPLES="$D/sample_train/samples.jsonl"
  # 3. RFT on the correct ones (none correct: no RFT row for this seed, and the output says so).
  if has_correct "$SAMPLES"; then
    # shellcheck disable=SC2086
    stage "seed-$S/rft" "$D/rft" "${JAVA[@]}" "$TRAINER" -cp conf/exp/sft/gsm8k -cn stories260k_rft run.dir="$D/rft" \
      "${MODEL_ARG[@]}" "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" model_path="$SFT" data.samples_file="$SAMPLES" \
      trainer.max_steps="$RFT_STEPS" trainer.save_steps="$RFT_STEPS" $EXTRA
    MODEL[rft]="$(last_ckpt "$D/rft")"
  else
    echo "NOTE: no correct train sample in $SAMPLES: no RFT for seed $S" >&2
  fi
  # 4. Outcome pairs and DPO (policy and reference: the SFT model).
  stage "seed-$S/outcome_pairs" "$D/outcome_pairs" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/gsm8k -cn stories260k_pairs \
    run.dir="$D/outcome_pairs" "${SEEDED[@]}" pairs.samples_file="$SAMPLES" pairs.max_pairs_per_problem="$MAX_PAIRS"
  if nonempty "$D/outcome_pairs/pairs.jsonl" DPO; then
    # shellcheck disable=SC2086
    stage "seed-$S/dpo" "$D/dpo" "${JAVA[@]}" "$TRAINER" -cp conf/exp/dpo/gsm8k -cn stories260k_dpo run.dir="$D/dpo" \
      "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" dpo.model_path="$SFT" dpo.train_file="$D/outcome_pairs/pairs.jsonl" \
      trainer.max_steps="$DPO_STEPS" trainer.save_steps="$DPO_STEPS" $EXTRA
    MODEL[dpo]="$(last_ckpt "$D/dpo")"
  fi
  # 5. PRM: intermediate states of the first PRM_N_TRAIN problems' samples, K rollouts per state
  # from the SFT model, soft Monte Carlo labels, the backbone initialised from the SFT model.
  head -n "$PRM_N_TRAIN" "$SAMPLES" > "$D/prm_samples.jsonl"
  stage "seed-$S/states" "$D/states" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/gsm8k -cn tiny_states \
    run.dir="$D/states" "${SEEDED[@]}" task.strip_calculator=true states.input_file="$D/prm_samples.jsonl"
  stage "seed-$S/rollouts" "$D/rollouts" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/gsm8k -cn tiny_rollouts \
    run.dir="$D/rollouts" "${SEEDED[@]}" task.strip_calculator=true rollouts.model_path="$SFT" \
    rollouts.states_file="$D/states/states.jsonl" rollouts.samples_file="$D/prm_samples.jsonl" \
    api.vllm_params.n="$K" api.vllm_params.max_tokens=256 api.vllm_params.seed="$S"
  # shellcheck disable=SC2086
  stage "seed-$S/prm" "$D/prm" "${JAVA[@]}" "$TRAINER" -cp conf/exp/reward/gsm8k -cn stories260k_prm run.dir="$D/prm" \
    "${SEEDED[@]}" trainer.progress_bar=false reward.model_path="$SFT" reward.train_file="$D/rollouts/rollouts.jsonl" \
    trainer.max_steps="$RM_STEPS" trainer.save_steps="$RM_STEPS" $EXTRA
  # 6. Every model on the same test problems.
  evaluate "$S" zero_shot
  for m in sft rft dpo; do
    if [[ -n "${MODEL[$m]:-}" ]]; then evaluate "$S" "$m" "${MODEL[$m]}"; fi
  done
  # 7. Best-of-N over the SFT model's EVAL_N test samples: PRM (each reduce), majority vote, pass@N.
  stage "seed-$S/prm_predict" "$D/prm_predict" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/gsm8k -cn stories260k_predict \
    run.dir="$D/prm_predict" "${SEEDED[@]}" predict.model_path="$D/prm/reward_model" \
    predict.input_file="$D/eval/sft/samples.jsonl"
  stage "seed-$S/best_of_n" "$D/best_of_n" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/reward/gsm8k -cn best_of_4 \
    run.dir="$D/best_of_n" "${SEEDED[@]}" best_of_n.prm_file="$D/prm_predict/predictions.jsonl"
  unset MODEL
done

# 8. The tables.
{
  java "${JVM_FLAGS[@]}" -cp "$SAMPLER" dev.stepwise.report.ResultsTable "$OUT"
  echo
  echo "Best-of-$EVAL_N over the SFT model's test samples (best_of_n.tsv of each seed):"
  for S in $SEEDS; do
    echo; echo "seed $S:"; echo
    awk -F'\t' 'NR == 1 { printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n|"
                           for (i = 1; i <= NF; i++) printf " --- |"; printf "\n"; next }
                 { printf "|"; for (i = 1; i <= NF; i++) printf " %s |", ($i ~ /^[0-9.]+$/ ? sprintf("%.3f", $i) : $i); printf "\n" }' \
      "$OUT/seed-$S/best_of_n/best_of_n.tsv"
  done
} | tee "$OUT/results.md"
echo "Pipeline directory: $OUT (table: $OUT/results.md, stage times: $TIMINGS)"
