package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Safetensors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading Llama-family Hugging Face directories: names, shapes and config fields
 * survive a save; the hub cache layout resolves; bad directories give one {@link UserError}
 * naming the file and the key or tensor.
 */
class LlamaCheckpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void saveKeepsHuggingFaceNamesShapesAndConfigFields() throws Exception {
    Path in = PythonReference.make(tmp.resolve("in"), "qwen2", "BF16", 5, 1);
    Path out = tmp.resolve("out");
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = ModelCheckpoint.load(in, m);
      ModelCheckpoint.save(out, lm, null);
      Map<String, NDArray> a = Safetensors.read(in.resolve("model.safetensors"), m);
      Map<String, NDArray> b = Safetensors.read(out.resolve("model.safetensors"), m);
      assertEquals(a.keySet(), b.keySet(), "tensor names");
      for (String k : a.keySet()) {
        assertEquals(a.get(k).getShape(), b.get(k).getShape(), k);
        assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k + ": BF16 widens exactly to float32");
      }
      JsonNode ci = JSON.readTree(in.resolve("config.json").toFile());
      JsonNode co = JSON.readTree(out.resolve("config.json").toFile());
      for (Iterator<String> it = ci.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("torch_dtype")) {
          assertEquals(ci.get(k), co.get(k), "config.json field " + k);
        }
      }
      assertEquals("float32", co.get("torch_dtype").asText());
      CausalLM again = ModelCheckpoint.load(out, m);
      NDArray ids = m.create(new long[][] {{1, 2, 3, 4}});
      assertArrayEquals(lm.logits(lm.hiddenStates(ids, null)).toFloatArray(),
          again.logits(again.hiddenStates(ids, null)).toFloatArray(), 0f);
    }
  }

  @Test
  void hubCacheLayoutResolvesToTheSnapshotOfRefsMain() throws Exception {
    Path model = PythonReference.make(tmp.resolve("m"), "mha", "F32", 1, 1);
    Path entry = tmp.resolve("models--org--tiny");
    Path snap = entry.resolve("snapshots").resolve("0123abcd");
    Files.createDirectories(snap);
    try (Stream<Path> s = Files.list(model)) {
      for (Path f : s.toList()) {
        Files.copy(f, snap.resolve(f.getFileName()));
      }
    }
    Files.createDirectories(entry.resolve("refs"));
    Files.writeString(entry.resolve("refs/main"), "0123abcd");
    Files.createDirectories(entry.resolve("snapshots/ffff0000")); // an older revision, not chosen
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(4, ModelCheckpoint.load(entry, m).config().nHead());
    }
  }

  @Test
  void unsupportedConfigValuesNameTheFileAndKey() throws Exception {
    Path dir = PythonReference.make(tmp.resolve("m"), "llama3", "F32", 2, 1);
    assertConfigError(dir, c -> c.put("model_type", "gemma"), "model_type 'gemma'");
    assertConfigError(dir, c -> c.put("hidden_act", "gelu"), "hidden_act 'gelu'");
    assertConfigError(dir, c -> ((ObjectNode) c.get("rope_scaling")).put("rope_type", "yarn"), "rope_scaling.rope_type 'yarn'");
    assertConfigError(dir, c -> c.put("num_key_value_heads", 3), "not a multiple of num_key_value_heads");
    assertConfigError(dir, c -> c.remove("hidden_size"), "'hidden_size' is missing");
  }

  @Test
  void shapeMismatchMissingShardAndTruncationNameTheFile() throws Exception {
    Path dir = PythonReference.make(tmp.resolve("m"), "qwen3", "BF16", 3, 2);
    ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    Files.writeString(dir.resolve("config.json"), c.deepCopy().put("intermediate_size", c.get("intermediate_size").asInt() + 1).toString());
    UserError e = loadError(dir);
    assertTrue(e.getMessage().contains("mlp.gate_proj.weight' has shape") && e.getMessage().contains(".safetensors"), e.getMessage());
    Files.writeString(dir.resolve("config.json"), c.toString());

    Path shard = dir.resolve("model-00002-of-00002.safetensors");
    Path moved = tmp.resolve("shard2");
    Files.move(shard, moved);
    e = loadError(dir);
    assertTrue(e.getMessage().contains("model.safetensors.index.json") && e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
    Files.move(moved, shard);

    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    e = loadError(dir);
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
  }

  private void assertConfigError(Path dir, java.util.function.Consumer<ObjectNode> edit, String expected) throws IOException {
    Path file = dir.resolve("config.json");
    String original = Files.readString(file);
    ObjectNode c = (ObjectNode) JSON.readTree(original);
    edit.accept(c);
    Files.writeString(file, c.toString());
    try {
      UserError e = loadError(dir);
      assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    } finally {
      Files.writeString(file, original);
    }
  }

  private static UserError loadError(Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      return assertThrows(UserError.class, () -> ModelCheckpoint.load(dir, m));
    }
  }
}
