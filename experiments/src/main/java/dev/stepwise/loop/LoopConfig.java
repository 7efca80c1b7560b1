package dev.stepwise.loop;

import dev.stepwise.config.Nullable;
import java.util.List;

/**
 * The loop job's keys ({@code loop} section); docs/self_training.md.
 *
 * @param iterations how many times {@code stages} run (iterations 1..n), at least 1
 * @param model the model of iteration 1 ({@code {model}}), placeholders allowed (typically
 *     {@code {ckpt:setup/sft}}); null when no stage uses {@code {model}}
 * @param nextModel evaluated after iteration k finishes, in its context: the model of iteration
 *     k+1 (typically {@code {ckpt:dpo}}); null = the same model every iteration
 * @param jarsDir where {@code <jar>.jar} are; null = the directory of the jar this job runs from
 *     (else {@code entrypoints/target})
 * @param common overrides given to every stage before its own (e.g. {@code
 *     run.num_threads=1}, {@code task.seed=42}); placeholders allowed
 * @param setup stages run once before the iterations, in {@code setup/<stage>/}
 * @param stages stages of every iteration, in {@code iter_<k>/<stage>/}
 * @param table the table's columns (one row per iteration)
 */
public record LoopConfig(
    int iterations,
    @Nullable String model,
    @Nullable String nextModel,
    @Nullable String jarsDir,
    List<String> common,
    List<LoopStage> setup,
    List<LoopStage> stages,
    List<LoopColumn> table) {}
