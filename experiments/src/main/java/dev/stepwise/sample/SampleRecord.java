package dev.stepwise.sample;

import java.util.List;

/**
 * One sampled problem, in the reference implementation's field names.
 *
 * @param id the problem id
 * @param prompt the prompt given to the model
 * @param label the gold answer
 * @param response the {@code n} completions
 * @param pred the answer extracted from each completion ("" when none)
 */
public record SampleRecord(String id, String prompt, String label, List<String> response, List<String> pred) {}
