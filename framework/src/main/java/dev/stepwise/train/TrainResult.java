package dev.stepwise.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link Trainer#train()} returns.
 *
 * @param globalStep optimizer steps completed (including those before a resume)
 * @param finalLoss mean training loss of the last logging window (NaN when this process ran no
 *     step, e.g. resuming a finished run)
 * @param lastEval the last evaluation's metrics ({@code eval/loss}, evaluator metrics); empty
 *     when none ran
 * @param lastCheckpoint the newest complete checkpoint directory, or null when none exists
 */
public record TrainResult(
    long globalStep, double finalLoss, Map<String, Double> lastEval, Path lastCheckpoint) {}
