package dev.stepwise.run;

/**
 * A job an entry point runs: SFT training, reward-model training, sampling, ... Jobs are named
 * components; the trainer picks one by the config key {@code objective}.
 */
@FunctionalInterface
public interface RunJob {
  /**
   * Runs the job to completion.
   *
   * @throws dev.stepwise.config.UserError for bad input (exit code 2)
   * @throws Exception for anything else (a bug: exit code 1 with a stack trace)
   */
  void run(RunContext ctx) throws Exception;
}
