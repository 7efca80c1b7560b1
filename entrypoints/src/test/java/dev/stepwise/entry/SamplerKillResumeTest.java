package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampling job in real child JVMs ({@code SamplerMain} with the repository's {@code
 * tiny_sample} config and a random tiny GPT-2 checkpoint): one run uninterrupted; another killed
 * with SIGKILL ({@link Process#destroyForcibly()}) once it has written a few records, then re-run
 * on the same file; the re-run's file must hold exactly the uninterrupted run's records, in the
 * same order, without duplicates.
 */
class SamplerKillResumeTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final int PROBLEMS = 60;

  @TempDir Path tmp;

  Process start(Path out, String name) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx1g",
        "-cp", System.getProperty("java.class.path"),
        SamplerMain.class.getName(),
        "-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_sample",
        "sample.model_path=" + tmp.resolve("ckpt"),
        "sample.output_file=" + out,
        "sample.limit=" + PROBLEMS,
        "sample.batch_size=2",
        "sample.greedy=false",
        "api.vllm_params.max_tokens=40",
        "run.num_threads=1",
        "run.dir=" + tmp.resolve("run-" + name)));
    return new ProcessBuilder(cmd)
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile())
        .start();
  }

  String log(String name) throws Exception {
    return Files.readString(tmp.resolve(name + ".log"));
  }

  static long lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.count();
    }
  }

  @Test
  void reRunAfterKillMinus9GivesExactlyTheUninterruptedRecords() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 512, 0, 1e-5, 0.02), m, 9);
      ModelCheckpoint.save(tmp.resolve("ckpt"), model, tok);
    }
    Path ref = tmp.resolve("ref.jsonl");
    Process whole = start(ref, "ref");
    assertTrue(whole.waitFor(180, TimeUnit.SECONDS), "reference run hung");
    assertEquals(0, whole.exitValue(), log("ref"));
    List<String> expected = Files.readAllLines(ref);
    assertEquals(PROBLEMS, expected.size());

    Path out = tmp.resolve("killed.jsonl");
    Process victim = start(out, "killed");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines(out) < 5 && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertTrue(victim.isAlive(), "the run ended before it could be killed:\n" + log("killed"));
    victim.destroyForcibly(); // SIGKILL on Linux
    victim.waitFor(30, TimeUnit.SECONDS);
    assertEquals(137, victim.exitValue(), "not killed by SIGKILL");
    long atKill = lines(out);
    System.out.println("killed at " + atKill + " of " + PROBLEMS + " records");
    assertTrue(atKill >= 5 && atKill < PROBLEMS, "killed with " + atKill + " records");

    Process again = start(out, "resumed");
    assertTrue(again.waitFor(180, TimeUnit.SECONDS), "resumed run hung");
    assertEquals(0, again.exitValue(), log("resumed"));
    List<String> got = Files.readAllLines(out);
    assertEquals(expected, got, "resumed file differs from the uninterrupted one (killed at " + atKill + ")");
    ObjectMapper om = new ObjectMapper();
    var ids = new HashSet<String>();
    for (String line : got) {
      JsonNode n = om.readTree(line);
      assertTrue(ids.add(n.get("id").asText()), "duplicate " + n.get("id"));
      assertEquals(4, n.get("response").size());
    }
    assertTrue(log("resumed").contains("sample/pass@4"), log("resumed"));
    String cp = System.getProperty("java.class.path");
    assertTrue(cp.contains(File.pathSeparator) || cp.endsWith(".jar"), cp);
  }
}
