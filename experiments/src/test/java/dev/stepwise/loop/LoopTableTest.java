package dev.stepwise.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One Markdown row per iteration from the stages' summary lines. */
class LoopTableTest {
  @TempDir Path loop;

  @Test
  void lastSummaryWinsMissingIsADash() throws Exception {
    Files.createDirectories(loop.resolve("iter_1/pairs"));
    Files.writeString(loop.resolve("iter_1/pairs/metrics.jsonl"), String.join("\n",
        "{\"step\":1,\"pairs/pairs\":99}",
        "{\"summary\":true,\"pairs/pairs\":3}",
        "{\"summary\":true,\"pairs/pairs\":12,\"acc\":0.123456}",
        "{\"summary\":tr")); // a torn line of a killed job
    StageRefs refs = new StageRefs(loop, List.of(), List.of("pairs"), k -> null);
    String t = LoopTable.render(refs, 2, List.of(new LoopColumn("pairs", "pairs", "pairs/pairs"), new LoopColumn("acc", "pairs", "acc")));
    assertEquals("| iteration | pairs | acc |\n| ---: | ---: | ---: |\n| 1 | 12 | 0.1235 |\n| 2 | - | - |\n", t);
  }

  @Test
  void configMistakesAreCaught() {
    LoopStage ok = new LoopStage("a", "sampler", "c", "n", List.of(), null);
    assertThrows(dev.stepwise.config.UserError.class, () -> LoopJob.validate(
        new LoopConfig(0, null, null, null, List.of(), List.of(), List.of(ok), List.of()), "here"));
    assertThrows(dev.stepwise.config.UserError.class, () -> LoopJob.validate(
        new LoopConfig(1, null, null, null, List.of(), List.of(), List.of(ok, ok), List.of()), "here"));
    assertTrue(assertThrows(dev.stepwise.config.UserError.class, () -> LoopJob.validate(new LoopConfig(1, null, null, null, List.of(),
        List.of(), List.of(new LoopStage("a", "samplr", "c", "n", List.of(), null)), List.of()), "here")).getMessage().contains("sampler"));
    assertThrows(dev.stepwise.config.UserError.class, () -> LoopJob.validate(new LoopConfig(1, null, null, null, List.of(), List.of(),
        List.of(ok), List.of(new LoopColumn("x", "b", "k"))), "here"));
    LoopJob.validate(new LoopConfig(1, null, null, null, List.of(), List.of(), List.of(ok), List.of(new LoopColumn("x", "a", "k"))), "here");
  }
}
