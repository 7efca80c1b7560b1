/**
 * Weights &amp; Biases offline runs written from Java, with no Python in the training process:
 * {@link dev.stepwise.run.wandb.WandbTracker} writes {@code
 * wandb/offline-run-<yyyyMMdd_HHmmss>-<id>/run-<id>.wandb}, which {@code wandb sync} uploads.
 *
 * <p>The file format is W&amp;B's own (its {@code wandb/sdk/internal/datastore.py} and {@code
 * core/pkg/leveldb/record.go}): a 7-byte {@code :W&B} header, then LevelDB-log framing in 32 KiB
 * blocks ({@link dev.stepwise.run.wandb.LevelDbLogWriter}), each record one serialized {@code
 * wandb_internal.Record} protobuf ({@link dev.stepwise.run.wandb.WandbRecords}, with the field
 * numbers of {@code wandb/proto/wandb_internal.proto}). The keys follow the Hugging Face
 * {@code WandbCallback} ({@link dev.stepwise.run.wandb.WandbKeys}).
 */
package dev.stepwise.run.wandb;
