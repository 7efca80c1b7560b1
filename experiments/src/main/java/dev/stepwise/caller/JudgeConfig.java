package dev.stepwise.caller;

import dev.stepwise.config.Nullable;

/**
 * The judge job's keys ({@code judge} section).
 *
 * @param inputFile samples JSONL to score (records with {@code id}, {@code prompt} and a {@code
 *     response} list, as {@code sampler.jar} and {@code api-caller.jar job=sample} write); required
 * @param outputFile where each input record is written again with {@code judge_scores} and {@code
 *     judge_outputs} added; null = {@code <run dir>/judged.jsonl}; resumable by id
 * @param failedFile items whose judging failed for good; null = {@code judge_failed.jsonl} beside
 *     the output
 * @param templateFile the judge prompt with {@code {instruction}} and {@code {response}}
 *     placeholders; null = the Self-Rewarding 5-point additive prompt (Yuan et al., 2024, Fig. 2)
 * @param limit records from the start of the input; 0 = all
 * @param samples judgements sampled per response (the request's {@code n}); the score is the mean
 *     of the valid ones (Self-Rewarding averages 3), at least 1
 * @param minScore the lowest valid score of the judge prompt's scale (0 for the 5-point additive
 *     prompt); a verdict outside {@code [min_score, max_score]} counts as unparsed
 * @param maxScore the highest valid score (5 for the 5-point additive prompt)
 */
public record JudgeConfig(
    @Nullable String inputFile,
    @Nullable String outputFile,
    @Nullable String failedFile,
    @Nullable String templateFile,
    int limit,
    int samples,
    double minScore,
    double maxScore) {}
