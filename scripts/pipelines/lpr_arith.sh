#!/usr/bin/env bash
# The comparison pipeline on the built-in arith task (issue 5 item 5, issue 6): one SFT model,
# then for every seed RFT, outcome DPO, pDPO (PRM best-of pairs), Self-Explore (first-pit pairs),
# step PPO (PRM rewards) and GRPO (outcome reward), each evaluated on the same held-out test
# problems (greedy accuracy and maj@8), ending with a Markdown table in OUT/results.md.
#
# Usage: scripts/pipelines/lpr_arith.sh [--sft CHECKPOINT_DIR] [--prm DIR] [--out DIR]
#   --sft  reuse an SFT checkpoint (skips the SFT stage)
#   --prm  reuse a PRM: a prm_arith.sh output directory (uses DIR/prm/reward_model) or a
#          reward-model directory itself (skips the PRM stages)
#   --out  pipeline directory [outputs/lpr_arith/<date>_<time>]; re-running with the same --out
#          resumes: every finished stage (marker <stage dir>/.stage-done) is skipped
# Environment (defaults in brackets):
#   SEEDS [1 2 3] seeds of everything after SFT   TASK_SEED [42] the task's problem generator
#   THREADS [0] libtorch threads per job (run.num_threads; 0 = all cores; 1 on a shared machine,
#          where 2 spinning threads per job collapse, see docs/benchmarks.md)
#   METHODS [sft rft dpo pdpo self_explore ppo grpo] rows to run (a method whose config is missing
#          is skipped with a message)
#   SFT_STEPS [1200]  PRM side (once): PRM_N_TRAIN [300] problems x PRM_N [4] samples, K [8]
#          rollouts per state, RATIO [1.0], LABEL_TYPE [soft], RM_STEPS [300]
#   per seed: N_TRAIN [500] train problems x N [4] samples (temperature 0.7) for RFT and pairs
#          RFT_STEPS [100]  RFT_LR [3e-5]  DPO_STEPS [100] (DPO, pDPO, Self-Explore)  DPO_LR [3e-6]  BETA [0.1]
#          RPO_ALPHA [0] NLL on chosen  MAX_PAIRS [8] outcome pairs per problem
#          PPO_STEPS [160] PPO updates (4 per rollout of 64 prompts)  GRPO_STEPS [20]  GRPO_LR [1e-5]
#   evaluation: N_TEST [200] test problems x EVAL_N [8] samples + 1 greedy, EVAL_MAX_TOKENS [192]
#   extra overrides per stage (space-separated): EXTRA_SFT EXTRA_RFT EXTRA_DPO EXTRA_PIT
#          EXTRA_PPO EXTRA_GRPO EXTRA_EVAL
# Build the jars first: mvn -q -o -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."

SFT=""
PRM=""
OUT="outputs/lpr_arith/$(date +%Y-%m-%d_%H-%M-%S)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sft) SFT="$2"; shift 2 ;;
    --prm) PRM="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,28p "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (--sft DIR, --prm DIR, --out DIR, --help)" >&2; exit 2 ;;
  esac
done
SEEDS="${SEEDS:-1 2 3}"; TASK_SEED="${TASK_SEED:-42}"; THREADS="${THREADS:-0}"
METHODS="${METHODS:-sft rft dpo pdpo self_explore ppo grpo}"
SFT_STEPS="${SFT_STEPS:-1200}"
PRM_N_TRAIN="${PRM_N_TRAIN:-300}"; PRM_N="${PRM_N:-4}"; K="${K:-8}"; RATIO="${RATIO:-1.0}"
LABEL_TYPE="${LABEL_TYPE:-soft}"; RM_STEPS="${RM_STEPS:-300}"
N_TRAIN="${N_TRAIN:-500}"; N="${N:-4}"; RFT_STEPS="${RFT_STEPS:-100}"; RFT_LR="${RFT_LR:-3e-5}"
DPO_STEPS="${DPO_STEPS:-100}"; DPO_LR="${DPO_LR:-3e-6}"; BETA="${BETA:-0.1}"; RPO_ALPHA="${RPO_ALPHA:-0}"
MAX_PAIRS="${MAX_PAIRS:-8}"
PPO_STEPS="${PPO_STEPS:-160}"; GRPO_STEPS="${GRPO_STEPS:-20}"; GRPO_LR="${GRPO_LR:-1e-5}"
N_TEST="${N_TEST:-200}"; EVAL_N="${EVAL_N:-8}"; EVAL_MAX_TOKENS="${EVAL_MAX_TOKENS:-192}"

. scripts/lib/java.sh
JAVA=(java "${JVM_FLAGS[@]}" -jar)
TRAINER=entrypoints/target/trainer.jar
SAMPLER=entrypoints/target/sampler.jar
for j in "$TRAINER" "$SAMPLER"; do
  [[ -f "$j" ]] || { echo "$j missing: run mvn -q -o -B -DskipTests package" >&2; exit 2; }
done

# Methods whose stages are not in this checkout are dropped with a message, not a failure.
has() { [[ " $METHODS " == *" $1 "* ]]; }
drop_if_missing() {
  if has "$1" && [[ ! -f "$2" ]]; then
    echo "skipping method '$1': $2 is missing in this checkout" >&2
    METHODS="$(echo " $METHODS " | sed "s/ $1 / /")"
  fi
}
for m in $METHODS; do
  case "$m" in sft|rft|dpo|pdpo|self_explore|ppo|grpo) ;;
    *) echo "METHODS: unknown method '$m' (sft rft dpo pdpo self_explore ppo grpo)" >&2; exit 2 ;;
  esac
done
drop_if_missing self_explore conf/exp/sample/arith/tiny_first_pit_pairs.conf
drop_if_missing ppo conf/exp/ppo/arith/tiny_step_ppo.conf
METHODS="$(echo $METHODS)"

mkdir -p "$OUT"
TIMINGS="$OUT/timings.tsv"
[[ -f "$TIMINGS" ]] || printf 'stage\tseconds\tcpu_seconds\n' > "$TIMINGS"
# Seeds (training, sampling, pairs) follow `seed`; the task's problems stay fixed by task.seed.
COMMON=(task.seed="$TASK_SEED" run.num_threads="$THREADS")
# In-run greedy evaluations are switched off (test.num_problems=0 means "all", so 1): the
# evaluation stage below measures every model in the same way.
NO_RUN_EVAL=(eval.num_problems=0 test.num_problems=1 trainer.progress_bar=false)

. scripts/lib/stages.sh
nonempty() { [[ -s "$1" ]] || { echo "WARNING: $1 is empty: skipping $2 for this seed" >&2; return 1; }; }

cat > "$OUT/knobs.txt" <<EOF
SEEDS=$SEEDS TASK_SEED=$TASK_SEED THREADS=$THREADS METHODS=$METHODS SFT_STEPS=$SFT_STEPS${SFT:+ (reused: $SFT)}
PRM side: PRM_N_TRAIN=$PRM_N_TRAIN PRM_N=$PRM_N K=$K RATIO=$RATIO LABEL_TYPE=$LABEL_TYPE RM_STEPS=$RM_STEPS${PRM:+ (reused: $PRM)}
per seed: N_TRAIN=$N_TRAIN N=$N RFT_STEPS=$RFT_STEPS RFT_LR=$RFT_LR DPO_STEPS=$DPO_STEPS DPO_LR=$DPO_LR BETA=$BETA RPO_ALPHA=$RPO_ALPHA MAX_PAIRS=$MAX_PAIRS PPO_STEPS=$PPO_STEPS GRPO_STEPS=$GRPO_STEPS GRPO_LR=$GRPO_LR
evaluation: N_TEST=$N_TEST EVAL_N=$EVAL_N EVAL_MAX_TOKENS=$EVAL_MAX_TOKENS
EOF
echo "Pipeline directory: $OUT"; cat "$OUT/knobs.txt"

# 1. SFT, once.
if [[ -z "$SFT" ]]; then
  # shellcheck disable=SC2086
  stage sft "$OUT/sft" "${JAVA[@]}" "$TRAINER" -cp conf/exp/sft/arith -cn tiny_sft run.dir="$OUT/sft" \
    "${COMMON[@]}" "${NO_RUN_EVAL[@]}" trainer.max_steps="$SFT_STEPS" ${EXTRA_SFT:-}
  SFT="$(last_ckpt "$OUT/sft")"
fi
[[ -d "$SFT" ]] || { echo "no SFT checkpoint at '$SFT'" >&2; exit 2; }
echo "SFT checkpoint: $SFT"

# 2. PRM side, once (the commands of prm_arith.sh).
if has pdpo || has ppo; then
  if [[ -n "$PRM" ]]; then
    [[ -f "$PRM/prm/reward_model/reward_head.json" ]] && PRM="$PRM/prm/reward_model"
    [[ -f "$PRM/reward_head.json" ]] || { echo "--prm: no reward model at '$PRM' (nor at $PRM/prm/reward_model)" >&2; exit 2; }
  else
    P="$OUT/prm"
    stage prm/sample_train "$P/sample_train" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_sample \
      run.dir="$P/sample_train" "${COMMON[@]}" sample.model_path="$SFT" sample.split=train \
      sample.limit="$PRM_N_TRAIN" api.vllm_params.n="$PRM_N" sample.greedy=false
    stage prm/states "$P/states" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_states \
      run.dir="$P/states" "${COMMON[@]}" states.input_file="$P/sample_train/samples.jsonl" states.ratio="$RATIO"
    stage prm/rollouts "$P/rollouts" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_rollouts \
      run.dir="$P/rollouts" "${COMMON[@]}" rollouts.model_path="$SFT" rollouts.states_file="$P/states/states.jsonl" \
      rollouts.samples_file="$P/sample_train/samples.jsonl" api.vllm_params.n="$K"
    stage prm/prm "$P/prm" "${JAVA[@]}" "$TRAINER" -cp conf/exp/reward/arith -cn tiny_prm run.dir="$P/prm" \
      "${COMMON[@]}" trainer.progress_bar=false reward.model_path="$SFT" reward.train_file="$P/rollouts/rollouts.jsonl" \
      reward.label_type="$LABEL_TYPE" trainer.max_steps="$RM_STEPS" trainer.save_steps="$RM_STEPS"
    PRM="$P/prm/reward_model"
  fi
  echo "PRM: $PRM"
fi

# 3-7. Per seed.
for S in $SEEDS; do
  D="$OUT/seed-$S"
  SEEDED=(seed="$S" "${COMMON[@]}")
  declare -A MODEL=([sft]="$SFT")
  if has rft || has dpo || has pdpo || has self_explore; then
    stage "seed-$S/sample_train" "$D/sample_train" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_sample \
      run.dir="$D/sample_train" "${SEEDED[@]}" api.vllm_params.seed="$S" sample.model_path="$SFT" \
      sample.split=train sample.limit="$N_TRAIN" api.vllm_params.n="$N" sample.greedy=false
  fi
  SAMPLES="$D/sample_train/samples.jsonl"
  if has rft || has self_explore; then
    # shellcheck disable=SC2086
    stage "seed-$S/rft" "$D/rft" "${JAVA[@]}" "$TRAINER" -cp conf/exp/sft/arith -cn tiny_rft run.dir="$D/rft" \
      "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" model_path="$SFT" data.samples_file="$SAMPLES" optim.lr="$RFT_LR" \
      trainer.max_steps="$RFT_STEPS" trainer.save_steps="$RFT_STEPS" ${EXTRA_RFT:-}
    MODEL[rft]="$(last_ckpt "$D/rft")"
  fi
  # dpo_stage NAME POLICY PAIRS: DPO from POLICY (the reference is POLICY too).
  dpo_stage() {
    # shellcheck disable=SC2086
    stage "seed-$S/$1" "$D/$1" "${JAVA[@]}" "$TRAINER" -cp conf/exp/dpo/arith -cn tiny_dpo run.dir="$D/$1" \
      "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" dpo.model_path="$2" dpo.train_file="$3" dpo.beta="$BETA" \
      dpo.rpo_alpha="$RPO_ALPHA" optim.lr="$DPO_LR" trainer.max_steps="$DPO_STEPS" trainer.save_steps="$DPO_STEPS" ${EXTRA_DPO:-}
    MODEL[$1]="$(last_ckpt "$D/$1")"
  }
  if has dpo; then
    stage "seed-$S/outcome_pairs" "$D/outcome_pairs" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_pairs \
      run.dir="$D/outcome_pairs" "${SEEDED[@]}" pairs.samples_file="$SAMPLES" pairs.max_pairs_per_problem="$MAX_PAIRS"
    if nonempty "$D/outcome_pairs/pairs.jsonl" dpo; then dpo_stage dpo "$SFT" "$D/outcome_pairs/pairs.jsonl"; fi
  fi
  if has pdpo; then
    stage "seed-$S/prm_predict" "$D/prm_predict" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_predict \
      run.dir="$D/prm_predict" "${SEEDED[@]}" predict.model_path="$PRM" predict.input_file="$SAMPLES"
    stage "seed-$S/best_of_pairs" "$D/best_of_pairs" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_best_of_pairs \
      run.dir="$D/best_of_pairs" "${SEEDED[@]}" pairs.predictions_file="$D/prm_predict/predictions.jsonl"
    if nonempty "$D/best_of_pairs/pairs.jsonl" pdpo; then dpo_stage pdpo "$SFT" "$D/best_of_pairs/pairs.jsonl"; fi
  fi
  if has self_explore; then
    # Self-Explore (Hwang et al. 2024): the RFT model explores from each step of the incorrect
    # samples, and is both the initial policy and the reference of the DPO on the pit pairs.
    # shellcheck disable=SC2086
    stage "seed-$S/first_pit_pairs" "$D/first_pit_pairs" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith \
      -cn tiny_first_pit_pairs run.dir="$D/first_pit_pairs" "${SEEDED[@]}" pairs.samples_file="$SAMPLES" \
      pairs.explorer_path="${MODEL[rft]}" ${EXTRA_PIT:-}
    if nonempty "$D/first_pit_pairs/pairs.jsonl" self_explore; then
      dpo_stage self_explore "${MODEL[rft]}" "$D/first_pit_pairs/pairs.jsonl"
    fi
  fi
  if has ppo; then
    # shellcheck disable=SC2086
    stage "seed-$S/ppo" "$D/ppo" "${JAVA[@]}" "$TRAINER" -cp conf/exp/ppo/arith -cn tiny_step_ppo run.dir="$D/ppo" \
      "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" ppo.model_path="$SFT" prm.model_path="$PRM" \
      trainer.max_steps="$PPO_STEPS" trainer.save_steps="$PPO_STEPS" ${EXTRA_PPO:-}
    MODEL[ppo]="$(last_ckpt "$D/ppo")"
  fi
  if has grpo; then
    # shellcheck disable=SC2086
    stage "seed-$S/grpo" "$D/grpo" "${JAVA[@]}" "$TRAINER" -cp conf/exp/ppo/arith -cn tiny_grpo run.dir="$D/grpo" \
      "${SEEDED[@]}" "${NO_RUN_EVAL[@]}" grpo.model_path="$SFT" optim.lr="$GRPO_LR" \
      trainer.max_steps="$GRPO_STEPS" trainer.save_steps="$GRPO_STEPS" ${EXTRA_GRPO:-}
    MODEL[grpo]="$(last_ckpt "$D/grpo")"
  fi
  # 7. Evaluation of every model on the same N_TEST test problems (the last model of each run).
  for m in $METHODS; do
    [[ -n "${MODEL[$m]:-}" ]] || continue
    # shellcheck disable=SC2086
    stage "seed-$S/eval/$m" "$D/eval/$m" "${JAVA[@]}" "$SAMPLER" -cp conf/exp/sample/arith -cn tiny_sample \
      run.dir="$D/eval/$m" "${SEEDED[@]}" api.vllm_params.seed="$S" sample.model_path="${MODEL[$m]}" \
      sample.split=test sample.limit="$N_TEST" api.vllm_params.n="$EVAL_N" \
      api.vllm_params.max_tokens="$EVAL_MAX_TOKENS" sample.greedy=true ${EXTRA_EVAL:-}
    echo "${MODEL[$m]}" > "$D/eval/$m/model_path.txt"
  done
  unset MODEL
done

# 8. The table.
echo
java "${JVM_FLAGS[@]}" -cp "$SAMPLER" dev.stepwise.report.ResultsTable "$OUT" | tee "$OUT/results.md"
echo "Pipeline directory: $OUT (table: $OUT/results.md, stage times: $TIMINGS)"
