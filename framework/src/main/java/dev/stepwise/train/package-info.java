/**
 * The generic training loop and its parts, independent of any particular loss.
 *
 * <ul>
 *   <li>{@link dev.stepwise.train.Trainer}: the loop (micro-batches, gradient accumulation,
 *       clipping, optimizer step, logging, evaluation, checkpoints, exact resume);
 *   <li>{@link dev.stepwise.train.AdamW}: an optimizer whose moment estimates Stepwise owns,
 *       so that they are saved into and restored from checkpoints;
 *   <li>{@link dev.stepwise.train.LrSchedule}, {@link dev.stepwise.train.GradClipper},
 *       {@link dev.stepwise.train.DataOrder}, {@link dev.stepwise.train.CheckpointManager},
 *       {@link dev.stepwise.train.MetricWindow}: one idea each;
 *   <li>contracts implemented elsewhere: {@link dev.stepwise.train.Objective} (the loss of one
 *       micro-batch), {@link dev.stepwise.train.TrainData}, {@link dev.stepwise.train.Evaluator},
 *       {@link dev.stepwise.train.CheckpointHook};
 *   <li>configuration records bound from HOCON ({@link dev.stepwise.train.TrainerConfig},
 *       {@link dev.stepwise.train.OptimConfig}), with Hugging Face {@code TrainingArguments} key
 *       names.
 * </ul>
 *
 * <p>Everything here assumes the DJL PyTorch engine (the project pins it): gradient handling
 * uses {@code ai.djl.pytorch.jni.JniUtils} where the engine-neutral API is lossy (see {@link
 * dev.stepwise.train.Grads} and {@link dev.stepwise.train.NoGrad}).
 */
package dev.stepwise.train;
