package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.omega.FirstErrorSearch;
import org.junit.jupiter.api.Test;

/** OmegaPRM's binary search: the first error found with the expected number of probes. */
class FirstErrorSearchTest {
  /** Runs the search against an oracle whose prefix of j steps reaches the answer iff j <= e. */
  static FirstErrorSearch run(int n, int e) {
    FirstErrorSearch s = new FirstErrorSearch(n);
    for (int p = s.nextProbe(); p >= 0; p = s.nextProbe()) {
      assertTrue(p >= 1 && p <= n - 1, "probe " + p);
      s.observe(p <= e);
    }
    return s;
  }

  @Test
  void powerOfTwoTakesLog2Probes() {
    for (int e = 0; e < 8; e++) {
      FirstErrorSearch s = run(8, e);
      assertEquals(e, s.firstError(), "error at " + e);
      assertEquals(3, s.probes(), "log2 8 probes, error at " + e);
    }
  }

  @Test
  void oddLengthsTakeFloorOrCeilLog2Probes() {
    // n = 5: interval (0, 5]: probe 2; (0, 2] -> probe 1 -> done; (2, 5] -> probe 3; (3, 5] -> probe 4
    int[] expected = {2, 2, 2, 3, 3};
    for (int e = 0; e < 5; e++) {
      FirstErrorSearch s = run(5, e);
      assertEquals(e, s.firstError());
      assertEquals(expected[e], s.probes(), "error at " + e);
    }
  }

  @Test
  void oneStepNeedsNoProbe() {
    FirstErrorSearch s = new FirstErrorSearch(1);
    assertTrue(s.done());
    assertEquals(-1, s.nextProbe());
    assertEquals(0, s.firstError());
    assertEquals(0, s.probes());
  }

  @Test
  void misuseIsAnError() {
    FirstErrorSearch s = new FirstErrorSearch(4);
    assertThrows(IllegalStateException.class, () -> s.observe(true));
    assertEquals(2, s.nextProbe());
    assertThrows(IllegalStateException.class, s::nextProbe);
    assertThrows(IllegalArgumentException.class, () -> new FirstErrorSearch(0));
  }
}
