package dev.stepwise.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code sbatch} array script of a sweep: one array task per job; task {@code i} runs the
 * child JVM with the base arguments, job {@code i}'s overrides and {@code ++run.dir=<sweep>/i},
 * logs to {@code <sweep>/i/job.log} (Slurm's own output to {@code <sweep>/slurm-<array>_<task>.log})
 * and writes {@code <sweep>/i/status} like the other launchers.
 *
 * <p>The JVM runs in the background while the shell waits for it, so that signals sent to the
 * batch shell ({@code --signal=B:USR1@120}, {@code scancel --batch}) reach the JVM: the shell
 * forwards {@code launcher.signal}, SIGTERM and SIGINT to it and keeps waiting until it has
 * ended. With {@code launcher.requeue}, a JVM that ended with {@code 128 + launcher.signal}
 * (it stopped on that signal and wrote its checkpoint) gets status {@code requeued} and the
 * task is requeued with {@code scontrol requeue}; a requeued run ({@code SLURM_RESTART_COUNT >
 * 0}) of a training config adds {@code trainer.resume=auto}.
 */
public final class SlurmScript {
  private SlurmScript() {}

  /**
   * @param s the {@code launcher.*} settings
   * @param name the Slurm job name (the config name)
   * @param dir the sweep directory
   * @param cwd the directory the jobs run in
   * @param jvm the child JVM command
   * @param baseArgs the arguments every job shares
   * @param jobs the jobs; array index {@code k} runs {@code jobs.get(k)}
   * @param trains whether the config has {@code trainer.resume} (a requeued run resumes)
   * @return the script text (bash)
   */
  public static String render(SlurmLauncher.Settings s, String name, Path dir, Path cwd, JvmCommand jvm,
      List<String> baseArgs, List<SweepJob> jobs, boolean trains) {
    boolean signal = s.signal() != null && !s.signal().isBlank();
    String sig = signal ? s.signal().trim().toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "") : null;
    StringBuilder b = new StringBuilder("#!/usr/bin/env bash\n");
    b.append("#SBATCH --job-name=").append(name).append('\n');
    b.append("#SBATCH --array=0-").append(jobs.size() - 1)
        .append(s.arrayParallelism() > 0 ? "%" + s.arrayParallelism() : "").append('\n');
    if (s.partition() != null && !s.partition().isBlank()) b.append("#SBATCH --partition=").append(s.partition()).append('\n');
    if (s.gpusPerNode() > 0) b.append("#SBATCH --gpus-per-node=").append(s.gpusPerNode()).append('\n');
    b.append("#SBATCH --cpus-per-task=").append(s.cpusPerTask()).append('\n');
    b.append("#SBATCH --mem=").append(s.memGb()).append("G\n");
    b.append("#SBATCH --time=").append(s.timeoutMin()).append('\n');
    b.append("#SBATCH --output=").append(dir).append("/slurm-%A_%a.log\n");
    if (signal) b.append("#SBATCH --signal=B:").append(sig).append('@').append(s.signalSeconds()).append('\n');
    if (s.requeue()) b.append("#SBATCH --requeue\n");
    b.append("# Written by the stepwise slurm launcher: one array task per sweep job.\n");
    b.append("set -uo pipefail\n");
    b.append("cd ").append(JvmCommand.shellQuote(cwd.toString())).append('\n');
    if (s.setup() != null) for (String line : s.setup()) b.append(line).append('\n');
    b.append("case \"${SLURM_ARRAY_TASK_ID:?not an array task}\" in\n");
    for (int k = 0; k < jobs.size(); k++) {
      b.append("  ").append(k).append(") JOB=").append(jobs.get(k).index()).append("; JOB_ARGS=(")
          .append(JvmCommand.shellJoin(jobs.get(k).overrides())).append(") ;;\n");
    }
    b.append("  *) echo \"no job for array index $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n");
    b.append("esac\n");
    b.append("JOB_DIR=").append(JvmCommand.shellQuote(dir.toString())).append("/$JOB\n");
    b.append("mkdir -p \"$JOB_DIR\"\n");
    b.append("RESUME=()\n");
    if (trains) {
      b.append("if [ \"${SLURM_RESTART_COUNT:-0}\" -gt 0 ]; then RESUME=(trainer.resume=auto); fi\n");
    }
    b.append("start=$(date +%s)\n");
    b.append("# The JVM runs in the background so that this shell can forward signals to it.\n");
    b.append(JvmCommand.shellJoin(jvm.argv())).append(' ').append(JvmCommand.shellJoin(baseArgs))
        .append(" \"${JOB_ARGS[@]}\" \"++run.dir=$JOB_DIR\" \"${RESUME[@]}\" >> \"$JOB_DIR/job.log\" 2>&1 &\n");
    b.append("pid=$!\n");
    for (String f : forwarded(sig)) {
      b.append("trap 'kill -").append(f).append(" \"$pid\" 2>/dev/null' ").append(f).append('\n');
    }
    b.append("while :; do wait \"$pid\"; kill -0 \"$pid\" 2>/dev/null || break; done\n");
    b.append("wait \"$pid\"; rc=$?\n");
    b.append("wall=$(( $(date +%s) - start ))\n");
    if (s.requeue() && signal) {
      b.append("if [ \"$rc\" -eq $(( 128 + $(kill -l ").append(sig).append(") )) ]; then\n");
      b.append("  echo \"requeued $rc $wall\" > \"$JOB_DIR/status\"\n");
      b.append("  scontrol requeue \"${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
      b.append("  exit \"$rc\"\n");
      b.append("fi\n");
    }
    b.append("if [ \"$rc\" -eq 0 ]; then echo \"ok $wall\"; else echo \"failed $rc $wall\"; fi > \"$JOB_DIR/status\"\n");
    b.append("exit \"$rc\"\n");
    return b.toString();
  }

  /** @return the signals the batch shell forwards to the JVM: TERM, INT and the launcher's signal */
  static List<String> forwarded(String signal) {
    List<String> out = new java.util.ArrayList<>(List.of("TERM", "INT"));
    if (signal != null && !out.contains(signal)) out.add(signal);
    return out;
  }
}
