package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
  private static final double LR = 1e-3;

  @Test
  void cosineWarmsUpLinearlyThenDecaysToTheFloor() {
    LrSchedule s = new LrSchedule("cosine", LR, 10, 110, 0.0);
    assertEquals(0.0, s.lr(0), 1e-15); // HF: the first update uses rate 0 during warm-up
    assertEquals(LR * 0.5, s.lr(5), 1e-15);
    assertEquals(LR * 0.9, s.lr(9), 1e-15);
    assertEquals(LR, s.lr(10), 1e-15); // peak at the end of warm-up
    assertEquals(LR * 0.5, s.lr(60), 1e-15); // half-way through the decay: cos(pi/2) = 0
    assertEquals(LR * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.lr(35), 1e-15);
    assertEquals(0.0, s.lr(110), 1e-15);
    LrSchedule floor = new LrSchedule("cosine", LR, 10, 110, 0.1);
    assertEquals(LR * (0.1 + 0.9 * 0.5), floor.lr(60), 1e-15);
    assertEquals(LR * 0.1, floor.lr(110), 1e-15);
    assertEquals(LR, floor.lr(10), 1e-15);
  }

  @Test
  void linearConstantAndConstantWithWarmup() {
    LrSchedule lin = new LrSchedule("linear", LR, 4, 20, 0);
    assertEquals(LR * 0.25, lin.lr(1), 1e-15);
    assertEquals(LR, lin.lr(4), 1e-15);
    assertEquals(LR * 8 / 16.0, lin.lr(12), 1e-15);
    assertEquals(LR / 16.0, lin.lr(19), 1e-15);
    assertEquals(0.0, lin.lr(20), 1e-15);
    assertEquals(0.0, lin.lr(25), 1e-15); // never negative past the end
    LrSchedule c = new LrSchedule("constant", LR, 4, 20, 0);
    assertEquals(LR, c.lr(0), 0); // constant ignores warm-up, as HF's get_constant_schedule
    assertEquals(LR, c.lr(19), 0);
    LrSchedule cw = new LrSchedule("constant_with_warmup", LR, 4, 20, 0);
    assertEquals(LR * 0.5, cw.lr(2), 1e-15);
    assertEquals(LR, cw.lr(4), 0);
    assertEquals(LR, cw.lr(19), 0);
  }

  @Test
  void warmupStepsWinOverRatioAndRatioRoundsUp() {
    OptimConfig ratio = TinyModels.optimConfig("lr = 1e-3, lr_scheduler_type = linear, warmup_ratio = 0.1");
    assertEquals(11, LrSchedule.of(ratio, 101).warmupSteps()); // ceil(10.1)
    OptimConfig both = TinyModels.optimConfig("lr = 1e-3, warmup_ratio = 0.1, warmup_steps = 3");
    assertEquals(3, LrSchedule.of(both, 101).warmupSteps());
    assertEquals(1e-3 / 3, LrSchedule.of(both, 101).lr(1), 1e-15);
  }

  @Test
  void unknownTypeIsAUserErrorWithSuggestion() {
    UserError e = assertThrows(UserError.class, () -> new LrSchedule("cosin", LR, 0, 10, 0));
    assertTrue(e.getMessage().contains("did you mean 'cosine'"), e.getMessage());
    assertThrows(UserError.class, () -> TinyModels.optimConfig("lr_scheduler_type = polynomial"));
  }
}
