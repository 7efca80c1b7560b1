package dev.stepwise.preference.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.config.Nullable;
import dev.stepwise.model.CausalLM;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.loss.DpoLoss;
import dev.stepwise.sft.SftBatch;
import dev.stepwise.train.NoGrad;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DPO objective (Rafailov et al. 2023) as TRL's {@code DPOTrainer} computes it. For a
 * micro-batch of B pairs:
 *
 * <ol>
 *   <li>one policy forward over the (2B, T) concatenated batch; {@code π_c, π_r} (B,) are the
 *       chosen/rejected sequence log-probabilities ({@link SequenceLogProbs}, summed over
 *       completion tokens, averaged for IPO);
 *   <li>{@code ref_c, ref_r} from the batch when precomputed, else from one no-grad forward of the
 *       frozen reference model over the same batch;
 *   <li>{@code z = (π_c − π_r) − (ref_c − ref_r)}, per-pair losses from the {@link DpoLoss},
 *       {@code loss} = their mean, plus {@code rpo_alpha ·} the mean negative log-likelihood per
 *       chosen completion token when {@code rpo_alpha > 0} (TRL's RPO term: an SFT loss on the
 *       chosen responses).
 * </ol>
 *
 * <p>Metrics (TRL's names; the trainer logs them as they are and the evaluation as {@code
 * eval/<name>}): {@code rewards/chosen} = mean β(π_c − ref_c), {@code rewards/rejected} = mean
 * β(π_r − ref_r), {@code rewards/accuracies} = fraction of pairs with chosen reward &gt; rejected
 * reward (strict, in [0, 1]), {@code rewards/margins} = mean difference of the two rewards, {@code
 * logps/chosen}, {@code logps/rejected} = mean policy sequence log-probabilities (nats; per token
 * for IPO), and {@code nll_loss} when the RPO term is on. The rewards are detached.
 */
public final class DpoObjective implements Objective<PairBatch> {
  private final CausalLM policy;
  private final CausalLM reference;
  private final DpoLoss loss;
  private final double beta;
  private final double rpoAlpha;

  /**
   * @param policy the trained model
   * @param reference the frozen reference model ({@code setTrainable(false)}), or null when every
   *     batch carries precomputed reference log-probabilities
   * @param loss the loss type
   * @param beta β &gt; 0
   * @param rpoAlpha weight of the NLL term on the chosen responses, ≥ 0 (0 = off)
   */
  public DpoObjective(CausalLM policy, @Nullable CausalLM reference, DpoLoss loss, double beta, double rpoAlpha) {
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0, got " + beta);
    }
    if (!(rpoAlpha >= 0)) {
      throw new IllegalArgumentException("rpo_alpha must be >= 0, got " + rpoAlpha);
    }
    this.policy = policy;
    this.reference = reference;
    this.loss = loss;
    this.beta = beta;
    this.rpoAlpha = rpoAlpha;
  }

  @Override
  @SuppressWarnings("try")
  public StepOutput forward(PairBatch batch, NDManager step) {
    int b = batch.pairs();
    SftBatch seqs = batch.sequences();
    boolean avg = loss.averagesLogProbs();
    NDArray tokens = SequenceLogProbs.tokens(policy, seqs);
    NDArray logps = SequenceLogProbs.reduce(tokens, seqs.lossMask(), avg, step);
    NDArray pc = SequenceLogProbs.chosen(logps, b);
    NDArray pr = SequenceLogProbs.rejected(logps, b);
    NDArray rc;
    NDArray rr;
    if (batch.refChosen() != null) {
      rc = batch.refChosen();
      rr = batch.refRejected();
    } else {
      if (reference == null) {
        throw new IllegalStateException("no reference model and no precomputed reference log-probabilities");
      }
      try (NoGrad ignored = NoGrad.open()) {
        NDArray ref = SequenceLogProbs.of(reference, seqs, avg, step);
        rc = SequenceLogProbs.chosen(ref, b);
        rr = SequenceLogProbs.rejected(ref, b);
      }
    }
    NDArray z = pc.sub(pr).sub(rc.sub(rr));
    NDArray total = loss.losses(z, beta, step).mean();
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    if (rpoAlpha > 0) {
      NDArray mask = SequenceLogProbs.chosen(seqs.lossMask(), b);
      NDArray nll = SequenceLogProbs.chosen(tokens, b).mul(mask).sum().neg().div(mask.sum().maximum(step.create(1f)));
      total = total.add(nll.mul(step.create((float) rpoAlpha)));
      metrics.put("nll_loss", nll.stopGradient());
    }
    NDArray betaArr = step.create((float) beta);
    NDArray chosenRewards = pc.stopGradient().sub(rc).mul(betaArr);
    NDArray rejectedRewards = pr.stopGradient().sub(rr).mul(betaArr);
    metrics.put("rewards/chosen", chosenRewards.mean());
    metrics.put("rewards/rejected", rejectedRewards.mean());
    metrics.put("rewards/accuracies", chosenRewards.gt(rejectedRewards).toType(DataType.FLOAT32, false).mean());
    metrics.put("rewards/margins", chosenRewards.sub(rejectedRewards).mean());
    metrics.put("logps/chosen", pc.stopGradient().mean());
    metrics.put("logps/rejected", pr.stopGradient().mean());
    long numTokens = seqs.attentionMask().sum().getLong();
    return new StepOutput(total, metrics, numTokens);
  }
}
