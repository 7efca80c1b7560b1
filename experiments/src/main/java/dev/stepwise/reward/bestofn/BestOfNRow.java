package dev.stepwise.reward.bestofn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the best-of-N table.
 *
 * @param method {@code pass@n}, {@code orm}, {@code prm_product}, {@code prm_min}, {@code
 *     prm_sum}, {@code prm_last}, {@code majority}, {@code random}
 * @param accuracy share of problems whose chosen response is correct, in [0, 1] (for {@code
 *     random}: the expectation over a uniform choice, i.e. the mean per-problem share of correct
 *     responses; for {@code pass@n}: the share with any correct response, the ceiling)
 * @param correct the number of problems counted correct ({@code random}: the expectation)
 * @param problems the number of problems
 * @param auc for a scoring method, the ROC AUC of its scores against correctness over all
 *     responses of all problems (how well it ranks correct above incorrect responses, across
 *     problems); null for the others
 */
public record BestOfNRow(
    @JsonProperty("method") String method,
    @JsonProperty("accuracy") double accuracy,
    @JsonProperty("correct") double correct,
    @JsonProperty("problems") int problems,
    @JsonProperty("auc") Double auc) {}
