package dev.stepwise.search.omega;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of {@code questions.jsonl} (the resume key of the {@code omegaprm} job): the seed data
 * of a question and what its annotation cost.
 *
 * @param id the problem id
 * @param rootMc MC of the question itself (the seed's correctness rate of N = k samples)
 * @param seedCorrect correct samples of the seed
 * @param seedSamples samples of the seed (k)
 * @param states states in the tree, the root included
 * @param completions Monte Carlo completions generated (the root's included)
 * @param searches binary searches run
 * @param probes binary-search probes (each k completions)
 * @param searchedSteps steps of the searched rollouts (what Monte Carlo estimation of every step
 *     would have probed: the naive labelling's cost is k completions per step)
 * @param rows rows written for the question (before augmentation)
 */
@JsonPropertyOrder({"id", "root_mc", "seed_correct", "seed_samples", "states", "completions", "searches", "probes", "searched_steps", "rows"})
public record OmegaStats(
    @JsonProperty("id") String id,
    @JsonProperty("root_mc") double rootMc,
    @JsonProperty("seed_correct") int seedCorrect,
    @JsonProperty("seed_samples") int seedSamples,
    @JsonProperty("states") int states,
    @JsonProperty("completions") int completions,
    @JsonProperty("searches") int searches,
    @JsonProperty("probes") int probes,
    @JsonProperty("searched_steps") int searchedSteps,
    @JsonProperty("rows") int rows) {}
