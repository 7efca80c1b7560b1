package dev.stepwise.reward.synth;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.Gsm8kModelSolutions;
import dev.stepwise.task.MathWordTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sampler job {@code gsm8k_solutions}: turns GSM8K's {@code example_model_solutions.jsonl} (real
 * GPT-3 solutions with the file's correctness flags) into samples files, so that the states,
 * rollouts and reward-model jobs run on real solutions. Each record is a samples record {@code
 * {"id","prompt","label","response":[4],"pred":[4]}} (GSM8K prompt, the four solutions in {@link
 * Gsm8kModelSolutions#MODELS} order, their {@code A: N} answers) plus {@code "is_correct":[4]}
 * (the file's flags) and {@code "models":[4]}. Questions are shuffled with {@code
 * solutions.seed} and the first {@code round(train_fraction * N)} go to {@code
 * <stem>.train.jsonl}, the rest to {@code <stem>.heldout.jsonl} (by question: no question is in
 * both; the same split as {@code dev.stepwise.reward.data.QuestionSplit} with held-out fraction
 * {@code 1 - train_fraction}); the whole file keeps the original order. The summary also
 * reports the share of correct solutions and how often the task's answer check agrees with the
 * file's {@code is_correct} ({@code solutions/check_agreement}).
 */
public final class SolutionsJob implements RunJob {
  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    SolutionsConfig sc = cfg.bind("solutions", SolutionsConfig.class);
    if (!(sc.trainFraction() >= 0 && sc.trainFraction() <= 1)) {
      throw new UserError("solutions.train_fraction must be in [0, 1], got " + sc.trainFraction() + " (" + Origins.where(c, "solutions.train_fraction") + ")");
    }
    String dataDir = c.hasPath("data_dir") ? c.getString("data_dir") : null;
    Path in = sc.inputFile() != null ? Path.of(sc.inputFile()) : Gsm8kModelSolutions.defaultFile(dataDir);
    List<Map<String, Object>> records = new ArrayList<>();
    int agree = 0;
    int correct = 0;
    int total = 0;
    for (Gsm8kModelSolutions.Entry e : Gsm8kModelSolutions.read(in)) {
      records.add(record(e));
      for (int i = 0; i < e.solutions().size(); i++) {
        boolean ours = dev.stepwise.task.Answers.extract(e.solutions().get(i))
            .map(a -> dev.stepwise.task.Answers.equal(a, e.problem().label())).orElse(false);
        agree += ours == e.isCorrect().get(i) ? 1 : 0;
        correct += e.isCorrect().get(i) ? 1 : 0;
        total++;
      }
    }
    Path out = sc.outputFile() == null ? ctx.dir().path().resolve("solutions.jsonl") : Path.of(sc.outputFile());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(sc.seed()));
    int nTrain = (int) Math.round(sc.trainFraction() * records.size());
    List<Integer> trainIdx = new ArrayList<>(order.subList(0, nTrain));
    List<Integer> heldIdx = new ArrayList<>(order.subList(nTrain, order.size()));
    Collections.sort(trainIdx);
    Collections.sort(heldIdx);
    JsonlFiles.writeAll(out, records);
    JsonlFiles.writeAll(sibling(out, "train"), trainIdx.stream().map(records::get).toList());
    JsonlFiles.writeAll(sibling(out, "heldout"), heldIdx.stream().map(records::get).toList());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("solutions/problems", records.size());
    summary.put("solutions/train", trainIdx.size());
    summary.put("solutions/heldout", heldIdx.size());
    summary.put("solutions/responses", total);
    summary.put("solutions/correct_share", correct / (double) Math.max(1, total));
    summary.put("solutions/check_agreement", agree / (double) Math.max(1, total));
    ctx.tracker().summary(summary);
    System.out.printf("Solutions: %s (+ .train/.heldout)%nSummary: %s%n", out.toAbsolutePath(), summary);
  }

  /** @return the samples record of one entry, with {@code is_correct} and {@code models} */
  static Map<String, Object> record(Gsm8kModelSolutions.Entry e) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", e.problem().id());
    r.put("prompt", MathWordTask.promptFor(e.problem().question()));
    r.put("label", e.problem().label());
    r.put("response", e.solutions());
    List<String> preds = new ArrayList<>();
    for (String s : e.solutions()) {
      preds.add(dev.stepwise.task.Answers.extract(s).orElse(""));
    }
    r.put("pred", preds);
    r.put("is_correct", e.isCorrect());
    r.put("models", e.models());
    return r;
  }

  /** @return {@code dir/<stem>.<tag>.jsonl} for {@code out = dir/<stem>.jsonl} */
  static Path sibling(Path out, String tag) {
    String name = out.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return out.resolveSibling(stem + "." + tag + ".jsonl");
  }
}
