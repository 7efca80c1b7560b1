package dev.stepwise.loop;

import dev.stepwise.config.Nullable;
import java.util.List;

/**
 * One stage of a loop: an existing job, started as {@code java -jar <jar>.jar -cp <configPath>
 * -cn <configName> <loop.common...> <overrides...> run.dir=<stage dir>}.
 *
 * @param name the stage's name, also its directory name; unique within {@code loop.setup} and
 *     within {@code loop.stages}; letters, digits, {@code _} and {@code -}
 * @param jar {@code trainer}, {@code sampler} or {@code api-caller}
 * @param configPath the job's {@code -cp}, relative to the working directory (e.g. {@code
 *     conf/exp/dpo/arith})
 * @param configName the job's {@code -cn}
 * @param overrides the job's overrides, with {@link StageRefs} placeholders ({@code {model}},
 *     {@code {stage:sample}}, {@code {ckpt:prev/dpo}}, ...)
 * @param whenNonempty a file (placeholders allowed); when it is missing or empty the stage is not
 *     run but marked skipped (e.g. DPO when the pair builder found no pair); null = always run
 */
public record LoopStage(
    String name, String jar, String configPath, String configName, List<String> overrides, @Nullable String whenNonempty) {}
