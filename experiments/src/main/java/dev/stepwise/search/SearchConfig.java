package dev.stepwise.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.SamplingParams;
import java.util.List;

/**
 * The {@code search} section shared by the sampler jobs {@code beam} and {@code mcts}.
 *
 * @param policyPath the policy checkpoint that proposes steps (proposer {@code local}); required
 *     there
 * @param proposer {@code local} (the checkpoint through the Java decoder, default) or {@code api}
 *     (the endpoint of {@code api.caller})
 * @param split the task split to search ({@code test} by default)
 * @param limit problems from the start of the split; 0 = all (default 100)
 * @param problemsInFlight problems searched together, &ge; 1 (default 32): their expansions share
 *     each sampler and PRM call
 * @param maxSteps the depth limit, &ge; 1 (default 10): a step at this depth is terminal
 * @param temperature the proposer's sampling temperature, &ge; 0 (default 0.7)
 * @param topP the proposer's nucleus, in (0, 1] (default 1.0)
 * @param maxStepTokens most tokens of one proposed step, &ge; 1 (default 96)
 * @param seed base seed of the proposals; null = random
 * @param outputDir where results, trees and exports go; null = the run directory. Re-running on
 *     the same directory skips the problems already in {@code results.jsonl}
 * @param valuer {@code prm} (the reward model of {@code prm.model_path}, in process, default) or
 *     {@code api} (prompt scoring of {@code judge_question} over the endpoint of {@code
 *     api.caller}, {@link ApiJudgeValuer})
 * @param judgeQuestion the question {@code valuer = api} appends after the steps (default {@code
 *     "\nIs the last step correct? Answer:"})
 */
public record SearchConfig(
    @JsonProperty("policy_path") @Nullable String policyPath,
    @JsonProperty("proposer") @Nullable String proposer,
    @JsonProperty("split") @Nullable String split,
    @JsonProperty("limit") @Nullable Integer limit,
    @JsonProperty("problems_in_flight") @Nullable Integer problemsInFlight,
    @JsonProperty("max_steps") @Nullable Integer maxSteps,
    @JsonProperty("temperature") @Nullable Double temperature,
    @JsonProperty("top_p") @Nullable Double topP,
    @JsonProperty("max_step_tokens") @Nullable Integer maxStepTokens,
    @JsonProperty("seed") @Nullable Long seed,
    @JsonProperty("output_dir") @Nullable String outputDir,
    @JsonProperty("valuer") @Nullable String valuer,
    @JsonProperty("judge_question") @Nullable String judgeQuestion) {
  /** Fills defaults; {@link UserError} naming the key for a bad value. */
  public SearchConfig {
    proposer = proposer == null ? "local" : proposer;
    split = split == null ? "test" : split;
    limit = limit == null ? 100 : limit;
    problemsInFlight = problemsInFlight == null ? 32 : problemsInFlight;
    maxSteps = maxSteps == null ? 10 : maxSteps;
    temperature = temperature == null ? 0.7 : temperature;
    topP = topP == null ? 1.0 : topP;
    maxStepTokens = maxStepTokens == null ? 96 : maxStepTokens;
    valuer = valuer == null ? "prm" : valuer;
    judgeQuestion = judgeQuestion == null ? "\nIs the last step correct? Answer:" : judgeQuestion;
    if (!"prm".equals(valuer) && !"api".equals(valuer)) {
      throw new UserError("search.valuer = '" + valuer + "' is unknown (prm, api)");
    }
    if (!"local".equals(proposer) && !"api".equals(proposer)) {
      throw new UserError("search.proposer = '" + proposer + "' is unknown (local, api)");
    }
    if (problemsInFlight < 1) {
      throw new UserError("search.problems_in_flight = " + problemsInFlight + " must be >= 1");
    }
    if (maxSteps < 1) {
      throw new UserError("search.max_steps = " + maxSteps + " must be >= 1");
    }
  }

  /** @return the proposer's sampling parameters (n and stop are set per call) */
  public SamplingParams sampling() {
    return new SamplingParams(1, temperature, topP, -1, maxStepTokens, List.of(), seed, false);
  }
}
