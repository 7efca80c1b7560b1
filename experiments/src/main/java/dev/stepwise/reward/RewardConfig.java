package dev.stepwise.reward;

import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The {@code reward} section of an ORM/PRM training config. Keys left out take the defaults
 * shown.
 *
 * @param modelPath the SFT checkpoint whose transformer initialises the reward model; required
 * @param source where labels come from: {@code samples} (the sampling job's JSONL, labelled by
 *     the task's answer check; the default for {@code orm}) or {@code rollouts} (the rollouts
 *     job's JSONL with Monte Carlo values; the default for {@code prm})
 * @param trainFile the input JSONL; required
 * @param evalFile held-out JSONL of the same kind; null = hold out {@code eval_fraction} of the
 *     questions of {@code train_file}
 * @param evalFraction share of questions held out when {@code eval_file} is null, in [0, 1)
 *     (default 0.2; 0 = no evaluation)
 * @param splitSeed seed of the question split (default 42)
 * @param labelType PRM on rollouts: {@code soft} (default), {@code hard} or {@code classes}
 * @param stepLabels PRM on samples: {@code outcome} (default: every step gets the response's
 *     correctness) or {@code calculator} (also 0 from the first step whose calculator annotation
 *     is inconsistent)
 * @param numClasses {@code classes} only: k+1; 0 = the largest number of completions in the
 *     file, plus one (default 0)
 * @param evalBatchSize sequences per forward in evaluation (default 16)
 */
public record RewardConfig(
    @Nullable String modelPath,
    @Nullable String source,
    @Nullable String trainFile,
    @Nullable String evalFile,
    @Nullable Double evalFraction,
    @Nullable Long splitSeed,
    @Nullable String labelType,
    @Nullable String stepLabels,
    @Nullable Integer numClasses,
    @Nullable Integer evalBatchSize) {

  /** Fills defaults and validates ranges; {@link UserError} naming the {@code reward.*} key. */
  public RewardConfig {
    evalFraction = evalFraction == null ? 0.2 : evalFraction;
    splitSeed = splitSeed == null ? 42L : splitSeed;
    labelType = labelType == null ? "soft" : labelType;
    stepLabels = stepLabels == null ? "outcome" : stepLabels;
    numClasses = numClasses == null ? 0 : numClasses;
    evalBatchSize = evalBatchSize == null ? 16 : evalBatchSize;
    if (!(evalFraction >= 0 && evalFraction < 1)) {
      throw new UserError("reward.eval_fraction = " + evalFraction + " must be in [0, 1)");
    }
    if (!stepLabels.equals("outcome") && !stepLabels.equals("calculator")) {
      throw new UserError("reward.step_labels = '" + stepLabels + "': use outcome or calculator");
    }
    if (source != null && !source.equals("samples") && !source.equals("rollouts")) {
      throw new UserError("reward.source = '" + source + "': use samples or rollouts");
    }
    if (numClasses == 1 || numClasses < 0) {
      throw new UserError("reward.num_classes = " + numClasses + " must be 0 (from the data) or >= 2");
    }
  }
}
