package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs the real bash completion ({@code scripts/completion/stepwise.bash}) on the case suite's conf tree. */
class CompletionScriptTest {
  static final Path SCRIPT = Path.of("../scripts/completion/stepwise.bash");
  static final String CP = "src/test/cli-cases/conf";

  private static String complete(String... words) throws Exception {
    return completeWith("_stepwise_complete", words);
  }

  /** Runs the completion function {@code fn} on {@code words} (the last one is completed). */
  private static String completeWith(String fn, String... words) throws Exception {
    StringBuilder sh = new StringBuilder("source " + SCRIPT + "\nCOMP_WORDS=(");
    for (String w : words) sh.append("'").append(w).append("' ");
    sh.append(")\nCOMP_CWORD=").append(words.length - 1).append("\n").append(fn).append("\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
    Process p = new ProcessBuilder("bash", "-c", sh.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }

  @Test
  void completesGroupsOptionsListsAndFlags() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "bash is not installed");
    assertTrue(Files.isRegularFile(SCRIPT));
    assertEquals(String.join("\n", List.of("db=", "db/driver=", "experiment=", "extra=", "server=", "tracker=")),
        complete("stepwise-trainer", "-cp", CP, ""));
    assertEquals("+server=", complete("stepwise-trainer", "-cp", CP, "+se"));
    assertEquals("db=mysql\ndb=postgres\ndb=null", complete("stepwise-trainer", "-cp", CP, "db="));
    assertEquals("tracker=[console,jsonl\ntracker=[console,wandb",
        complete("stepwise-trainer", "-cp", CP, "tracker=[console,"));
    assertEquals("experiment=fast", complete("stepwise-trainer", "-cp", CP, "experiment=f"));
    assertEquals("config-groups", complete("stepwise-trainer", "--info", "c"));
    assertEquals("job\nall", complete("stepwise-trainer", "--cfg", ""));
    assertEquals("mandatory", complete("stepwise-trainer", "-cp", CP, "-cn", "ma"));
    assertEquals("--multirun", complete("stepwise-trainer", "--mu"));
  }

  @Test
  void completesJavaJarAfterJvmOptions() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "bash is not installed");
    // bash splits --add-modules=jdk.incubator.vector (and -D...=...) at '=' (COMP_WORDBREAKS) into three words
    assertEquals("db=mysql\ndb=postgres\ndb=null", completeWith("_stepwise_java", "java", "--add-modules", "=",
        "jdk.incubator.vector", "-Dai.djl.offline", "=", "true", "-jar", "x/trainer.jar", "-cp", CP, "db="));
    assertEquals("db=mysql\ndb=postgres\ndb=null", completeWith("_stepwise_java", "java", "-jar", "x/sampler.jar", "-cp", CP, "db="));
  }
}
