package dev.stepwise.search.mcts;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The {@code mcts} section (the reference's {@code MCTS/args.md} names and defaults, except
 * {@code iteration_limit}, 50 as in the run of ReST-MCTS*).
 *
 * @param iterationLimit selection-expansion-backpropagation rounds per problem, &ge; 1 (50)
 * @param timeLimit wall-clock limit in seconds for one batch of problems in flight; 0 = none
 *     (the reference's {@code time_limit} is in milliseconds per problem; here problems are
 *     searched together, so the limit is per batch)
 * @param branch steps proposed per expansion, &ge; 1 (3)
 * @param explorationConstant C of UCT, &ge; 0 (0.4)
 * @param inf the UCT bonus of an unvisited child, &ge; 0 (0.8)
 * @param endGate a selected terminal node whose value reaches it ends the search of its problem,
 *     in [0, 1] (0.9); above 1 never (always {@code iteration_limit} rounds)
 */
public record MctsConfig(
    @JsonProperty("iteration_limit") @Nullable Integer iterationLimit,
    @JsonProperty("time_limit") @Nullable Double timeLimit,
    @JsonProperty("branch") @Nullable Integer branch,
    @JsonProperty("exploration_constant") @Nullable Double explorationConstant,
    @JsonProperty("inf") @Nullable Double inf,
    @JsonProperty("end_gate") @Nullable Double endGate) {
  /** Fills defaults; {@link UserError} naming the key for a bad value. */
  public MctsConfig {
    iterationLimit = iterationLimit == null ? 50 : iterationLimit;
    timeLimit = timeLimit == null ? 0.0 : timeLimit;
    branch = branch == null ? 3 : branch;
    explorationConstant = explorationConstant == null ? 0.4 : explorationConstant;
    inf = inf == null ? 0.8 : inf;
    endGate = endGate == null ? 0.9 : endGate;
    if (iterationLimit < 1) {
      throw new UserError("mcts.iteration_limit = " + iterationLimit + " must be >= 1");
    }
    if (!(timeLimit >= 0)) {
      throw new UserError("mcts.time_limit = " + timeLimit + " must be >= 0 seconds (0 = none)");
    }
    if (branch < 1) {
      throw new UserError("mcts.branch = " + branch + " must be >= 1");
    }
    if (!(explorationConstant >= 0) || !(inf >= 0)) {
      throw new UserError("mcts.exploration_constant and mcts.inf must be >= 0, got " + explorationConstant + " and " + inf);
    }
  }
}
