package dev.stepwise.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vector API flag ({@code --add-modules=jdk.incubator.vector}, needed by the Java CPU decoder)
 * reaches every JVM the project starts from a JVM that has it: {@link JvmCommand#current(Class)}
 * (the {@code local} and {@code slurm} launchers' children), {@link JvmCommand#startedAs(Class)}
 * ({@code command.txt} and {@code rerun.sh} of a run started with {@code java -jar}), and the JVMs
 * those commands start. Surefire's argLine passes the flag; tests that rely on this JVM having it
 * are skipped otherwise.
 */
class JvmCommandTest {
  static final String FLAG = "--add-modules=jdk.incubator.vector";
  @TempDir Path tmp;

  /** Skips the test when this JVM was started without the flag (e.g. from an IDE). */
  static void assumeThisJvmHasTheFlag() {
    Assumptions.assumeTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains(FLAG),
        "this JVM was started without " + FLAG + " (surefire's argLine passes it)");
  }

  /** Runs {@code cmd} in {@code cwd} and returns its output (stdout and stderr), asserting exit 0. */
  static String run(List<String> cmd, Path cwd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + cmd);
    assertEquals(0, p.exitValue(), cmd + "\n" + out);
    return out;
  }

  /** @return the value of the probe's output line {@code key=...} */
  static String line(String out, String key) {
    return out.lines().filter(l -> l.startsWith(key + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + "= line in:\n" + out)).substring(key.length() + 1);
  }

  @Test
  void currentCopiesTheFlagFromThisJvmsInputArguments() {
    assumeThisJvmHasTheFlag();
    JvmCommand c = JvmCommand.current(VectorProbeMain.class);
    assertTrue(c.jvmArgs().contains(FLAG), c.jvmArgs().toString());
    List<String> argv = c.argv();
    assertTrue(argv.indexOf(FLAG) > 0 && argv.indexOf(FLAG) < argv.indexOf("-cp"), argv.toString());
    assertEquals(VectorProbeMain.class.getName(), argv.get(argv.size() - 1));
  }

  @Test
  void aChildStartedFromArgvHasTheModuleAndPassesTheFlagOn() throws Exception {
    assumeThisJvmHasTheFlag();
    String out = run(JvmCommand.current(VectorProbeMain.class).argv(), tmp);
    assertEquals("true", line(out, "vector"), out);
    assertTrue(line(out, "jvmArgs").contains(FLAG), out);
  }

  @Test
  void withoutTheFlagTheChildHasNoVectorModule() throws Exception {
    // The control for the test above: the module comes from the flag, not from the JDK's defaults.
    JvmCommand c = JvmCommand.current(VectorProbeMain.class);
    List<String> args = c.jvmArgs().stream().filter(a -> !a.startsWith("--add-modules")).toList();
    String out = run(new JvmCommand(c.java(), args, c.classPath(), c.mainClass()).argv(), tmp);
    assertEquals("false", line(out, "vector"), out);
    assertFalse(line(out, "jvmArgs").contains("jdk.incubator.vector"), out);
  }

  @Test
  void aJarStartedWithTheFlagWritesItIntoCommandAndRerunAndTheRerunHasTheModule() throws Exception {
    Path jar = probeJar();
    String java = JvmCommand.current(VectorProbeMain.class).java();
    Path runDir = tmp.resolve("run");
    String out = run(List.of(java, FLAG, "-Dai.djl.offline=true", "-jar", jar.toString(), "--run-dir", runDir.toString()), tmp);
    assertEquals("true", line(out, "vector"), out);
    assertEquals(JvmCommand.shellJoin(List.of(java, FLAG, "-Dai.djl.offline=true", "-jar", jar.toString())),
        line(out, "startedAs"), out);

    String command = Files.readString(runDir.resolve("command.txt"));
    assertTrue(command.contains(" " + FLAG + " -Dai.djl.offline=true -jar ") && command.contains(" --run-dir "), command);
    String rerun = Files.readString(runDir.resolve("rerun.sh"));
    assertTrue(rerun.contains(" " + FLAG + " -Dai.djl.offline=true -jar "), rerun);

    String again = run(List.of("bash", runDir.resolve("rerun.sh").toString()), tmp);
    assertEquals("true", line(again, "vector"), again);
    assertTrue(line(again, "startedAs").contains(" " + FLAG + " "), again);
  }

  /**
   * @return a jar whose manifest names {@link VectorProbeMain} and, as {@code Class-Path}, every
   *     entry of this JVM's class path (as {@code trainer.jar} names its dependencies)
   */
  private Path probeJar() throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, VectorProbeMain.class.getName());
    List<String> urls = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isBlank()) urls.add(Path.of(e).toAbsolutePath().toUri().toString());
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    Path jar = tmp.resolve("probe.jar");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
      j.flush();
    }
    return jar;
  }
}
