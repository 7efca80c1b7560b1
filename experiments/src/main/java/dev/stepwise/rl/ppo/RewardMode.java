package dev.stepwise.rl.ppo;

import dev.stepwise.config.UserError;

/**
 * Which scores step PPO places on the response tokens ({@code ppo.reward_mode}): {@code process}
 * (the PRM's probability of each step on the step's last token: dense rewards), {@code outcome}
 * (the task's answer check, 1 or 0, on the last token), {@code process+outcome} (both).
 */
public enum RewardMode {
  /** PRM step scores. */
  PROCESS,
  /** Answer check on the last token. */
  OUTCOME,
  /** Both. */
  PROCESS_OUTCOME;

  /** @return true when PRM step scores are placed */
  public boolean process() {
    return this != OUTCOME;
  }

  /** @return true when the outcome score is placed */
  public boolean outcome() {
    return this != PROCESS;
  }

  /** @throws UserError naming {@code ppo.reward_mode} */
  public static RewardMode parse(String s) {
    return switch (s) {
      case "process" -> PROCESS;
      case "outcome" -> OUTCOME;
      case "process+outcome" -> PROCESS_OUTCOME;
      default -> throw new UserError("ppo.reward_mode = '" + s + "' is unknown (process, outcome, process+outcome)");
    };
  }
}
