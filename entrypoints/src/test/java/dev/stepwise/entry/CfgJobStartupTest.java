package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --cfg job} composes and prints the config without loading a single DJL class (so it
 * starts fast), checked in a fresh JVM with {@code -verbose:class}.
 */
class CfgJobStartupTest {
  @Test
  void cfgJobLoadsNoDjlClass() throws Exception {
    Path root = TrainerMainTest.ROOT;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
        TrainerMain.class.getName(), "-cp", root.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft", "--cfg", "job");
    Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("objective=sft")), "the config was not printed");
    assertTrue(lines.stream().anyMatch(l -> l.contains("dev.stepwise.config.Composer")), "-verbose:class printed nothing");
    List<String> djl = lines.stream().filter(l -> l.contains(" ai.djl.")).toList();
    assertEquals(List.of(), djl);
  }
}
