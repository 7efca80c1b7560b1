package dev.stepwise.caller;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * The API rollouts job's keys ({@code rollouts} section of {@code api-caller.jar job=rollouts});
 * the same meaning as the local job's {@link dev.stepwise.reward.synth.RolloutsConfig}, without
 * the checkpoint and batch size (the server batches), plus the failure record.
 *
 * @param statesFile the states JSONL of {@code sampler.jar job=states} (or one shard); required
 * @param samplesFile the samples JSONL whose responses are added as {@code full} records; null =
 *     none
 * @param includeFull add the {@code full} records (off on all but one shard)
 * @param outputFile the rollouts JSONL; null = {@code <run dir>/rollouts.jsonl}. A re-run on the
 *     same file skips finished (id, resp_id, step_id)
 * @param failedFile states that failed for good, with the reason; null = {@code failed.jsonl}
 *     beside the output file
 */
public record ApiRolloutsConfig(
    @JsonProperty("states_file") @Nullable String statesFile,
    @JsonProperty("samples_file") @Nullable String samplesFile,
    @JsonProperty("include_full") boolean includeFull,
    @JsonProperty("output_file") @Nullable String outputFile,
    @JsonProperty("failed_file") @Nullable String failedFile) {}
