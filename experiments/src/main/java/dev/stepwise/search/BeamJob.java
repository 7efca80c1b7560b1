package dev.stepwise.search;

import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.inject.Registry;
import dev.stepwise.search.beam.BeamConfig;
import dev.stepwise.search.beam.BeamSearch;
import dev.stepwise.task.TaskFactory;
import java.util.List;

/**
 * Sampler job {@code beam}: PRM-guided step beam search ({@link BeamSearch}, section {@code beam})
 * through {@link SearchJob}. The reported score of a solution is its aggregated path score.
 */
public final class BeamJob extends SearchJob {
  /** Injected. */
  @Inject
  public BeamJob(Registry<TaskFactory> tasks) {
    super(tasks);
  }

  @Override
  protected String name() {
    return "beam";
  }

  @Override
  protected Algorithm algorithm(ComposedConfig cfg, Expander expander) {
    BeamConfig bc = cfg.bind("beam", BeamConfig.class);
    BeamSearch search = new BeamSearch(expander, bc);
    return new Algorithm() {
      @Override
      public List<SearchNode> run(List<SearchTree> trees) {
        return search.run(trees);
      }

      @Override
      public double score(SearchNode chosen) {
        return BeamSearch.score(chosen, bc.reduce());
      }
    };
  }
}
