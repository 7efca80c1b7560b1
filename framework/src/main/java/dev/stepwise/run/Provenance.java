package dev.stepwise.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where a run's code came from: the git commit and whether the work tree was dirty. */
public final class Provenance {
  private Provenance() {}

  /**
   * @param dir a directory inside the work tree
   * @return lines {@code commit: <sha>} and {@code dirty: true|false}, or {@code commit:
   *     unknown} with the reason when git or the repository is unavailable
   */
  public static List<String> git(Path dir) {
    List<String> out = new ArrayList<>();
    String commit = runGit(dir, "rev-parse", "HEAD");
    if (commit == null || commit.isBlank()) {
      out.add("commit: unknown (not a git work tree or git not installed)");
      return out;
    }
    out.add("commit: " + commit.strip());
    String status = runGit(dir, "status", "--porcelain", "--untracked-files=no");
    out.add("dirty: " + (status == null ? "unknown" : String.valueOf(!status.isBlank())));
    return out;
  }

  private static String runGit(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
