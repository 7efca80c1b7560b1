package dev.stepwise.launch;

/**
 * How one job ended.
 *
 * @param job the job
 * @param status {@code ok}, {@code failed} or {@code pending} (submitted, not finished)
 * @param exitCode the job's exit code (0 ok, 2 user error, 1 crash; -1 unknown)
 * @param wallSeconds wall time in seconds (0 when unknown)
 */
public record JobResult(SweepJob job, String status, int exitCode, double wallSeconds) {
  /** @return whether the job succeeded */
  public boolean ok() {
    return "ok".equals(status);
  }
}
