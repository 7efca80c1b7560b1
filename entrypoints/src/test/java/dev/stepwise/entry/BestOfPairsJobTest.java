package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sampler.jar job=pairs} with {@code pairs.builder=best_of} through the real entry point
 * and {@code conf/exp/sample/arith/tiny_best_of_pairs.conf}: a hand-made predictions file in,
 * best-of pairs out; a misspelt key is a did-you-mean error.
 */
class BestOfPairsJobTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  CliIo io() {
    return new CliIo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(System.getenv()), ROOT);
  }

  static String[] args(String... rest) {
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(),
        "-cn", "tiny_best_of_pairs", "task.num_train=4", "task.num_test=2"));
    a.addAll(List.of(rest));
    return a.toArray(String[]::new);
  }

  @Test
  void buildsBestOfPairsFromAPredictionsFile() throws Exception {
    Path pred = tmp.resolve("predictions.jsonl");
    Files.writeString(pred,
        "{\"id\":\"p\",\"prompt\":\"Q\\n\",\"label\":\"5\",\"response\":[\"c1\",\"w1\",\"c2\",\"w2\"],"
            + "\"pred\":[\"5\",\"4\",\"5\",\"6\"],\"correct\":[true,false,true,false],"
            + "\"step_probs\":[[0.4],[0.3],[0.9],[0.6]],"
            + "\"rewards\":{\"product\":[0.4,0.3,0.9,0.6],\"min\":[0.4,0.3,0.9,0.6],"
            + "\"sum\":[0.4,0.3,0.9,0.6],\"last\":[0.4,0.3,0.9,0.6]}}\n");
    Path out = tmp.resolve("pairs.jsonl");
    int rc = SamplerMain.run(args("run.dir=" + tmp.resolve("run"), "pairs.predictions_file=" + pred,
        "pairs.output_file=" + out, "pairs.best_of=1", "pairs.max_neg_num=1", "pairs.pos_margin=0.3"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    List<String> lines = Files.readAllLines(out);
    assertEquals(2, lines.size(), String.join("\n", lines));
    JsonNode a = JSON.readTree(lines.get(0));
    assertEquals("c2", a.get("chosen").asText());
    assertEquals("w2", a.get("rejected").asText(), "the highest-reward incorrect response");
    assertTrue(a.get("is_full").asBoolean());
    assertEquals(0.9, a.get("chosen_reward").asDouble(), 1e-9);
    assertEquals(0.6, a.get("rejected_reward").asDouble(), 1e-9);
    JsonNode b = JSON.readTree(lines.get(1));
    assertEquals("c1", b.get("rejected").asText(), "correct-vs-correct pair, gap 0.5 > 0.3");
  }

  @Test
  void misspeltKeyIsADidYouMeanError() {
    int rc = SamplerMain.run(args("run.dir=" + tmp.resolve("bad"), "pairs.predictions_file=x.jsonl",
        "+pairs.max_neg=3"), io());
    assertNotEquals(0, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("max_neg_num"), err.toString(StandardCharsets.UTF_8));
  }
}
