package dev.stepwise.search.omega;

/**
 * OmegaPRM's binary search for the first wrong step of a rollout (Luo et al. 2024, section 3.2):
 * a rollout r = (r_1 .. r_n) from a state s with MC(s) &gt; 0 ended wrong. The search keeps an
 * interval (lo, hi] that holds the first error: the prefix of lo steps is known to still reach the
 * correct answer (MC &gt; 0; lo = 0 is s itself) and the prefix of hi steps is known not to (hi = n,
 * the whole wrong rollout). Each probe estimates MC of the prefix of mid = ⌊(lo + hi) / 2⌋ steps:
 * MC &gt; 0 moves lo to mid, MC = 0 moves hi to mid. When hi = lo + 1, step hi is the first error
 * (0-based index hi − 1). A rollout of n steps takes ⌈log2 n⌉ probes when n is a power of two
 * and ⌊log2 n⌋ or ⌈log2 n⌉ otherwise, against n − 1 for Monte Carlo estimation of every step.
 *
 * <p>A state machine so that many searches (of many questions) can probe together: ask {@link
 * #nextProbe}, estimate MC of that prefix, report it with {@link #observe}.
 */
public final class FirstErrorSearch {
  private final int n;
  private int lo;
  private int hi;
  private int probes;
  private int pending = -1;

  /**
   * @param n the rollout's steps, &ge; 1
   * @throws IllegalArgumentException when n &lt; 1
   */
  public FirstErrorSearch(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a rollout to search needs at least one step, got " + n);
    }
    this.n = n;
    this.hi = n;
  }

  /** @return true when the first error is located */
  public boolean done() {
    return hi - lo <= 1;
  }

  /**
   * @return the prefix length (in steps, in [1, n − 1]) whose MC the search needs next, or -1 when
   *     it is done
   * @throws IllegalStateException when the previous probe was not observed
   */
  public int nextProbe() {
    if (done()) {
      return -1;
    }
    if (pending >= 0) {
      throw new IllegalStateException("probe of " + pending + " steps not observed yet");
    }
    pending = (lo + hi) >>> 1;
    return pending;
  }

  /**
   * @param reachesAnswer MC of the probed prefix &gt; 0
   * @throws IllegalStateException when no probe is pending
   */
  public void observe(boolean reachesAnswer) {
    if (pending < 0) {
      throw new IllegalStateException("no probe pending");
    }
    if (reachesAnswer) {
      lo = pending;
    } else {
      hi = pending;
    }
    pending = -1;
    probes++;
  }

  /** @return the 0-based index of the first wrong step, or -1 while not {@link #done} */
  public int firstError() {
    return done() ? hi - 1 : -1;
  }

  /** @return the length of the longest prefix known to reach the answer */
  public int lastGood() {
    return lo;
  }

  /** @return probes observed so far */
  public int probes() {
    return probes;
  }

  /** @return the rollout's number of steps */
  public int steps() {
    return n;
  }
}
