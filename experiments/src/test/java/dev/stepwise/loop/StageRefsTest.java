package dev.stepwise.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's placeholders: directories, checkpoints of finished stages, skipped stages. */
class StageRefsTest {
  @TempDir Path loop;

  StageRefs refs(String... models) {
    return new StageRefs(loop, List.of("sft"), List.of("sample", "dpo"), k -> k <= models.length ? models[k - 1] : null);
  }

  static void checkpoint(Path stage, int step, String sub) throws Exception {
    Path ck = stage.resolve("checkpoints/checkpoint-" + step);
    Files.createDirectories(ck.resolve(sub));
    Files.writeString(ck.resolve("trainer_state.json"), "{\"global_step\":" + step + ",\"complete\":true}");
    Files.writeString(ck.resolve(sub).resolve("config.json"), "{}");
  }

  @Test
  void directoriesIterationsAndModel() {
    StageRefs r = refs("M1", "M2");
    Path dir = loop.resolve("iter_2/dpo");
    assertEquals("m=M2 it=2 prev=1 d=" + dir + " s=" + loop.resolve("iter_2/sample") + " p=" + loop.resolve("iter_1/sample")
            + " s0=" + loop.resolve("setup/sft") + " j=" + loop.resolve("iter_1/dpo") + " x={not:a,ref}",
        r.fill("m={model} it={iter} prev={prev_iter} d={dir} s={stage:sample} p={stage:prev/sample} s0={stage:setup/sft}"
            + " j={stage:iter_1/dpo} x={not:a,ref}", 2, dir, "t"));
    assertEquals(loop.resolve("setup/sft").toString(), r.fill("{stage:sft}", 0, null, "t"), "a bare name in setup is a setup stage");
  }

  @Test
  void mistakesAreUserErrors() {
    StageRefs r = refs("M1");
    assertTrue(assertThrows(UserError.class, () -> r.fill("{stage:smaple}", 1, null, "iter_1/x")).getMessage().contains("sample"));
    assertThrows(UserError.class, () -> r.fill("{stage:prev/sample}", 1, null, "t"));
    assertThrows(UserError.class, () -> r.fill("{model}", 0, null, "t"));
    assertThrows(UserError.class, () -> r.fill("{model}", 2, null, "t"), "no model for iteration 2");
    assertThrows(UserError.class, () -> r.fill("{dir}", 1, null, "t"));
    assertThrows(UserError.class, () -> r.fill("{stage:later/sample}", 1, null, "t"));
    assertThrows(UserError.class, () -> r.fill("{ckpt:dpo}", 1, null, "t"), "dpo has not finished");
  }

  @Test
  void checkpointOfAFinishedStageAndModelOfASkippedOne() throws Exception {
    StageRefs r = refs("M1", "M2");
    Path sft = loop.resolve("setup/sft");
    checkpoint(sft, 5, "x");
    checkpoint(sft, 60, "actor");
    Files.writeString(sft.resolve(StageRefs.DONE), "done\n");
    assertEquals(sft.resolve("checkpoints/checkpoint-60/actor").toString(), r.fill("{ckpt:setup/sft}", 1, null, "t"));
    Path dpo = loop.resolve("iter_1/dpo");
    Files.createDirectories(dpo);
    Files.writeString(dpo.resolve(StageRefs.DONE), "skipped: no pairs\n");
    assertEquals("M1", r.fill("{ckpt:prev/dpo}", 2, null, "t"), "a skipped stage trained nothing: its iteration's model");
    Path sample = loop.resolve("iter_1/sample");
    Files.createDirectories(sample);
    Files.writeString(sample.resolve(StageRefs.DONE), "done\n");
    assertThrows(UserError.class, () -> r.fill("{ckpt:sample}", 1, null, "t"), "no checkpoint in a sampler stage");
  }
}
