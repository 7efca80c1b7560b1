package dev.stepwise.search.omega;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.search.SideFiles;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampler job {@code omegaprm}: OmegaPRM annotation ({@link OmegaQuestion}) of the questions of
 * {@code omegaprm.split} with the policy {@code omegaprm.policy_path}, {@code
 * questions_in_flight} at a time: each round, every unfinished question's pending state goes to
 * one sampler call with {@code n = num_rollouts} (each state prefilled once, its cache repeated
 * for its k completions). Files in {@code omegaprm.output_dir} (default the run directory):
 * {@code omega_rows.jsonl} (the rows, PRM trainer format with soft labels = MC), {@code
 * augmented_rows.jsonl} (augmentation, {@code augment = true}) and {@code questions.jsonl} (one
 * {@link OmegaStats} per question, written last: the resume key). A re-run skips the questions in
 * {@code questions.jsonl} and drops the others' rows first ({@link SideFiles}), so a killed run
 * re-run has every question exactly once.
 *
 * <p>Summary: {@code omegaprm/questions}, {@code omegaprm/annotated} (questions with a root MC in
 * (0, 1)), {@code omegaprm/rows}, {@code omegaprm/augmented_rows}, {@code
 * omegaprm/completions_per_row} and {@code omegaprm/naive_to_binary_ratio} (Σ (n − 1) over the searched
 * rollouts of n steps, the estimates that labelling every step but the known-wrong last one would
 * take, over the binary-search probes that located the same first errors).
 */
public final class OmegaPrmJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(OmegaPrmJob.class);
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public OmegaPrmJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    OmegaConfig oc = cfg.bind("omegaprm", OmegaConfig.class);
    if (oc.policyPath() == null || !Files.isDirectory(Path.of(oc.policyPath()))) {
      throw new UserError("omegaprm.policy_path: no checkpoint directory at '" + oc.policyPath() + "' (" + cfg.where("omegaprm") + ")");
    }
    Path dir = oc.outputDir() == null ? ctx.dir().path() : Path.of(oc.outputDir());
    Files.createDirectories(dir);
    Path questions = dir.resolve("questions.jsonl");
    Path rows = dir.resolve("omega_rows.jsonl");
    Path augmented = dir.resolve("augmented_rows.jsonl");
    List<Problem> problems = task.problems(oc.split(), oc.limit());
    SamplingParams params = new SamplingParams(oc.numRollouts(), oc.temperature(), 1.0, -1, oc.maxTokens(), List.of(), oc.seed(), false);
    try (NDManager manager = NDManager.newBaseManager();
        JsonlAppender qSink = JsonlAppender.open(questions)) {
      Set<String> done = qSink.existingIds("id");
      SideFiles.keepIds(rows, done);
      SideFiles.keepIds(augmented, done);
      Path model = Path.of(oc.policyPath());
      Tokenizer tok = Tokenizers.load(model);
      CausalLM lm = ModelCheckpoint.load(model, manager);
      int ctxLen = lm.config().nPositions();
      Sampler sampler = new Sampler(lm, tok, Math.max(Sampler.DEFAULT_MAX_BATCH_SIZE, oc.questionsInFlight() * oc.numRollouts()));
      try (JsonlAppender rowSink = JsonlAppender.open(rows);
          JsonlAppender augSink = JsonlAppender.open(augmented);
          ProgressBar bar = new ProgressBar("omegaprm", problems.size())) {
        for (int from = 0, b = 0; from < problems.size(); from += oc.questionsInFlight(), b++) {
          List<OmegaQuestion> qs = new ArrayList<>();
          for (Problem p : problems.subList(from, Math.min(problems.size(), from + oc.questionsInFlight()))) {
            if (!done.contains(p.id())) {
              qs.add(new OmegaQuestion(p, task, oc));
            }
          }
          long round = (long) b << 20;
          while (qs.stream().anyMatch(q -> !q.done())) {
            List<OmegaQuestion> active = new ArrayList<>();
            List<String> contexts = new ArrayList<>();
            for (OmegaQuestion q : qs) {
              if (!q.done()) {
                String c = q.pendingContext();
                if (tok.encodePrompt(c).length >= ctxLen) {
                  q.accept(List.of(), List.of());
                  continue;
                }
                active.add(q);
                contexts.add(c);
              }
            }
            if (active.isEmpty()) {
              continue;
            }
            SamplingParams p = params.seed() == null ? params : params.withSeed(params.seed() + round * GOLDEN);
            round++;
            List<List<Completion>> out = sampler.generate(contexts, p);
            for (int i = 0; i < active.size(); i++) {
              active.get(i).accept(out.get(i).stream().map(Completion::text).toList(),
                  out.get(i).stream().map(c -> c.tokenIds().length).toList());
            }
          }
          for (OmegaQuestion q : qs) {
            q.rows().forEach(rowSink::append);
            if (oc.augment()) {
              q.augmentedRows().forEach(augSink::append);
            }
            qSink.append(q.stats());
          }
          bar.stepBy(Math.min(oc.questionsInFlight(), problems.size() - from));
        }
      }
    }
    Map<String, Object> summary = summary(JsonlReader.readAll(questions, OmegaStats.class), Files.exists(augmented)
        ? JsonlReader.readAll(augmented).size() : 0);
    ctx.tracker().summary(summary);
    System.out.printf("Rows: %s%nAugmented: %s%nSummary: %s%n", rows.toAbsolutePath(), augmented.toAbsolutePath(), summary);
  }

  /** @return the summary over the questions' statistics (see the class doc) */
  static Map<String, Object> summary(List<OmegaStats> qs, int augmentedRows) {
    long rows = qs.stream().mapToLong(OmegaStats::rows).sum();
    long completions = qs.stream().mapToLong(OmegaStats::completions).sum();
    long probes = qs.stream().mapToLong(OmegaStats::probes).sum();
    long naive = qs.stream().mapToLong(q -> q.searchedSteps() - q.searches()).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("omegaprm/questions", qs.size());
    m.put("omegaprm/annotated", qs.stream().filter(q -> q.rootMc() > 0 && q.rootMc() < 1).count());
    m.put("omegaprm/rows", rows);
    m.put("omegaprm/augmented_rows", augmentedRows);
    m.put("omegaprm/completions_per_row", rows == 0 ? 0.0 : completions / (double) rows);
    m.put("omegaprm/naive_to_binary_ratio", probes == 0 ? 0.0 : naive / (double) probes);
    LOG.info("OmegaPRM: {} binary-search probes where Monte Carlo estimation of every step would take {}", probes, naive);
    return m;
  }
}
