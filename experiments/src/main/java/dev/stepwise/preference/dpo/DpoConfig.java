package dev.stepwise.preference.dpo;

import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The {@code dpo} section (names as TRL's {@code DPOConfig} where it has them).
 *
 * @param modelPath the policy's initial checkpoint directory (SFT or RFT); required
 * @param refModelPath the reference checkpoint; null = {@code model_path} (the policy's initial
 *     weights, TRL's default)
 * @param trainFile the pairs JSONL ({@code {"id","prompt","chosen","rejected",...}}); required
 * @param evalFile held-out pairs JSONL; null = hold out {@code eval_fraction} of the train file's
 *     problem ids
 * @param evalFraction share of problem ids held out when {@code eval_file} is null, in [0, 1)
 * @param beta β &gt; 0: the KL strength (IPO's τ; the hinge's inverse margin)
 * @param lossType {@code sigmoid}, {@code ipo}, {@code hinge} or {@code robust}
 * @param labelSmoothing ε for {@code sigmoid} (cDPO) and {@code robust}; must be 0 otherwise
 * @param rpoAlpha weight of the NLL term on chosen responses (TRL's {@code rpo_alpha}); 0 = off
 * @param precomputeRefLogProbs score all pairs with the reference model once before training
 *     (cached on disk) and free it, instead of a reference forward in every step
 * @param refCacheDir where the cache lives; null = {@code <run dir>/ref_logps}
 * @param ipoAverageLogProbs {@code ipo} only ({@code ipo_average_log_probs}): true = per-token
 *     mean sequence log-probabilities (TRL), false = sums (the LPR reference's {@code
 *     models/llama.py}); null = true; true with another loss is a user error
 */
public record DpoConfig(
    @Nullable String modelPath,
    @Nullable String refModelPath,
    @Nullable String trainFile,
    @Nullable String evalFile,
    double evalFraction,
    double beta,
    String lossType,
    double labelSmoothing,
    double rpoAlpha,
    boolean precomputeRefLogProbs,
    @Nullable String refCacheDir,
    @Nullable Boolean ipoAverageLogProbs) {

  /** @throws UserError naming the {@code dpo.*} key whose value is invalid */
  public DpoConfig {
    if (!(beta > 0)) {
      throw new UserError("dpo.beta = " + beta + " must be > 0");
    }
    if (!(evalFraction >= 0 && evalFraction < 1)) {
      throw new UserError("dpo.eval_fraction = " + evalFraction + " must be in [0, 1)");
    }
    if (!(rpoAlpha >= 0)) {
      throw new UserError("dpo.rpo_alpha = " + rpoAlpha + " must be >= 0 (0 = off)");
    }
  }
}
