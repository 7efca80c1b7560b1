package dev.stepwise.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task {@code logiqa2}: LogiQA 2.0 multiple-choice logical reasoning (Liu et al. 2023), read
 * from {@code <data_dir>/logiqa2/<split>.jsonl} (the shared data holds {@code dev}), each line
 * {@code {"id", "text", "question", "options": [4 strings], "answer": 0-based index}}, solved in
 * the ReAct format of Jiao et al. (2024).
 *
 * <p><b>Problems.</b> Line {@code i} (0-based, blank lines skipped) of a split has id {@code
 * logiqa2-<split>-<i>}, the question, an empty reference solution apart from the minimal target
 * below, and the option letter ({@code "A"}..{@code "D"}) as label. The question field of the
 * {@link Problem} holds the whole prompt body (context, question and options).
 *
 * <p><b>Prompt</b> (the completion starts right after {@code "Thought 1:"}):
 *
 * <pre>
 * Context:
 * {text}
 *
 * Question:
 * {question}
 *
 * Options:
 * A. {options[0]}
 * B. {options[1]}
 * C. {options[2]}
 * D. {options[3]}
 *
 * Thought 1:
 * </pre>
 *
 * <p><b>Steps</b>: {@link ReactSteps}; <b>answer check</b>: {@link ReactAnswers} (the letter
 * inside the last {@code Finish[...]}, only when exactly one of A-D appears). <b>Target</b> (for
 * SFT smoke runs only; the data has no worked solutions): {@code " The answer is X.\nAction 1:
 * Finish[X]"}.
 */
public final class LogiQa2Task implements Task {
  /** The registry name. */
  public static final String NAME = "logiqa2";
  /** The text that ends every prompt; the completion continues it. */
  public static final String PROMPT_END = "Thought 1:";

  private final LogiQa2Config cfg;
  private final Map<String, List<Problem>> cache = new HashMap<>();

  /** @param cfg the data location and cap */
  public LogiQa2Task(LogiQa2Config cfg) {
    this.cfg = cfg;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @param split the file stem under {@code logiqa2/} ({@code dev} in the shared data)
   * @param limit at most this many problems (0 or negative: all), further capped by {@code
   *     max_problems}
   * @throws UserError for a missing file (naming the path and {@code STEPWISE_DATA}) or a record
   *     without text, question, four options or an answer index in [0, 3] ({@code file:line})
   */
  @Override
  public synchronized List<Problem> problems(String split, int limit) {
    List<Problem> all = cache.computeIfAbsent(split, this::read);
    int n = all.size();
    if (limit > 0) {
      n = Math.min(n, limit);
    }
    if (cfg.maxProblems() > 0) {
      n = Math.min(n, cfg.maxProblems());
    }
    return all.subList(0, n);
  }

  private List<Problem> read(String split) {
    DataDir dir = DataDir.resolve(cfg.dataDir());
    Path file = dir.path().resolve("logiqa2").resolve(split + ".jsonl");
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "logiqa2 task: " + file.toAbsolutePath().normalize() + " not found (split '" + split
              + "', data directory '" + dir.path() + "' from " + dir.source()
              + "); the shared data has the split 'dev'; set task.data_dir or the "
              + Gsm8kTask.DATA_ENV + " environment variable");
    }
    List<Problem> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        String where = file + ":" + r.lineNumber();
        String text = text(n, "text", where);
        String question = text(n, "question", where);
        JsonNode options = n.get("options");
        if (options == null || !options.isArray() || options.size() != 4) {
          throw new UserError(where + ": 'options' must be a list of 4 strings");
        }
        JsonNode answer = n.get("answer");
        if (answer == null || !answer.canConvertToInt() || answer.asInt() < 0 || answer.asInt() > 3) {
          throw new UserError(where + ": 'answer' must be an option index in [0, 3], got " + answer);
        }
        List<String> opts = new ArrayList<>();
        options.forEach(o -> opts.add(o.asText()));
        String id = NAME + "-" + split + "-" + out.size();
        String label = ReactAnswers.letter(answer.asInt());
        out.add(new Problem(id, body(text, question, opts), targetFor(label), label));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** @return the prompt body before {@code "Thought 1:"}: context, question, lettered options */
  public static String body(String text, String question, List<String> options) {
    StringBuilder sb = new StringBuilder();
    sb.append("Context:\n").append(text.strip()).append("\n\nQuestion:\n").append(question.strip()).append("\n\nOptions:\n");
    for (int i = 0; i < options.size(); i++) {
      sb.append(ReactAnswers.letter(i)).append(". ").append(options.get(i).strip()).append('\n');
    }
    return sb.append('\n').toString();
  }

  /** @return the minimal ReAct target answering {@code label} */
  static String targetFor(String label) {
    return " The answer is " + label + ".\nAction 1: Finish[" + label + "]";
  }

  /** @return {@code p.question()} (the body) followed by {@code "Thought 1:"} */
  @Override
  public String prompt(Problem p) {
    return p.question() + PROMPT_END;
  }

  @Override
  public String target(Problem p) {
    return p.solution();
  }

  /** See {@link ReactSteps#split}. */
  @Override
  public List<String> splitSteps(String completion) {
    return ReactSteps.split(completion);
  }

  /** See {@link ReactAnswers#extract}. */
  @Override
  public Optional<String> extractAnswer(String completion) {
    return ReactAnswers.extract(completion);
  }

  /** @return true when the single letter inside the last {@code Finish[...]} is the label */
  @Override
  public boolean isCorrect(String completion, Problem p) {
    return extractAnswer(completion).map(p.label()::equals).orElse(false);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new UserError(where + ": record has no text field '" + field + "'");
    }
    return v.asText();
  }
}
