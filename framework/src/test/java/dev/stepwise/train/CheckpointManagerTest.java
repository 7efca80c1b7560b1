package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {
  @TempDir Path out;

  static TrainerState state(long step) {
    return new TrainerState(step, step / 10.0, 0, (int) step, step * 4, 100, 1, null, null,
        List.of(Map.of("loss", 1.0, "step", step)), true);
  }

  @Test
  void onlyCompleteCheckpointsCountAndRotationKeepsNewestAndBest() throws Exception {
    CheckpointManager cm = new CheckpointManager(out);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("w", w);
      try (AdamW opt = new AdamW(params, 0.9, 0.999, 1e-8, 0)) {
        ParameterCheckpoint model = new ParameterCheckpoint(params);
        for (long s : new long[] {2, 4, 6, 8}) {
          cm.save(model, opt, state(s));
        }
        // a crash while writing checkpoint-10: files but no trainer_state.json
        Files.createDirectories(cm.dir().resolve("checkpoint-10"));
        Files.writeString(cm.dir().resolve("checkpoint-10/optimizer.safetensors"), "x");
        // and one whose state says incomplete
        Files.createDirectories(cm.dir().resolve("checkpoint-12"));
        Files.writeString(cm.dir().resolve("checkpoint-12/trainer_state.json"), "{\"global_step\":12,\"complete\":false}");
        assertEquals(cm.dir().resolve("checkpoint-8"), cm.latestComplete().orElseThrow());
        assertEquals(cm.dir().resolve("checkpoint-8"), cm.resolveResume("auto").orElseThrow());
        assertTrue(cm.resolveResume("never").isEmpty());
        UserError e = assertThrows(UserError.class,
            () -> cm.resolveResume(cm.dir().resolve("checkpoint-10").toString()));
        assertTrue(e.getMessage().contains("checkpoint-8"), e.getMessage());
        assertEquals(4, CheckpointManager.readState(cm.dir().resolve("checkpoint-4")).orElseThrow().globalStep());

        // checkpoint-2 is the best model; 4 and 6 go; incomplete 10 and 12 (newer than the
        // newest complete one) are left for the run to overwrite
        cm.rotate(2, cm.dir().resolve("checkpoint-2"));
        try (Stream<Path> s = Files.list(cm.dir())) {
          assertEquals(List.of("checkpoint-10", "checkpoint-12", "checkpoint-2", "checkpoint-8"),
              s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        cm.rotate(1, null);
        assertEquals(List.of(cm.dir().resolve("checkpoint-8")), cm.complete());
      }
    }
  }

  @Test
  void parameterCheckpointRestoresValuesInPlace() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, 8, 4, 4, 1);
      Map<String, float[]> saved = TinyModels.snapshot(p);
      ParameterCheckpoint ck = new ParameterCheckpoint(p);
      ck.save(out);
      Map<String, NDArray> other = TinyModels.mlpParams(m, 8, 4, 4, 2);
      NDArray sameObject = other.get("lm_head.weight");
      new ParameterCheckpoint(other).load(out);
      assertSame(sameObject, other.get("lm_head.weight"));
      for (String k : saved.keySet()) {
        assertArrayEquals(saved.get(k), other.get(k).toFloatArray(), k);
        assertTrue(other.get(k).hasGradient(), k + " still trainable");
      }
      Map<String, NDArray> wrong = TinyModels.mlpParams(m, 9, 4, 4, 1);
      UserError e = assertThrows(UserError.class, () -> new ParameterCheckpoint(wrong).load(out));
      assertTrue(e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
    }
  }
}
