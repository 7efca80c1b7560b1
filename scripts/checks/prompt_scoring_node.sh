#!/usr/bin/env bash
# Prompt scoring through the official Node `openai` client, checked against curl.
#
# Installs the npm package `openai` into a temporary directory, serves a checkpoint with
# `sampler.jar job=serve` on a free loopback port, and asks for prompt log-probabilities
# (echo: true, logprobs: 3, max_tokens: 0) for the same prompts as token-id arrays and as text,
# once with the Node client and once with curl. It checks that Node and curl get the same
# tokens, token_logprobs (null first) and top_logprobs, that the id and text forms agree, and
# that max_tokens: 0 without echo is a 400 naming max_tokens; it prints a summary and exits 1 on
# any mismatch. (The in-process comparison to 1e-5 is in the Java tests: PromptScoringTest,
# OpenAiSdkScoringTest, ApiClientScoringTest.)
#
#   scripts/checks/prompt_scoring_node.sh [checkpoint-dir]
#
# Without a checkpoint it trains a 20-step tiny arith SFT one first (about a minute). Token ids
# are computed from the checkpoint's character vocabulary (tokenizer.json of type stepwise-char);
# for other tokenizers only the text form is checked. Needs java, node + npm (registry access)
# and curl. OPENAI_NPM_VERSION picks the package version (default: latest).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
for tool in node npm curl; do
  command -v "$tool" >/dev/null || { echo "prompt_scoring_node: $tool is required" >&2; exit 2; }
done
work=$(mktemp -d -t stepwise-score-XXXXXX)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true # a killed job's status would stop the trap under set -e
  fi
  rm -rf "$work"
}
trap cleanup EXIT

ckpt=${1:-}
if [[ -z "$ckpt" ]]; then
  ensure_jar entrypoints/target/trainer.jar
  echo "training a 20-step tiny SFT checkpoint ..." >&2
  java "${JVM_FLAGS[@]}" -jar entrypoints/target/trainer.jar -cp conf/exp/sft/arith -cn tiny_sft \
    trainer.max_steps=20 run.dir="$work/sft" >"$work/train.log" 2>&1 || { tail -20 "$work/train.log"; exit 1; }
  ckpt=$(ls -d "$work"/sft/checkpoints/checkpoint-* | sort -V | tail -1)
fi
ckpt=$(cd "$ckpt" && pwd)
ensure_jar entrypoints/target/sampler.jar

echo "installing openai${OPENAI_NPM_VERSION:+@$OPENAI_NPM_VERSION} from npm into $work/node ..." >&2
mkdir -p "$work/node"
(cd "$work/node" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "openai@${OPENAI_NPM_VERSION:-latest}" >/dev/null)

java "${JVM_FLAGS[@]}" -jar entrypoints/target/sampler.jar -cp conf/exp/serve/arith -cn tiny_serve \
  serve.model_path="$ckpt" api.server.port=0 serve.max_seconds=600 run.dir="$work/serve" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  [[ -s "$work/serve/server_url.txt" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { tail -20 "$work/serve.log"; exit 1; }
  sleep 0.5
done
url=$(cat "$work/serve/server_url.txt")
echo "server: $url (checkpoint $ckpt)" >&2

# the prompts, as text and (character vocabulary) as token ids
cat >"$work/node/prompts.mjs" <<'JS'
import fs from 'node:fs';
const texts = ['12+7=19\nThe answer is 19', 'Q: 3+4=? A: 3+4=7', '5'];
const tok = JSON.parse(fs.readFileSync(process.argv[2] + '/tokenizer.json', 'utf8'));
const ids = tok.type === 'stepwise-char'
  ? texts.map(t => [...t].map(c => { const i = tok.vocab.indexOf(c); return i < 0 ? tok.unk_id : i; }))
  : null;
console.log(JSON.stringify({ texts, ids }));
JS
node "$work/node/prompts.mjs" "$ckpt" >"$work/prompts.json"

body() { # $1 = texts|ids
  node -e 'const p = require(process.argv[1]); console.log(JSON.stringify({model: "stepwise", prompt: p[process.argv[2]], echo: true, logprobs: 3, max_tokens: 0}))' "$work/prompts.json" "$1"
}
curl -sS --fail-with-body "$url/completions" -H 'Content-Type: application/json' -d "$(body texts)" >"$work/curl_texts.json"
if node -e 'process.exit(require(process.argv[1]).ids ? 0 : 1)' "$work/prompts.json"; then
  curl -sS --fail-with-body "$url/completions" -H 'Content-Type: application/json' -d "$(body ids)" >"$work/curl_ids.json"
fi
bad_status=$(curl -sS -o "$work/bad.json" -w '%{http_code}' "$url/completions" -H 'Content-Type: application/json' \
  -d '{"model":"stepwise","prompt":"12+7=","max_tokens":0}')

cat >"$work/node/check.mjs" <<'JS'
import fs from 'node:fs';
import OpenAI from 'openai';
const [url, work] = process.argv.slice(2);
const version = JSON.parse(fs.readFileSync(work + '/node/node_modules/openai/package.json', 'utf8')).version;
const prompts = JSON.parse(fs.readFileSync(work + '/prompts.json', 'utf8'));
const client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
let failures = 0;
const fail = (m) => { failures++; console.log('MISMATCH ' + m); };
// largest |difference| per comparison; 1e-5 allowed (a prompt alone and in a padded batch go
// through different GEMM shapes), identical requests should agree exactly
const maxDiff = {};
let label = '';
const near = (a, b, what) => {
  if (a === null || b === null) { if (a !== b) fail(`${what}: ${a} vs ${b}`); return; }
  const d = Math.abs(a - b); maxDiff[label] = Math.max(maxDiff[label] ?? 0, d);
  if (!(d <= 1e-5)) fail(`${what}: ${a} vs ${b}`);
};
function compare(node, other, lbl) {
  label = lbl;
  if (node.choices.length !== other.choices.length) return fail(`${lbl}: ${node.choices.length} vs ${other.choices.length} choices`);
  node.choices.forEach((c, i) => {
    const a = c.logprobs, b = other.choices[i].logprobs;
    if (c.text !== other.choices[i].text) fail(`${lbl} choice ${i} text`);
    if (JSON.stringify(a.tokens) !== JSON.stringify(b.tokens)) fail(`${lbl} choice ${i} tokens`);
    if (JSON.stringify(a.text_offset) !== JSON.stringify(b.text_offset)) fail(`${lbl} choice ${i} text_offset`);
    if (a.token_logprobs[0] !== null || a.top_logprobs[0] !== null) fail(`${lbl} choice ${i}: first token not null`);
    a.token_logprobs.forEach((v, t) => near(v, b.token_logprobs[t], `${lbl} choice ${i} token ${t}`));
    a.top_logprobs.forEach((m, t) => {
      if (m === null) return;
      for (const k of Object.keys(b.top_logprobs[t])) near(m[k] ?? null, b.top_logprobs[t][k], `${lbl} choice ${i} top '${k}' at ${t}`);
    });
  });
}
const ask = (prompt) => client.completions.create({ model: 'stepwise', prompt, echo: true, logprobs: 3, max_tokens: 0 });
const texts = await ask(prompts.texts);
compare(texts, JSON.parse(fs.readFileSync(work + '/curl_texts.json', 'utf8')), 'text prompts, node vs curl');
let tokens = 0;
texts.choices.forEach(c => tokens += c.logprobs.tokens.length);
const lines = [`openai (npm) ${version}: ${texts.choices.length} text prompts, ${tokens} tokens scored (usage.prompt_tokens ${texts.usage.prompt_tokens}, completion_tokens ${texts.usage.completion_tokens})`];
if (prompts.ids) {
  const ids = await ask(prompts.ids);
  compare(ids, JSON.parse(fs.readFileSync(work + '/curl_ids.json', 'utf8')), 'token-id prompts, node vs curl');
  compare(ids, texts, 'token-id vs text prompts (node)');
  const one = await ask(prompts.ids[0]);
  compare(one, { choices: [texts.choices[0]] }, 'one token-id array vs text (node)');
  lines.push(`token-id prompts (array of arrays, and one array): same tokens and numbers as the text form`);
}
texts.choices.forEach((c, i) => {
  const sum = c.logprobs.token_logprobs.slice(1).reduce((s, v) => s + v, 0);
  lines.push(`  prompt ${i}: ${c.logprobs.tokens.length} tokens, first token_logprob ${c.logprobs.token_logprobs[0]}, sum ${sum.toFixed(6)} nats, finish_reason ${c.finish_reason}`);
});
try {
  await client.completions.create({ model: 'stepwise', prompt: '12+7=', max_tokens: 0 });
  fail('max_tokens 0 without echo was accepted');
} catch (e) {
  if (e.status !== 400 || e.param !== 'max_tokens') fail(`max_tokens 0 without echo: ${e.status} ${e.param}`);
  else lines.push(`max_tokens 0 without echo: node gets ${e.status} (param ${e.param})`);
}
for (const [k, v] of Object.entries(maxDiff)) lines.push(`max |difference| of every token_logprob and top_logprob, ${k}: ${v}`);
lines.forEach(l => console.log(l));
console.log(failures === 0 ? 'OK: the Node client and curl read the same prompt log-probabilities' : `FAILED: ${failures} mismatches`);
process.exit(failures === 0 ? 0 : 1);
JS
[[ "$bad_status" == 400 ]] || { echo "curl: max_tokens 0 without echo answered $bad_status: $(cat "$work/bad.json")"; exit 1; }
echo "curl: max_tokens 0 without echo -> 400 $(node -e 'console.log(require(process.argv[1]).error.param)' "$work/bad.json")"
node "$work/node/check.mjs" "$url" "$work"
