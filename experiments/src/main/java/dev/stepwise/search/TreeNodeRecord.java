package dev.stepwise.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of {@code tree.jsonl}: a node of a problem's search tree.
 *
 * @param id the problem id
 * @param node the node's index in its tree (0 = root)
 * @param parent the parent's index, -1 for the root
 * @param depth steps from the root
 * @param step the node's step text ("" for the root)
 * @param visits the visit count N (MCTS*; 0 under beam search)
 * @param value the quality value V in [0, 1]
 * @param stepScore the value model's score of this step, null for the root
 * @param terminal whether no step may follow
 * @param correct the answer check of a terminal node, null when not terminal or no label
 * @param tokens tokens generated for the step
 */
@JsonPropertyOrder({"id", "node", "parent", "depth", "step", "visits", "value", "step_score", "terminal", "correct", "tokens"})
public record TreeNodeRecord(
    @JsonProperty("id") String id,
    @JsonProperty("node") int node,
    @JsonProperty("parent") int parent,
    @JsonProperty("depth") int depth,
    @JsonProperty("step") String step,
    @JsonProperty("visits") int visits,
    @JsonProperty("value") double value,
    @JsonProperty("step_score") Double stepScore,
    @JsonProperty("terminal") boolean terminal,
    @JsonProperty("correct") Boolean correct,
    @JsonProperty("tokens") int tokens) {

  /** @return the record of {@code n} in the tree of problem {@code id} */
  public static TreeNodeRecord of(String id, SearchNode n) {
    return new TreeNodeRecord(id, n.index(), n.parent() == null ? -1 : n.parent().index(), n.depth(), n.step(), n.visits(),
        n.value(), Double.isNaN(n.stepScore()) ? null : n.stepScore(), n.terminal(), n.correct(), n.tokens());
  }
}
