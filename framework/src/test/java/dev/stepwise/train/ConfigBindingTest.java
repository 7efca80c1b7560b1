package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import org.junit.jupiter.api.Test;

class ConfigBindingTest {
  @Test
  void snakeCaseKeysBindAndMissingKeysTakeHuggingFaceDefaults() {
    TrainerConfig t = TinyModels.trainerConfig(
        "max_steps = 50, per_device_train_batch_size = 4, gradient_accumulation_steps = 2,"
            + " save_total_limit = 3, resume = never, progress_bar = false");
    assertEquals(50L, t.maxSteps());
    assertEquals(4, t.perDeviceTrainBatchSize());
    assertEquals(2, t.gradientAccumulationSteps());
    assertEquals(3, t.saveTotalLimit());
    assertEquals("never", t.resume());
    assertFalse(t.progressBar());
    assertEquals(1.0, t.maxGradNorm()); // defaults
    assertEquals(3.0, t.numTrainEpochs());
    assertEquals(42L, t.seed());
    assertEquals(TrainerConfig.defaults().loggingSteps(), t.loggingSteps());

    OptimConfig o = TinyModels.optimConfig("lr = 3e-4, lr_scheduler_type = cosine, adam_beta2 = 0.95");
    assertEquals(3e-4, o.lr());
    assertEquals("cosine", o.lrSchedulerType());
    assertEquals(0.95, o.adamBeta2());
    assertEquals(0.9, o.adamBeta1());
    assertEquals(1e-8, o.adamEpsilon());
    assertEquals("adamw", o.name());
  }

  @Test
  void unknownKeysAndBadValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> TinyModels.trainerConfig("max_stepz = 5"));
    UserError e = assertThrows(UserError.class,
        () -> TinyModels.trainerConfig("gradient_accumulation_steps = 0"));
    assertTrue(e.getMessage().contains("trainer.gradient_accumulation_steps"), e.getMessage());
    assertThrows(UserError.class, () -> TinyModels.optimConfig("name = sgd"));
    assertThrows(UserError.class, () -> TinyModels.optimConfig("lr = -1"));
    assertThrows(UserError.class, () -> TinyModels.optimConfig("warmup_ratio = 1.5"));
  }
}
