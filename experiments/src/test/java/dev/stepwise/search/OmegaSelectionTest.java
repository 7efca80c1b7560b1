package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.omega.OmegaSelection;
import dev.stepwise.search.omega.OmegaSelection.Candidate;
import dev.stepwise.search.omega.Similarity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OmegaPRM's Q + U selection at the paper's constants, and the augmentation's similarity. */
class OmegaSelectionTest {
  final OmegaSelection sel = new OmegaSelection(0.5, 0.9, 500, 0.125);

  @Test
  void qAndUFollowThePaper() {
    // Q = 0.5^(1 - 0.75) * 0.9^(250 / 500) = 0.840896 * 0.948683
    assertEquals(Math.pow(0.5, 0.25) * Math.pow(0.9, 0.5), sel.q(0.75, 250), 1e-12);
    assertEquals(1.0, sel.q(1.0, 0), 1e-12);
    // U = 0.125 * sqrt(9) / (1 + 2)
    assertEquals(0.125, sel.u(2, 9), 1e-12);
  }

  @Test
  void prefersConfidentWrongShortRolloutsThenUnvisitedStates() {
    List<Candidate> cs = List.of(new Candidate(0.25, 0, 100), new Candidate(0.75, 0, 100), new Candidate(0.75, 0, 400));
    assertEquals(1, sel.select(cs, 0), "higher MC and shorter");
    // the same state searched 3 times loses its bonus: U = 0.125 * 2 / 4 vs 0.125 * 2 / 1
    List<Candidate> visited = List.of(new Candidate(0.75, 3, 100), new Candidate(0.70, 0, 100));
    // Q(0.75) = 0.8409 * 0.9791 = 0.8233, + 0.0625 = 0.8858; Q(0.70) = 0.8123 * 0.9791 = 0.7953, + 0.25 = 1.0453
    assertEquals(1, sel.select(visited, 4));
  }

  @Test
  void similarityIsOneMinusNormalisedLevenshtein() {
    assertEquals(1 - 3 / 7.0, Similarity.ratio("kitten", "sitting"), 1e-12);
    assertTrue(Similarity.atLeast("So he has 3+5=8 apples.", "So he has 3+5=9 apples.", 0.85), "one character in 23");
    assertFalse(Similarity.atLeast("So he has 8.", "He gives 2 away.", 0.85));
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 200; i++) {
      String a = rnd(r);
      String b = rnd(r);
      double t = r.nextDouble();
      assertEquals(Similarity.ratio(a, b) >= t - 1e-12, Similarity.atLeast(a, b, t), a + " / " + b + " @ " + t);
    }
  }

  private static String rnd(java.util.Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + r.nextInt(3)));
    }
    return sb.toString();
  }
}
