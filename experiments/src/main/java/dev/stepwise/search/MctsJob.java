package dev.stepwise.search;

import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.inject.Registry;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.search.mcts.MctsConfig;
import dev.stepwise.search.mcts.MctsStar;
import dev.stepwise.search.value.TreeExports;
import dev.stepwise.search.value.ValueTargets;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Sampler job {@code mcts}: MCTS* ({@link MctsStar}, section {@code mcts}) through {@link
 * SearchJob}; the reported score of a solution is its value V. When the problems have labels
 * (a train split, for self-training), each batch's trees also go through value-target inference
 * ({@link ValueTargets}) into {@code value_rows.jsonl} (soft-label PRM rows), {@code
 * positives.jsonl} (correct solutions, the SFT/RFT samples format) and {@code pairs.jsonl}
 * (correct vs incorrect solutions for DPO), all resumable with the results.
 */
public final class MctsJob extends SearchJob {
  /** Injected. */
  @Inject
  public MctsJob(Registry<TaskFactory> tasks) {
    super(tasks);
  }

  @Override
  protected String name() {
    return "mcts";
  }

  @Override
  protected Algorithm algorithm(ComposedConfig cfg, Expander expander) {
    MctsStar search = new MctsStar(expander, cfg.bind("mcts", MctsConfig.class));
    return new Algorithm() {
      @Override
      public List<SearchNode> run(List<SearchTree> trees) {
        return search.run(trees);
      }

      @Override
      public double score(SearchNode chosen) {
        return chosen.value();
      }
    };
  }

  @Override
  protected List<Path> exportFiles(Path dir) {
    return List.of(dir.resolve("value_rows.jsonl"), dir.resolve("positives.jsonl"), dir.resolve("pairs.jsonl"));
  }

  @Override
  protected void export(Path dir, List<SearchTree> trees) {
    List<Path> f = exportFiles(dir);
    try (JsonlAppender rows = JsonlAppender.open(f.get(0));
        JsonlAppender pos = JsonlAppender.open(f.get(1));
        JsonlAppender pairs = JsonlAppender.open(f.get(2))) {
      for (SearchTree t : trees) {
        if (t.problem().label().isEmpty()) {
          continue;
        }
        double[] v = ValueTargets.infer(t);
        TreeExports.prmRows(t, v).forEach(rows::append);
        SampleRecord s = TreeExports.positives(t);
        if (s != null) {
          pos.append(s);
        }
        TreeExports.pairs(t, v).forEach(pairs::append);
      }
    }
  }
}
