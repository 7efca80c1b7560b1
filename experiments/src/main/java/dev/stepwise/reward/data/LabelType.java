package dev.stepwise.reward.data;

import dev.stepwise.config.UserError;

/**
 * How a state's Monte Carlo value {@code mc_value = value/k} (the fraction of its k rollouts that
 * reach the correct answer) becomes a PRM target in [0, 1].
 */
public enum LabelType {
  /** BCE on {@code mc_value} itself (OmegaPRM, Luo et al. 2024). */
  SOFT,
  /** BCE on {@code mc_value > 0}: the state can still reach the answer (Math-Shepherd's hard label). */
  HARD,
  /** Cross-entropy over the k+1 classes {@code value} (Jiao et al. 2024's reference PRM). */
  CLASSES;

  /** @return the target in [0, 1] for a state of value {@code mcValue} in [0, 1] */
  public float target(double mcValue) {
    return this == HARD ? (mcValue > 0 ? 1f : 0f) : (float) mcValue;
  }

  /**
   * @param name {@code soft}, {@code hard} or {@code classes}
   * @param where file:line of the setting, for the error
   * @throws UserError for another name
   */
  public static LabelType parse(String name, String where) {
    return switch (name) {
      case "soft" -> SOFT;
      case "hard" -> HARD;
      case "classes" -> CLASSES;
      default -> throw new UserError("reward.label_type = '" + name + "' (" + where + "): use soft, hard or classes");
    };
  }
}
