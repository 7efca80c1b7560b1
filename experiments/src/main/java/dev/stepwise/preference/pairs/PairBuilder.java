package dev.stepwise.preference.pairs;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.task.Task;
import java.util.function.Consumer;

/**
 * Builds preference pairs from the outputs of earlier stages (sampled solutions, PRM
 * predictions, explorations). Registered by name in a Guice {@code MapBinder<String,
 * PairBuilder>} and selected by {@code pairs.builder}; each builder binds the whole {@code pairs}
 * config section to its own record (so its keys are checked, with did-you-mean, against its own
 * settings), reads its inputs and hands every pair to {@code out}, which appends it to the
 * output file.
 *
 * <p>Every emitted record must be a new object (the reference implementation's shared-dict bug
 * made many pairs one).
 */
public interface PairBuilder {
  /**
   * @param cfg the composed config ({@code pairs.*} holds the builder's settings)
   * @param task the task (prompt, answer check, step splitting)
   * @param out receives each pair, in a deterministic order
   * @return counts to report in the run summary (e.g. {@code pairs/problems}); may be empty
   * @throws Exception on unreadable inputs; user mistakes are {@code UserError}s
   */
  java.util.Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) throws Exception;
}
