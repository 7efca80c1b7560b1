package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code console} block of {@code docs/config.md}: the first line is
 * {@code $ trainer ARGS}, the rest the exact output (stdout, then stderr). Paths below
 * {@code framework/} are taken relative to this module, where the tests run.
 */
class DocExamplesTest {
  static final Path DOC = Path.of("../docs/config.md");

  @TestFactory
  Stream<DynamicTest> everyConsoleBlock() throws Exception {
    List<String> lines = Files.readAllLines(DOC);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```console")) continue;
      String cmd = lines.get(i + 1);
      StringBuilder expected = new StringBuilder();
      int j = i + 2;
      for (; !lines.get(j).equals("```"); j++) expected.append(lines.get(j)).append('\n');
      String want = expected.toString().replace("framework/src/test/", "src/test/").strip();
      tests.add(DynamicTest.dynamicTest("docs/config.md:" + (i + 2), () -> check(cmd, want)));
      i = j;
    }
    assertTrue(tests.size() >= 5, "docs/config.md lost its tested examples");
    return tests.stream();
  }

  private static void check(String cmd, String want) {
    assertTrue(cmd.startsWith("$ trainer "), cmd);
    List<String> args = CliCasesTest.split(cmd.substring("$ trainer ".length()).replace("framework/src/test/", "src/test/"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = Cli.run("trainer", args.toArray(String[]::new), c -> { }, new CliIo(ps, ps, Map.of(), Path.of("").toAbsolutePath()));
    String got = out.toString(StandardCharsets.UTF_8).strip();
    assertEquals(want, got, cmd);
    assertEquals(want.startsWith("Error: ") ? 2 : 0, code, cmd);
  }
}
