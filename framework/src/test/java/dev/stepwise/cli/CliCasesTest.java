package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.ComposedConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The table-driven command-line suite: every case of {@code src/test/cli-cases/cases.txt} runs
 * {@link Cli#run} on the real conf tree {@code src/test/cli-cases/conf} and checks either the
 * whole composed, resolved config ({@code {...}}: equal as a tree), the exact one-line error
 * ({@code ! Error: ...}, exit code 2) or the exact standard output ({@code > ...} lines).
 *
 * <p>File format: {@code == name} starts a case, {@code $ ARGS} gives the arguments (split on
 * spaces; a single-quoted group keeps its spaces and loses the quotes, as a shell would), then
 * the expectation. With {@code -cn typed} the job binds {@code trainer} to a record, so binding
 * errors (type, missing and unknown keys) are checked too. {@code -cp src/test/cli-cases/conf} is prepended unless the case gives
 * {@code -cp}. Lines starting with {@code #} outside expectations are comments.
 */
class CliCasesTest {
  static final Path DIR = Path.of("src/test/cli-cases");

  record Case(String name, List<String> args, String kind, String expected) {}

  /** Jobs of {@code -cn typed} bind {@code trainer} to this record, so binding errors are cases too. */
  enum Mode { SFT, DPO }

  record Trainer(int maxSteps, double lr, Mode mode) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    String name = null;
    List<String> args = null;
    String kind = null;
    StringBuilder exp = new StringBuilder();
    for (String line : Files.readAllLines(DIR.resolve("cases.txt"))) {
      if (line.startsWith("== ")) {
        if (name != null) out.add(new Case(name, args, kind, exp.toString().strip()));
        name = line.substring(3).strip();
        args = null;
        kind = null;
        exp.setLength(0);
      } else if (line.startsWith("$ ") || line.equals("$")) {
        args = split(line.substring(1).strip());
      } else if (line.startsWith("! ")) {
        kind = "error";
        exp.append(line.substring(2));
      } else if (line.startsWith(">")) {
        kind = "out";
        exp.append(line.length() > 2 ? line.substring(2) : "").append('\n');
      } else if (kind == null && line.startsWith("{")) {
        kind = "config";
        exp.append(line).append('\n');
      } else if ("config".equals(kind)) {
        exp.append(line).append('\n');
      }
    }
    if (name != null) out.add(new Case(name, args, kind, exp.toString().strip()));
    return out;
  }

  /** Splits on spaces; 'single' or "double" quotes group words and are removed, like a shell (no escapes). */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char q = 0;
    boolean any = false;
    for (char c : s.toCharArray()) {
      if ((c == '\'' || c == '"') && q == 0) {
        q = c;
        any = true;
      } else if (c == q) {
        q = 0;
      } else if (c == ' ' && q == 0) {
        if (any) out.add(cur.toString());
        cur.setLength(0);
        any = false;
      } else {
        cur.append(c);
        any = true;
      }
    }
    if (any) out.add(cur.toString());
    return out;
  }

  @Test
  void theSuiteHasAtLeastSixtyCases() throws IOException {
    assertTrue(cases().size() >= 60, "only " + cases().size() + " cases");
  }

  @TestFactory
  Stream<DynamicTest> everyCase() throws IOException {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Case c) {
    assertTrue(c.args() != null && c.kind() != null, "case '" + c.name() + "' lacks '$ args' or an expectation");
    List<String> args = new ArrayList<>();
    if (!c.args().contains("-cp")) args.addAll(List.of("-cp", DIR.resolve("conf").toString()));
    args.addAll(c.args());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicReference<ComposedConfig> ran = new AtomicReference<>();
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("HOME_DIR", "/home/u"), Path.of("").toAbsolutePath());
    boolean typed = c.args().contains("typed");
    int code = Cli.run("app", args.toArray(String[]::new), cfg -> {
      if (typed) cfg.bind("trainer", Trainer.class);
      ran.set(cfg);
    }, io);
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8).strip();
    switch (c.kind()) {
      case "error" -> {
        assertEquals(c.expected(), stderr, c.name());
        assertEquals(2, code, c.name());
      }
      case "out" -> {
        assertEquals(0, code, c.name() + ": " + stderr);
        assertEquals(c.expected(), stdout.strip(), c.name());
      }
      default -> {
        assertEquals(0, code, c.name() + ": " + stderr);
        Object want = ConfigFactory.parseString(c.expected()).resolve().root().unwrapped();
        assertEquals(want, ran.get().config().root().unwrapped(), c.name());
      }
    }
  }
}
