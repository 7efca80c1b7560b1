package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A job of an entry point in a real child JVM (this test's class path), for the stop-signal
 * tests: started in its own working directory (where a native crash would leave {@code
 * hs_err_pid*.log}), output to a log file, with helpers to wait for a condition (a log line, a
 * file) and to send a signal with {@code kill}.
 */
final class ChildJob {
  static final Path ROOT = TrainerMainTest.ROOT;
  private static final long WAIT_S = 180;

  final Process process;
  final Path log;
  final Path cwd;

  private ChildJob(Process process, Path log, Path cwd) {
    this.process = process;
    this.log = log;
    this.cwd = cwd;
  }

  /**
   * @param vectorModule whether the JVM gets {@code --add-modules=jdk.incubator.vector}; without
   *     it a command that samples re-launches itself in a grandchild JVM
   */
  static ChildJob start(Path cwd, String name, Class<?> main, boolean vectorModule, List<String> args) throws IOException {
    Files.createDirectories(cwd);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (vectorModule) {
      cmd.add("--add-modules=jdk.incubator.vector");
    }
    cmd.addAll(List.of("-Dai.djl.offline=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    Path log = cwd.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("STEPWISE_NO_RELAUNCH");
    return new ChildJob(pb.start(), log, cwd);
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  /** Waits until {@code condition} holds, polling every millisecond; fails when the job ends first. */
  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        fail("the job ended (exit " + process.exitValue() + ") before " + what + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        fail("no " + what + " after " + WAIT_S + " s:\n" + output());
      }
      Thread.sleep(1);
    }
  }

  /** Waits for a line of the log containing {@code text}. */
  void awaitLog(String text) throws InterruptedException {
    await("log line '" + text + "'", () -> output().contains(text));
  }

  /** Sends SIG{@code name} to the child (not to its descendants). */
  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + name);
  }

  /** Waits for the end; returns the exit code. */
  int exit() throws InterruptedException {
    if (!process.waitFor(WAIT_S, TimeUnit.SECONDS)) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail("the job did not end in " + WAIT_S + " s:\n" + output());
    }
    return process.exitValue();
  }

  /** Asserts that no JVM left a native crash report in the working directory. */
  void assertNoCrashReport() throws IOException {
    try (Stream<Path> s = Files.list(cwd)) {
      List<Path> crashes = s.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
      assertTrue(crashes.isEmpty(), "native crash report " + crashes + ":\n" + output());
    }
    assertTrue(!output().contains("SIGSEGV") && !output().contains("A fatal error has been detected"), output());
  }
}
