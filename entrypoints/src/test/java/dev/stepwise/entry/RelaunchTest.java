package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar trainer.jar} without {@code --add-modules=jdk.incubator.vector} re-launches
 * itself with it ({@link dev.stepwise.launch.Relaunch}), in real child JVMs on the repository's
 * conf tree: a tiny SFT with evaluation samples with the Java decoder, exit codes (0, a user
 * error's 2, a signal's 143) pass through, SIGTERM reaches the child, and printing commands,
 * {@code STEPWISE_NO_RELAUNCH=1} and {@code -Dstepwise.decoder=torch} stay in one JVM.
 *
 * <p>The jars are built here, as {@code trainer.jar} and {@code sampler.jar} in a temporary
 * directory whose manifest names the main class and, as {@code Class-Path}, this test's class
 * path: the shaded jars of {@code entrypoints/target} are only built in the {@code package}
 * phase, after the tests, so they could be stale here.
 */
class RelaunchTest {
  static final Path ROOT = TrainerMainTest.ROOT;
  static final String RELAUNCH_LINE = "re-launching in a child JVM with --add-modules=jdk.incubator.vector";
  static final String JAVA_DECODER_LINE = "sampling with the Java CPU decoder (Vector API)";
  static final String TORCH_DECODER_LINE = "sampling with the TorchScript decoder";

  @TempDir Path tmp;

  /** Output and exit code of a finished child JVM. */
  record Result(int code, String out) {}

  /** @return a jar named {@code name} that runs {@code main} on this test's class path */
  Path jar(String name, Class<?> main) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
    List<String> urls = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isBlank()) urls.add(Path.of(e).toAbsolutePath().toUri().toString());
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    Path jar = tmp.resolve(name);
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
      j.flush();
    }
    return jar;
  }

  /** @return {@code java [jvmOptions] -jar JAR args} as a user types it: no flag, no JVM options from the environment */
  ProcessBuilder command(Path jar, List<String> jvmOptions, List<String> args, Map<String, String> extraEnv) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (String k : List.of("STEPWISE_NO_RELAUNCH", "STEPWISE_RELAUNCHED", "STEPWISE_FULL_ERROR",
        "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
      env.remove(k);
    }
    env.putAll(extraEnv);
    return pb;
  }

  Result run(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish: " + pb.command());
    return new Result(p.exitValue(), out);
  }

  /** @return the arguments of a tiny SFT run with evaluation during training and a final test */
  List<String> tinySft(Path runDir, String... more) {
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft",
        "run.dir=" + runDir, "model.n_embd=32", "model.n_layer=1", "model.n_head=2", "task.num_train=200",
        "trainer.max_steps=4", "trainer.eval_steps=2", "trainer.save_steps=4", "trainer.progress_bar=false",
        "eval.num_problems=2", "eval.max_tokens=16", "test.num_problems=4"));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void plainJavaJarEvaluatesWithTheJavaDecoder() throws Exception {
    Path dir = tmp.resolve("run");
    Result r = run(command(jar("trainer.jar", TrainerMain.class), List.of(), tinySft(dir), Map.of()));
    assertEquals(0, r.code(), r.out());
    assertEquals(1, count(r.out(), RELAUNCH_LINE), r.out());
    assertTrue(r.out().contains(JAVA_DECODER_LINE), r.out());
    assertFalse(r.out().contains(TORCH_DECODER_LINE), r.out());
    assertTrue(r.out().contains("Test accuracy: "), r.out());
    assertTrue(Files.readString(dir.resolve("metrics.jsonl")).contains("eval/accuracy"), "no evaluation metrics");
    String command = Files.readString(dir.resolve("command.txt"));
    assertTrue(command.contains(" --add-modules=jdk.incubator.vector -jar "), "the child records its flag: " + command);
  }

  @Test
  void stepwiseNoRelaunchKeepsTheTorchScriptDecoder() throws Exception {
    Path dir = tmp.resolve("run");
    Result r = run(command(jar("trainer.jar", TrainerMain.class), List.of(), tinySft(dir),
        Map.of("STEPWISE_NO_RELAUNCH", "1")));
    assertEquals(0, r.code(), r.out());
    assertFalse(r.out().contains(RELAUNCH_LINE), r.out());
    assertTrue(r.out().contains(TORCH_DECODER_LINE), r.out());
    assertFalse(r.out().contains(JAVA_DECODER_LINE), r.out());
    assertTrue(Files.readString(dir.resolve("metrics.jsonl")).contains("eval/accuracy"), "no evaluation metrics");
  }

  @Test
  void aUserErrorsExitCodeAndMessagePassThrough() throws Exception {
    Result r = run(command(jar("trainer.jar", TrainerMain.class), List.of(),
        tinySft(tmp.resolve("run"), "trainer.max_stepz=1"), Map.of()));
    assertEquals(2, r.code(), r.out());
    assertEquals(1, count(r.out(), RELAUNCH_LINE), r.out());
    assertEquals(1, count(r.out(), "Error: Could not override 'trainer.max_stepz': no such key."), r.out());
    assertFalse(r.out().contains("\tat "), "a user error prints no stack trace:\n" + r.out());
  }

  @Test
  void samplerJarRelaunchesToo() throws Exception {
    Result r = run(command(jar("sampler.jar", SamplerMain.class), List.of(),
        List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_sample", "sample.nope=1"), Map.of()));
    assertEquals(2, r.code(), r.out());
    assertEquals(1, count(r.out(), RELAUNCH_LINE), r.out());
    assertTrue(r.out().contains("Error: Could not override 'sample.nope'"), r.out());
  }

  @Test
  void theTorchDecoderAndPrintingCommandsStayInOneJvm() throws Exception {
    Path trainer = jar("trainer.jar", TrainerMain.class);
    Result torch = run(command(trainer, List.of("-Dstepwise.decoder=torch"),
        tinySft(tmp.resolve("run"), "trainer.max_stepz=1"), Map.of()));
    assertEquals(2, torch.code(), torch.out());
    assertFalse(torch.out().contains(RELAUNCH_LINE), torch.out());
    Result cfg = run(command(trainer, List.of(), List.of("-cp", "conf/exp/sft/arith", "-cn", "tiny_sft", "--cfg", "job"), Map.of()));
    assertEquals(0, cfg.code(), cfg.out());
    assertTrue(cfg.out().lines().anyMatch(l -> l.startsWith("objective=sft")), cfg.out());
    assertFalse(cfg.out().contains(RELAUNCH_LINE), cfg.out());
    assertFalse(cfg.out().contains("WARNING: Using incubator modules"), "--cfg ran in a JVM with the module:\n" + cfg.out());
  }

  @Test
  void sigtermReachesTheChildAndItsExitCodeComesBack() throws Exception {
    Process p = command(jar("trainer.jar", TrainerMain.class), List.of(),
        tinySft(tmp.resolve("run"), "trainer.max_steps=1000000", "trainer.eval_steps=1000000"), Map.of()).start();
    List<String> lines = new ArrayList<>();
    CountDownLatch training = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(l);
          }
          if (l.contains("Trainer - training")) training.countDown();
        }
      } catch (java.io.IOException e) {
        // the stream closes when the process ends
      }
    });
    reader.start();
    try {
      assertTrue(training.await(120, TimeUnit.SECONDS), "training did not start: " + lines);
      List<ProcessHandle> children = p.toHandle().children().toList();
      assertEquals(1, children.size(), "one child JVM: " + children);
      ProcessHandle child = children.get(0);
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the parent did not end on SIGTERM");
      assertEquals(143, p.exitValue(), String.join("\n", lines));
      assertFalse(child.isAlive(), "the parent exited before its child");
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(10_000);
    }
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }
}
