package dev.stepwise.report;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The comparison table of {@code scripts/pipelines/lpr_arith.sh}, in Markdown: per method, greedy
 * accuracy and maj@n over seeds (mean ± sample std, min–max), the number of seeds, and the wall
 * time per stage from {@code timings.tsv}.
 *
 * <p>Layout read from the pipeline directory {@code DIR}: {@code DIR/seed-<s>/eval/<method>/
 * metrics.jsonl} (sampler summaries, {@link EvalResult}), optional {@code DIR/timings.tsv}
 * ({@link StageTimings}) and optional {@code DIR/knobs.txt} (the pipeline's settings, quoted
 * under the caption). Methods are ordered zero-shot, SFT, RFT, DPO, pDPO, Self-Explore, PPO, GRPO, then any
 * other in name order.
 *
 * <p>Usage: {@code java -cp entrypoints/target/sampler.jar dev.stepwise.report.ResultsTable DIR};
 * prints the Markdown to standard output; a user error prints one line and exits with status 2.
 */
public final class ResultsTable {
  /** Row keys in table order, with their display names. */
  static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put("zero_shot", "zero-shot (base model)");
    NAMES.put("sft", "SFT");
    NAMES.put("rft", "RFT");
    NAMES.put("dpo", "DPO (outcome pairs)");
    NAMES.put("pdpo", "pDPO (PRM best-of pairs)");
    NAMES.put("self_explore", "Self-Explore (first-pit pairs)");
    NAMES.put("ppo", "step PPO (PRM rewards)");
    NAMES.put("grpo", "GRPO (outcome reward)");
  }

  private ResultsTable() {}

  /**
   * Command-line entry.
   *
   * @param args one argument, the pipeline directory
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: java -cp sampler.jar dev.stepwise.report.ResultsTable PIPELINE_DIR");
      System.exit(2);
    }
    try {
      System.out.print(render(Path.of(args[0])));
    } catch (UserError e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Every evaluation summary under {@code dir}.
   *
   * @param dir the pipeline directory
   * @return one result per {@code seed-<s>/eval/<method>/metrics.jsonl}, ordered by method (table
   *     order) then seed
   * @throws UserError when {@code dir} is not a directory or a summary is unreadable
   */
  public static List<EvalResult> collect(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError("ResultsTable: '" + dir + "' is not a directory");
    }
    List<EvalResult> out = new ArrayList<>();
    for (Path seedDir : list(dir)) {
      String name = seedDir.getFileName().toString();
      Path eval = seedDir.resolve("eval");
      if (!name.startsWith("seed-") || !Files.isDirectory(eval)) {
        continue;
      }
      for (Path m : list(eval)) {
        Path metrics = m.resolve("metrics.jsonl");
        if (Files.isRegularFile(metrics)) {
          out.add(EvalResult.read(metrics, m.getFileName().toString(), name.substring("seed-".length())));
        }
      }
    }
    out.sort(Comparator.comparingInt((EvalResult r) -> order(r.method())).thenComparing(EvalResult::method)
        .thenComparing(r -> r.seed().length()).thenComparing(EvalResult::seed));
    return out;
  }

  /**
   * The Markdown report of {@code dir}: caption, results table, stage-time table.
   *
   * @throws UserError when {@code dir} holds no evaluation summary
   */
  public static String render(Path dir) {
    List<EvalResult> results = collect(dir);
    if (results.isEmpty()) {
      throw new UserError("ResultsTable: no evaluation summaries under " + dir + "/seed-*/eval/*/metrics.jsonl");
    }
    Map<String, List<EvalResult>> byMethod = new LinkedHashMap<>();
    results.forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    TreeSet<String> majKeys = new TreeSet<>();
    TreeSet<Integer> problems = new TreeSet<>();
    TreeSet<String> seeds = new TreeSet<>();
    results.forEach(r -> {
      majKeys.add(r.majKey());
      problems.add(r.problems());
      seeds.add(r.seed());
    });
    String maj = String.join("/", majKeys);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Greedy accuracy and %s on the same %s held-out test problems, mean ± sample standard deviation "
            + "over seeds (min–max); seeds %s. SFT is trained once; the seeds apply to everything after "
            + "SFT (sampling, pairs, training, evaluation sampling), so the SFT row's greedy accuracy "
            + "does not vary and its %s varies only with the evaluation's sampling. Every trained method "
            + "is the LAST model of its run (no best-on-eval pick).%n%n",
        maj, join(problems), String.join(", ", seeds), maj));
    sb.append("| method | greedy accuracy | ").append(maj).append(" | seeds |\n");
    sb.append("| --- | ---: | ---: | ---: |\n");
    for (var e : byMethod.entrySet()) {
      List<Double> g = e.getValue().stream().map(EvalResult::greedy).toList();
      List<Double> m = e.getValue().stream().map(EvalResult::maj).toList();
      sb.append("| ").append(NAMES.getOrDefault(e.getKey(), e.getKey())).append(" | ")
          .append(Spread.of(g).format()).append(" | ").append(Spread.of(m).format()).append(" | ")
          .append(e.getValue().size()).append(" |\n");
    }
    Path knobs = dir.resolve("knobs.txt");
    if (Files.isRegularFile(knobs)) {
      sb.append("\nSettings (`knobs.txt`):\n\n```\n").append(read(knobs).strip()).append("\n```\n");
    }
    Path tsv = dir.resolve("timings.tsv");
    if (Files.isRegularFile(tsv)) {
      List<StageTimings.Row> rows = StageTimings.read(tsv);
      long total = rows.stream().mapToLong(StageTimings.Row::totalSeconds).sum();
      boolean cpu = rows.stream().allMatch(r -> r.totalCpuSeconds() >= 0);
      long totalCpu = rows.stream().mapToLong(StageTimings.Row::totalCpuSeconds).sum();
      sb.append("\nWall time per stage (`timings.tsv`; stages skipped on a resumed run are not counted")
          .append(cpu ? "; CPU = user + system seconds of the stage's processes" : "").append("):\n\n");
      sb.append("| stage | runs | wall per run | wall total |").append(cpu ? " CPU total |" : "")
          .append("\n| --- | ---: | ---: | ---: |").append(cpu ? " ---: |" : "").append("\n");
      for (StageTimings.Row r : rows) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |", r.row(), r.runs(), clock(r.meanSeconds()), clock(r.totalSeconds())))
            .append(cpu ? " " + clock(r.totalCpuSeconds()) + " |" : "").append("\n");
      }
      sb.append(String.format(Locale.ROOT, "| **all** | | | **%s** |", clock(total)))
          .append(cpu ? " **" + clock(totalCpu) + "** |" : "").append("\n");
    }
    return sb.toString();
  }

  /** @return {@code "12 min 05 s"} or {@code "45 s"} */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }

  private static int order(String method) {
    int i = 0;
    for (String k : NAMES.keySet()) {
      if (k.equals(method)) {
        return i;
      }
      i++;
    }
    return i;
  }

  private static String join(TreeSet<Integer> problems) {
    return problems.size() == 1 ? String.valueOf(problems.first()) : "(differing: " + problems + ")";
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
