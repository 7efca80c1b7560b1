package dev.stepwise.search.omega;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The {@code omegaprm} section (paper defaults of Luo et al. 2024, section 4.1).
 *
 * @param policyPath the policy checkpoint that rolls out; required
 * @param split the task split to annotate (default {@code train})
 * @param limit questions from the start of the split; 0 = all (default 100)
 * @param questionsInFlight questions annotated together, &ge; 1 (default 32): their probes share
 *     each sampler call
 * @param numRollouts k, completions per Monte Carlo estimate, &ge; 1 (default 8)
 * @param searchLimit most completions per question (the root's k included), &ge; k (default 100)
 * @param alpha α of Q(s, r) = α^(1 − MC(s)) · β^(len(r)/L), in (0, 1] (0.5)
 * @param beta β, in (0, 1] (0.9)
 * @param lengthScale L, in tokens, &gt; 0 (500)
 * @param cPuct c_puct of U(s) = c_puct · sqrt(Σ N) / (1 + N(s)), &ge; 0 (0.125)
 * @param temperature the rollouts' temperature (default 0.7)
 * @param maxTokens most tokens of one rollout (default 256)
 * @param seed base seed; null = random
 * @param augment also write augmentation rows (default true)
 * @param similarityThreshold an augmentation row whose state text has Levenshtein similarity at
 *     least this with a kept row of the same question and step is a near-duplicate and dropped,
 *     in [0, 1] (default 0.85)
 * @param outputDir where the files go; null = the run directory (resumable there)
 */
public record OmegaConfig(
    @JsonProperty("policy_path") @Nullable String policyPath,
    @JsonProperty("split") @Nullable String split,
    @JsonProperty("limit") @Nullable Integer limit,
    @JsonProperty("questions_in_flight") @Nullable Integer questionsInFlight,
    @JsonProperty("num_rollouts") @Nullable Integer numRollouts,
    @JsonProperty("search_limit") @Nullable Integer searchLimit,
    @JsonProperty("alpha") @Nullable Double alpha,
    @JsonProperty("beta") @Nullable Double beta,
    @JsonProperty("length_scale") @Nullable Double lengthScale,
    @JsonProperty("c_puct") @Nullable Double cPuct,
    @JsonProperty("temperature") @Nullable Double temperature,
    @JsonProperty("max_tokens") @Nullable Integer maxTokens,
    @JsonProperty("seed") @Nullable Long seed,
    @JsonProperty("augment") @Nullable Boolean augment,
    @JsonProperty("similarity_threshold") @Nullable Double similarityThreshold,
    @JsonProperty("output_dir") @Nullable String outputDir) {
  /** Fills defaults; {@link UserError} naming the key for a bad value. */
  public OmegaConfig {
    split = split == null ? "train" : split;
    limit = limit == null ? 100 : limit;
    questionsInFlight = questionsInFlight == null ? 32 : questionsInFlight;
    numRollouts = numRollouts == null ? 8 : numRollouts;
    searchLimit = searchLimit == null ? 100 : searchLimit;
    alpha = alpha == null ? 0.5 : alpha;
    beta = beta == null ? 0.9 : beta;
    lengthScale = lengthScale == null ? 500.0 : lengthScale;
    cPuct = cPuct == null ? 0.125 : cPuct;
    temperature = temperature == null ? 0.7 : temperature;
    maxTokens = maxTokens == null ? 256 : maxTokens;
    augment = augment == null || augment;
    similarityThreshold = similarityThreshold == null ? 0.85 : similarityThreshold;
    if (questionsInFlight < 1 || numRollouts < 1) {
      throw new UserError("omegaprm.questions_in_flight and omegaprm.num_rollouts must be >= 1, got " + questionsInFlight + " and "
          + numRollouts);
    }
    if (searchLimit < numRollouts) {
      throw new UserError("omegaprm.search_limit = " + searchLimit + " must be >= omegaprm.num_rollouts = " + numRollouts
          + " (the root's estimate alone takes k completions)");
    }
    if (!(alpha > 0 && alpha <= 1) || !(beta > 0 && beta <= 1) || !(lengthScale > 0) || !(cPuct >= 0)) {
      throw new UserError("omegaprm: alpha and beta must be in (0, 1], length_scale > 0, c_puct >= 0");
    }
    if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
      throw new UserError("omegaprm.similarity_threshold = " + similarityThreshold + " must be in [0, 1]");
    }
  }
}
