package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every config the repository ships composes: each primary config under {@code conf/exp} through
 * the trainer's {@code --cfg job} (defaults list, groups, interpolation left unresolved, so
 * mandatory {@code "???"} values may stay unset), and every group option under {@code conf/}
 * (e.g. {@code conf/model/hf.conf}) parses. A syntax error in a config no test runs would
 * otherwise reach a user first.
 */
class ShippedConfigsTest {
  static final Path ROOT = TrainerMainTest.ROOT;

  @Test
  void everyExperimentConfigComposes() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Path> primaries = confFiles(ROOT.resolve("conf/exp"));
    assertTrue(primaries.size() > 30, "expected the shipped experiment configs, found " + primaries.size());
    for (Path f : primaries) {
      String name = f.getFileName().toString().replaceFirst("\\.conf$", "");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Map<String, String> env = new HashMap<>(System.getenv());
      env.remove("STEPWISE_FULL_ERROR");
      CliIo io = new CliIo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), env, ROOT);
      int rc = TrainerMain.run(new String[] {"-cp", f.getParent().toString(), "-cn", name, "--cfg", "job"}, io);
      if (rc != 0) {
        failures.add(ROOT.relativize(f) + " (exit " + rc + "): " + err.toString(StandardCharsets.UTF_8).strip());
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyGroupOptionParses() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Path> all = confFiles(ROOT.resolve("conf"));
    for (Path f : all) {
      try {
        com.typesafe.config.ConfigFactory.parseFile(f.toFile(),
            com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (com.typesafe.config.ConfigException e) {
        failures.add(ROOT.relativize(f) + ": " + e.getMessage());
      }
    }
    assertTrue(all.size() > 50, "expected the shipped configs, found " + all.size());
    assertEquals(List.of(), failures);
  }

  private static List<Path> confFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
  }
}
