package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tensors of a Hugging Face model directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists in its {@code weight_map} (tensor name to shard file
 * name), read shard by shard.
 *
 * <p>Errors name the file: a directory with neither file (or with only PyTorch pickles, which
 * Stepwise does not unpickle), an index that is not JSON or has no {@code weight_map}, a shard
 * named in the index but absent, a tensor the index places in a shard that lacks it.
 */
public final class HfWeights {
  /** Single-file weights. */
  public static final String SINGLE = "model.safetensors";
  /** Index of sharded weights. */
  public static final String INDEX = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HfWeights() {}

  /** A tensor and the file it came from. */
  public record Tensor(NDArray array, Path file) {}

  /**
   * @param dir a model directory
   * @param m owns the arrays
   * @return every tensor by name, in file order (shards in the index's order of first mention)
   * @throws UserError when files are missing or inconsistent (see the class comment)
   * @throws IOException when a file cannot be read
   */
  public static Map<String, Tensor> read(Path dir, NDManager m) throws IOException {
    Path single = dir.resolve(SINGLE);
    Path index = dir.resolve(INDEX);
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (Files.isRegularFile(single)) {
      Safetensors.read(single, m).forEach((k, v) -> out.put(k, new Tensor(v, single)));
      return out;
    }
    if (!Files.isRegularFile(index)) {
      String hint = Files.exists(dir.resolve("pytorch_model.bin")) || Files.exists(dir.resolve("pytorch_model.bin.index.json"))
          ? " (only PyTorch .bin weights are there: Stepwise reads safetensors; convert them with"
              + " transformers' save_pretrained(safe_serialization=True))"
          : "";
      throw new UserError(single + ": missing; the model directory has neither " + SINGLE + " nor " + INDEX + hint);
    }
    Map<String, List<String>> byShard = shards(index);
    for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
      Path shard = dir.resolve(e.getKey());
      if (!Files.isRegularFile(shard)) {
        throw new UserError(index + ": shard '" + e.getKey() + "' (holding '" + e.getValue().get(0) + "' and "
            + (e.getValue().size() - 1) + " more) is missing from " + dir);
      }
      Map<String, NDArray> tensors = Safetensors.read(shard, m);
      for (String name : e.getValue()) {
        if (!tensors.containsKey(name)) {
          throw new UserError(shard + ": tensor '" + name + "' is listed in " + INDEX + " but not in this shard");
        }
      }
      tensors.forEach((k, v) -> out.put(k, new Tensor(v, shard)));
    }
    return out;
  }

  /** @return shard file name to the tensor names the index places there, in order of first mention */
  private static Map<String, List<String>> shards(Path index) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(index.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(index + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    JsonNode map = n.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new UserError(index + ": key 'weight_map' is missing or empty");
    }
    Map<String, List<String>> byShard = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText("");
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
        throw new UserError(index + ": weight_map['" + e.getKey() + "'] is not a shard file name: " + e.getValue());
      }
      byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.getKey());
    }
    return byShard;
  }

  /** @return the names of {@code m} sorted, for messages */
  static List<String> sorted(Map<String, ?> m) {
    return new ArrayList<>(new TreeMap<>(m).keySet());
  }
}
