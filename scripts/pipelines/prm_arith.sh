#!/usr/bin/env bash
# The process-reward pipeline on the built-in arith task (Jiao et al. 2024, section 3):
#   SFT (or a given checkpoint) -> sample n solutions per train problem -> intermediate states
#   -> k Monte Carlo rollouts per state -> PRM (label_type soft|hard|classes) and ORM
#   -> sample n solutions per test problem -> predict with PRM and ORM -> best-of-N table.
#
# Usage: scripts/pipelines/prm_arith.sh [--sft CHECKPOINT_DIR] [--out DIR]
# Environment (defaults in brackets):
#   LABEL_TYPE [soft]  N_TRAIN [300] train problems sampled   N_TEST [200] test problems
#   N [4] samples per problem   K [8] rollouts per state   RATIO [1.0] state keep probability
#   RM_STEPS [300] reward-model optimizer steps   EXTRA_SFT [] extra SFT overrides
# Build the jars first: mvn -q -o -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."

SFT=""
OUT="outputs/prm_arith/$(date +%Y-%m-%d_%H-%M-%S)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sft) SFT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (--sft DIR, --out DIR)" >&2; exit 2 ;;
  esac
done
LABEL_TYPE="${LABEL_TYPE:-soft}"; N_TRAIN="${N_TRAIN:-300}"; N_TEST="${N_TEST:-200}"
N="${N:-4}"; K="${K:-8}"; RATIO="${RATIO:-1.0}"; RM_STEPS="${RM_STEPS:-300}"
. scripts/lib/java.sh
JAVA=(java "${JVM_FLAGS[@]}" -jar)
TRAINER=entrypoints/target/trainer.jar
SAMPLER=entrypoints/target/sampler.jar
for j in "$TRAINER" "$SAMPLER"; do
  [[ -f "$j" ]] || { echo "$j missing: run mvn -q -o -B -DskipTests package" >&2; exit 2; }
done
mkdir -p "$OUT"
step() { echo; echo "=== $* ==="; }

if [[ -z "$SFT" ]]; then
  step "SFT"
  # shellcheck disable=SC2086
  "${JAVA[@]}" "$TRAINER" -cp conf/exp/sft/arith -cn tiny_sft run.dir="$OUT/sft" trainer.progress_bar=false ${EXTRA_SFT:-}
  SFT="$(ls -d "$OUT"/sft/checkpoints/checkpoint-* | sort -V | tail -1)"
fi
[[ -d "$SFT" ]] || { echo "no SFT checkpoint at '$SFT'" >&2; exit 2; }
echo "SFT checkpoint: $SFT"

step "sample $N solutions for $N_TRAIN train problems"
"${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_sample run.dir="$OUT/sample_train" \
  sample.model_path="$SFT" sample.split=train sample.limit="$N_TRAIN" api.vllm_params.n="$N"
step "intermediate states"
"${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_states run.dir="$OUT/states" \
  states.input_file="$OUT/sample_train/samples.jsonl" states.ratio="$RATIO"
step "$K rollouts per state"
"${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_rollouts run.dir="$OUT/rollouts" \
  rollouts.model_path="$SFT" rollouts.states_file="$OUT/states/states.jsonl" \
  rollouts.samples_file="$OUT/sample_train/samples.jsonl" api.vllm_params.n="$K"

step "PRM ($LABEL_TYPE)"
"${JAVA[@]}" "$TRAINER" -cp conf/exp/reward/arith -cn tiny_prm run.dir="$OUT/prm" trainer.progress_bar=false \
  reward.model_path="$SFT" reward.train_file="$OUT/rollouts/rollouts.jsonl" reward.label_type="$LABEL_TYPE" \
  trainer.max_steps="$RM_STEPS" trainer.save_steps="$RM_STEPS"
step "ORM"
"${JAVA[@]}" "$TRAINER" -cp conf/exp/reward/arith -cn tiny_orm run.dir="$OUT/orm" trainer.progress_bar=false \
  reward.model_path="$SFT" reward.train_file="$OUT/sample_train/samples.jsonl" \
  trainer.max_steps="$RM_STEPS" trainer.save_steps="$RM_STEPS"

step "sample $N solutions for $N_TEST test problems"
"${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_sample run.dir="$OUT/sample_test" \
  sample.model_path="$SFT" sample.split=test sample.limit="$N_TEST" api.vllm_params.n="$N"
for rm in prm orm; do
  step "predict with the $rm"
  "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_predict run.dir="$OUT/${rm}_pred" \
    predict.model_path="$OUT/$rm/reward_model" predict.input_file="$OUT/sample_test/samples.jsonl"
done

step "best-of-$N"
"${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_best_of_n run.dir="$OUT/best_of_n" \
  best_of_n.prm_file="$OUT/prm_pred/predictions.jsonl" best_of_n.orm_file="$OUT/orm_pred/predictions.jsonl"
echo
echo "Pipeline directory: $OUT"
cat "$OUT/best_of_n/best_of_n.tsv"
