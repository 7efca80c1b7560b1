package dev.stepwise.reward.gsm8k;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.reward.data.QuestionSplit;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.Answers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sampler job {@code model_solutions}: turns GSM8K's real GPT-3 solutions ({@link
 * ModelSolutions}) into sampled-solution files split by question, {@code <run dir>/train.jsonl}
 * and {@code <run dir>/heldout.jsonl}, for ORM/PRM training, prediction and best-of-4. Reports
 * how often the task's answer check agrees with the file's {@code is_correct}
 * ({@code solutions/check_agreement}) and the share of correct solutions.
 */
public final class SolutionsJob implements RunJob {
  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    SolutionsConfig sc = cfg.bind("solutions", SolutionsConfig.class);
    if (sc.file() == null) {
      throw new UserError("solutions.file is required (" + cfg.where("solutions") + ")");
    }
    List<ModelSolutions.Entry> all = ModelSolutions.read(Path.of(sc.file()));
    Set<String> held = QuestionSplit.heldOut(all.stream().map(e -> e.record().id()).toList(), sc.heldoutFraction(), sc.seed());
    Path dir = ctx.dir().path();
    int agree = 0;
    int total = 0;
    int correct = 0;
    for (String name : List.of("train.jsonl", "heldout.jsonl")) {
      Files.deleteIfExists(dir.resolve(name));
    }
    try (JsonlAppender train = JsonlAppender.open(dir.resolve("train.jsonl"));
        JsonlAppender heldout = JsonlAppender.open(dir.resolve("heldout.jsonl"))) {
      for (ModelSolutions.Entry e : all) {
        (held.contains(e.record().id()) ? heldout : train).append(e.record());
        for (int i = 0; i < e.record().response().size(); i++) {
          boolean ours = Answers.extract(e.record().response().get(i)).map(a -> Answers.equal(a, e.record().label())).orElse(false);
          agree += ours == e.isCorrect().get(i) ? 1 : 0;
          correct += e.isCorrect().get(i) ? 1 : 0;
          total++;
        }
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("solutions/questions", all.size());
    s.put("solutions/heldout_questions", held.size());
    s.put("solutions/responses", total);
    s.put("solutions/correct_share", correct / (double) Math.max(1, total));
    s.put("solutions/check_agreement", agree / (double) Math.max(1, total));
    ctx.tracker().summary(s);
    System.out.printf("Solutions: %s and %s%nSummary: %s%n", dir.resolve("train.jsonl").toAbsolutePath(), dir.resolve("heldout.jsonl").toAbsolutePath(), s);
  }

}
