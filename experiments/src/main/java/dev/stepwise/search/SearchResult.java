package dev.stepwise.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of {@code results.jsonl}: a problem's searched answer.
 *
 * @param id the problem id
 * @param prompt the prompt
 * @param label the gold answer ("" when unknown)
 * @param response the chosen solution (its steps joined by newlines)
 * @param pred the answer extracted from it ("" when none)
 * @param correct the answer check (false when unfinished)
 * @param score the chosen node's score: the aggregated path score (beam) or its value V (MCTS*)
 * @param terminal whether the chosen node is a finished solution
 * @param nodes nodes of the problem's tree, the root included
 * @param proposed steps proposed for the problem (kept or not)
 * @param tokens tokens generated for the problem
 */
@JsonPropertyOrder({"id", "prompt", "label", "response", "pred", "correct", "score", "terminal", "nodes", "proposed", "tokens"})
public record SearchResult(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("response") String response,
    @JsonProperty("pred") String pred,
    @JsonProperty("correct") boolean correct,
    @JsonProperty("score") double score,
    @JsonProperty("terminal") boolean terminal,
    @JsonProperty("nodes") int nodes,
    @JsonProperty("proposed") long proposed,
    @JsonProperty("tokens") long tokens) {}
