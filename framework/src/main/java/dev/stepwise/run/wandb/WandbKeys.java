package dev.stepwise.run.wandb;

/**
 * Metric keys as the Hugging Face {@code WandbCallback} logs them (its {@code rewrite_logs}):
 * {@code eval_x} becomes {@code eval/x} ({@code eval_rewards/chosen -> eval/rewards/chosen}),
 * {@code test_x} becomes {@code test/x}; a key that already has a section ({@code eval/accuracy},
 * {@code rewards/chosen}, {@code objective/kl}) or starts with {@code _} stays as it is; any
 * other bare trainer key gets {@code train/} ({@code loss -> train/loss}, {@code learning_rate
 * -> train/learning_rate}, {@code epoch -> train/epoch}).
 */
public final class WandbKeys {
  private WandbKeys() {}

  /**
   * @param key a tracker key as the trainers log it (non-empty)
   * @return the W&amp;B key
   */
  public static String rewrite(String key) {
    if (key.startsWith("eval_")) {
      return "eval/" + key.substring(5);
    }
    if (key.startsWith("test_")) {
      return "test/" + key.substring(5);
    }
    if (key.startsWith("_") || key.contains("/")) {
      return key;
    }
    return "train/" + key;
  }
}
