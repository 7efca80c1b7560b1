package dev.stepwise.search;

import ai.djl.ndarray.NDManager;
import dev.stepwise.api.ApiClient;
import dev.stepwise.caller.ApiCompletions;
import dev.stepwise.caller.CallerConfig;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Sampler;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
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
 * The shared body of the sampler jobs {@code beam} and {@code mcts}: loads the proposer ({@code
 * search.proposer}: the checkpoint {@code search.policy_path}, or the API of {@code api.caller})
 * and the value model ({@code search.valuer}: the PRM of {@code prm.model_path}, scored by the
 * {@code prm} section's rule, or prompt scoring over the API), searches the
 * problems of {@code search.split} in batches of {@code search.problems_in_flight}, and writes
 * into {@code search.output_dir} (default the run directory):
 *
 * <ul>
 *   <li>{@code results.jsonl}: one {@link SearchResult} per problem, the resume key;
 *   <li>{@code tree.jsonl}: every node of every tree ({@link TreeNodeRecord});
 *   <li>whatever the algorithm exports ({@link #export}).
 * </ul>
 *
 * <p><b>Resume.</b> Batches sit at fixed positions of the split; batch b proposes with rounds
 * starting at {@code b << 20} (its own random streams). A problem's side lines are written before
 * its result line; a re-run skips the problems with a result, drops the side lines of the others
 * ({@link SideFiles}) and searches them again, so a run killed at any point and re-run has every
 * problem exactly once.
 *
 * <p><b>Summary</b>: {@code <job>/accuracy}, {@code <job>/finished} (share of chosen solutions
 * that are finished), {@code <job>/tokens_per_problem}, {@code <job>/nodes_per_problem} over the
 * whole results file; {@code <job>/steps_per_second} and {@code <job>/tokens_per_second} of this
 * run's search (proposals and generated tokens per wall-clock second, PRM time included).
 */
public abstract class SearchJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);

  /** One search algorithm over a batch of trees. */
  protected interface Algorithm {
    /** @return per tree, the chosen node */
    List<SearchNode> run(List<SearchTree> trees);

    /** @return the score reported for a chosen node */
    double score(SearchNode chosen);
  }

  private final Registry<TaskFactory> tasks;

  /** @param tasks the task registry */
  protected SearchJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  /** @return the job's name, the prefix of its summary keys ({@code beam}, {@code mcts}) */
  protected abstract String name();

  /** @return the algorithm bound from the job's own section */
  protected abstract Algorithm algorithm(ComposedConfig cfg, Expander expander);

  /**
   * Writes the job's extra files for the finished trees of one batch (before their results).
   *
   * @param dir the output directory
   */
  protected void export(Path dir, List<SearchTree> trees) {}

  /** @return the extra files {@link #export} writes in {@code dir} (for resume) */
  protected List<Path> exportFiles(Path dir) {
    return List.of();
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    SearchConfig sc = cfg.bind("search", SearchConfig.class);
    boolean apiValuer = "api".equals(sc.valuer());
    PrmConfig pc = apiValuer ? null : cfg.bind("prm", PrmConfig.class);
    List<Problem> problems = task.problems(sc.split(), sc.limit());
    Path dir = sc.outputDir() == null ? ctx.dir().path() : Path.of(sc.outputDir());
    Files.createDirectories(dir);
    Path results = dir.resolve("results.jsonl");
    Path treeFile = dir.resolve("tree.jsonl");
    long proposed = 0;
    long tokens = 0;
    double seconds = 0;
    try (NDManager manager = NDManager.newBaseManager();
        PrmReward prm = apiValuer ? null : PrmReward.load(pc, task, cfg.where("prm"));
        JsonlAppender resultSink = JsonlAppender.open(results)) {
      Set<String> done = resultSink.existingIds("id");
      List<Path> sides = new ArrayList<>(exportFiles(dir));
      sides.add(treeFile);
      for (Path f : sides) {
        int dropped = SideFiles.keepIds(f, done);
        if (dropped > 0) {
          LOG.info("Resume: dropped {} lines of unfinished problems from {}", dropped, f);
        }
      }
      boolean api = "api".equals(sc.proposer()) || apiValuer;
      try (ApiClient client = api ? new ApiClient(cfg.bind("api.caller", CallerConfig.class).client(), System.getenv()) : null;
          JsonlAppender treeSink = JsonlAppender.open(treeFile)) {
        StepProposer proposer = proposer(cfg, sc, manager, "api".equals(sc.proposer()) ? client : null);
        StepValuer valuer = apiValuer
            ? new ApiJudgeValuer(client, cfg.bind("api.caller", CallerConfig.class).model(), task, sc.judgeQuestion())
            : new PrmValuer(prm);
        LOG.info("{}: {} problems of {} ({} done), {} in flight, into {}", name(), problems.size(), sc.split(), done.size(),
            sc.problemsInFlight(), dir);
        try (ProgressBar bar = new ProgressBar(name(), problems.size())) {
          for (int from = 0, b = 0; from < problems.size(); from += sc.problemsInFlight(), b++) {
            List<Problem> batch = problems.subList(from, Math.min(problems.size(), from + sc.problemsInFlight()));
            List<SearchTree> trees = new ArrayList<>();
            for (Problem p : batch) {
              if (!done.contains(p.id())) {
                trees.add(new SearchTree(p, task, sc.maxSteps()));
              }
            }
            if (!trees.isEmpty()) {
              Expander ex = new Expander(proposer, valuer, (long) b << 20);
              Algorithm alg = algorithm(cfg, ex);
              long t0 = System.nanoTime();
              List<SearchNode> chosen = alg.run(trees);
              seconds += (System.nanoTime() - t0) / 1e9;
              proposed += ex.proposed();
              tokens += ex.tokens();
              for (SearchTree t : trees) {
                t.records().forEach(treeSink::append);
              }
              export(dir, trees);
              for (int i = 0; i < trees.size(); i++) {
                resultSink.append(result(trees.get(i), chosen.get(i), alg.score(chosen.get(i)), task));
              }
            }
            bar.stepBy(batch.size());
          }
        }
      }
    }
    Map<String, Object> summary = summary(name(), JsonlReader.readAll(results, SearchResult.class));
    summary.put(name() + "/steps_per_second", seconds > 0 ? proposed / seconds : 0.0);
    summary.put(name() + "/tokens_per_second", seconds > 0 ? tokens / seconds : 0.0);
    ctx.tracker().summary(summary);
    System.out.printf("Results: %s%nTree: %s%nSummary: %s%n", results.toAbsolutePath(), treeFile.toAbsolutePath(), summary);
  }

  private static StepProposer proposer(ComposedConfig cfg, SearchConfig sc, NDManager manager, ApiClient client) throws Exception {
    if (client != null) {
      return new ApiProposer(new ApiCompletions(client, cfg.bind("api.caller", CallerConfig.class)), sc.sampling());
    }
    if (sc.policyPath() == null || !Files.isDirectory(Path.of(sc.policyPath()))) {
      throw new UserError("search.policy_path: no checkpoint directory at '" + sc.policyPath() + "' (" + cfg.where("search")
          + "); pass the SFT policy, or search.proposer=api");
    }
    Path model = Path.of(sc.policyPath());
    Tokenizer tok = Tokenizers.load(model);
    CausalLM lm = ModelCheckpoint.load(model, manager);
    return new SamplerProposer(new Sampler(lm, tok, Math.max(Sampler.DEFAULT_MAX_BATCH_SIZE, sc.problemsInFlight() * 4)), sc.sampling());
  }

  /** @return the result line of a tree and its chosen node */
  static SearchResult result(SearchTree t, SearchNode chosen, double score, Task task) {
    Problem p = t.problem();
    String text = chosen.text();
    String pred = chosen.terminal() ? task.extractAnswer(text).orElse("") : "";
    boolean correct = chosen.terminal() && !p.label().isEmpty() && task.isCorrect(text, p);
    return new SearchResult(p.id(), t.prompt(), p.label(), text, pred, correct, score, chosen.terminal(), t.nodes().size(), t.proposed(),
        t.tokens());
  }

  /** @return accuracy, finished share, tokens and nodes per problem over {@code rs}, keys prefixed by {@code job/} */
  static Map<String, Object> summary(String job, List<SearchResult> rs) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = Math.max(1, rs.size());
    m.put(job + "/problems", rs.size());
    m.put(job + "/accuracy", rs.stream().filter(SearchResult::correct).count() / (double) n);
    m.put(job + "/finished", rs.stream().filter(SearchResult::terminal).count() / (double) n);
    m.put(job + "/tokens_per_problem", rs.stream().mapToLong(SearchResult::tokens).sum() / (double) n);
    m.put(job + "/nodes_per_problem", rs.stream().mapToLong(SearchResult::nodes).sum() / (double) n);
    return m;
  }
}
