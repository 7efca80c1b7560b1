package dev.stepwise.model.llama;

/**
 * Rotary position embedding frequencies (RoFormer, Su et al. 2021) with the scalings Hugging Face
 * configs name in {@code rope_scaling}: none ({@code "default"}), {@code "linear"} (positions
 * divided by {@code factor}, Chen et al. 2023, position interpolation) and {@code "llama3"}
 * (Meta's Llama 3.1 frequency-dependent scaling).
 *
 * <p>Base inverse frequencies {@code inv_freq[i] = theta^(-2i / d_head)} for {@code i < d_head/2}.
 * Llama 3 scaling, per frequency with wavelength {@code w = 2π / inv_freq}: with {@code
 * lowWave = original_max_position_embeddings / low_freq_factor} and {@code highWave =
 * original_max_position_embeddings / high_freq_factor}, frequencies with {@code w < highWave}
 * stay, those with {@code w > lowWave} are divided by {@code factor}, and those between are
 * interpolated: {@code s = (original / w − low_freq_factor) / (high_freq_factor −
 * low_freq_factor)}, {@code inv = (1 − s) · inv / factor + s · inv} (the Llama 3.1 model card's
 * reference code, {@code apply_scaling}).
 *
 * @param type {@code "default"}, {@code "linear"} or {@code "llama3"}
 * @param factor scaling factor ≥ 1 (1 for default)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only, &gt; lowFreqFactor
 * @param originalMaxPositions llama3 only: the pre-training context length
 */
public record RopeScaling(
    String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

  /** No scaling. */
  public static final RopeScaling NONE = new RopeScaling("default", 1, 0, 0, 0);

  /**
   * @param headDim d_head, even
   * @param theta the base ({@code rope_theta}), &gt; 0
   * @return the (d_head / 2) scaled inverse frequencies in radians per position, in double
   */
  public double[] invFreq(int headDim, double theta) {
    int half = headDim / 2;
    double[] f = new double[half];
    for (int i = 0; i < half; i++) {
      double inv = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
      f[i] = switch (type) {
        case "linear" -> inv / factor;
        case "llama3" -> llama3(inv);
        default -> inv;
      };
    }
    return f;
  }

  private double llama3(double inv) {
    double wave = 2 * Math.PI / inv;
    double lowWave = originalMaxPositions / lowFreqFactor;
    double highWave = originalMaxPositions / highFreqFactor;
    if (wave < highWave) {
      return inv;
    }
    if (wave > lowWave) {
      return inv / factor;
    }
    double s = (originalMaxPositions / wave - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
    return (1 - s) * inv / factor + s * inv;
  }

  /**
   * Cosine and sine tables of every position, in Hugging Face's rotate-half layout: entry
   * {@code (p, j)} for {@code j < d_head} uses frequency {@code j mod d_head/2}.
   *
   * @param positions P
   * @return {cos, sin}, each (P, d_head) row-major float32 (computed in double)
   */
  public float[][] tables(int positions, int headDim, double theta) {
    double[] inv = invFreq(headDim, theta);
    int half = headDim / 2;
    float[] cos = new float[positions * headDim];
    float[] sin = new float[positions * headDim];
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        double a = p * inv[i];
        float c = (float) Math.cos(a);
        float s = (float) Math.sin(a);
        cos[p * headDim + i] = c;
        cos[p * headDim + i + half] = c;
        sin[p * headDim + i] = s;
        sin[p * headDim + i + half] = s;
      }
    }
    return new float[][] {cos, sin};
  }
}
