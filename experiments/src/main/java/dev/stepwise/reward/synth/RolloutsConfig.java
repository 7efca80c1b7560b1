package dev.stepwise.reward.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * The {@code rollouts} job's keys ({@code rollouts} section); the number of rollouts per state
 * {@code k} is {@code api.vllm_params.n}, with the other sampling parameters beside it.
 *
 * @param modelPath the checkpoint to roll out with (normally the SFT policy); required
 * @param statesFile the states JSONL (or one shard of it); required
 * @param samplesFile the samples JSONL whose responses are added as {@code full} records; null
 *     = none
 * @param includeFull add the {@code full} records (turn off on all but one shard when running
 *     shards in parallel)
 * @param outputFile the rollouts JSONL; null = {@code <run dir>/rollouts.jsonl}. Re-running on
 *     the same file skips finished (id, resp_id, step_id)
 * @param batchSize states per sampler call (each with {@code k} rows sharing the state's prefill)
 */
public record RolloutsConfig(
    @JsonProperty("model_path") @Nullable String modelPath,
    @JsonProperty("states_file") @Nullable String statesFile,
    @JsonProperty("samples_file") @Nullable String samplesFile,
    @JsonProperty("include_full") boolean includeFull,
    @JsonProperty("output_file") @Nullable String outputFile,
    @JsonProperty("batch_size") int batchSize) {}
