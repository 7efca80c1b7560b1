package dev.stepwise.search.omega;

import java.util.List;

/**
 * OmegaPRM's choice of the next rollout to binary-search (Luo et al. 2024, section 3.3): among the
 * candidate (state, wrong rollout) pairs, the one maximising
 *
 * <pre>Q(s, r) + U(s),   Q(s, r) = α^(1 − MC(s)) · β^(len(r) / L),
 *                    U(s)    = c_puct · sqrt(Σ_i N(s_i)) / (1 + N(s))</pre>
 *
 * Q prefers states that look right (MC(s) near 1) whose rollout still failed, i.e. confidently
 * wrong rollouts that likely hold an error worth locating, and short rollouts; U is the
 * exploration bonus of rarely searched states (N(s) counts the binary searches started from s;
 * the sum runs over all states of the question's tree). Ties go to the earliest candidate.
 */
public final class OmegaSelection {
  /** A candidate: a state's MC and visit count, and one of its wrong rollouts' length in tokens. */
  public record Candidate(double mc, int visits, int rolloutTokens) {}

  private final double alpha;
  private final double beta;
  private final double lengthScale;
  private final double cPuct;

  /** @param alpha α; @param beta β; @param lengthScale L; @param cPuct c_puct (see the class doc) */
  public OmegaSelection(double alpha, double beta, double lengthScale, double cPuct) {
    this.alpha = alpha;
    this.beta = beta;
    this.lengthScale = lengthScale;
    this.cPuct = cPuct;
  }

  /** @return Q(s, r) = α^(1 − mc) · β^(tokens / L) */
  public double q(double mc, int tokens) {
    return Math.pow(alpha, 1 - mc) * Math.pow(beta, tokens / lengthScale);
  }

  /** @return U(s) = c_puct · sqrt(sumVisits) / (1 + visits) */
  public double u(int visits, long sumVisits) {
    return cPuct * Math.sqrt(sumVisits) / (1 + visits);
  }

  /**
   * @param candidates at least one
   * @param sumVisits Σ_i N(s_i) over the tree's states
   * @return the index of the candidate with the largest Q + U
   */
  public int select(List<Candidate> candidates, long sumVisits) {
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      double s = q(c.mc(), c.rolloutTokens()) + u(c.visits(), sumVisits);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }
}
