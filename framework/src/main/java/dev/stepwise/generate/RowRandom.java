package dev.stepwise.generate;

/**
 * Counter-based uniform random numbers: u(seed, prompt, sample, step) is a pure function, so a
 * completion's random stream depends only on the seed and its (prompt index, sample index), not
 * on how prompts are batched or which rows finished early. Mixing is SplitMix64's finaliser
 * (Steele, Lea &amp; Flood, 2014) applied to a combination of the four inputs.
 */
final class RowRandom {
  private RowRandom() {}

  /** @return a float in [0, 1) with 24 random bits */
  static float uniform(long seed, int prompt, int sample, int step) {
    long x = mix(seed + 0x9E3779B97F4A7C15L * (1 + prompt));
    x = mix(x ^ (0xC2B2AE3D27D4EB4FL * (1 + sample)));
    x = mix(x + 0x165667B19E3779F9L * (1 + step));
    return (x >>> 40) * 0x1.0p-24f;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
