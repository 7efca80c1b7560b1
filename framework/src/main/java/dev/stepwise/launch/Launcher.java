package dev.stepwise.launch;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the jobs of a sweep (component registry {@code launcher}: {@code serial}, {@code local},
 * {@code slurm}). Each job runs with the base arguments, its overrides and
 * {@code ++run.dir=<sweep>/<index>}; its output goes to {@code <sweep>/<index>/job.log}.
 */
public interface Launcher {
  /**
   * @param dir the sweep directory (already created, with {@code multirun.conf})
   * @param jobs the jobs to run (all of them, or the unfinished ones on {@code --resume})
   * @param done called once per job the moment it ends (from any thread), so failures are
   *     reported while the others still run
   * @return the results, in job order
   * @throws Exception when the launcher itself cannot run (not when a job fails)
   */
  List<JobResult> launch(MultirunDir dir, List<SweepJob> jobs, Consumer<JobResult> done) throws Exception;
}
