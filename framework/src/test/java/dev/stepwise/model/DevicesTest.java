package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.config.UserError;
import dev.stepwise.run.RunSettings;
import org.junit.jupiter.api.Test;

/** {@code run.device} / {@code run.precision}: the decision, its errors, and the engine default it sets. */
class DevicesTest {
  @Test
  void autoFollowsTheGpuCountAndCudaNeedsAGpu() {
    assertEquals(Device.cpu(), Devices.resolve("auto", 0));
    assertEquals(Device.gpu(0), Devices.resolve("auto", 2));
    assertEquals(Device.cpu(), Devices.resolve("cpu", 1));
    assertEquals(Device.gpu(0), Devices.resolve("cuda", 1));
    UserError e = assertThrows(UserError.class, () -> Devices.resolve("cuda", 0));
    assertTrue(e.getMessage().contains("-Pcuda") && e.getMessage().contains("run.device=cpu"), e.getMessage());
  }

  @Test
  void halfPrecisionOnlyOnCuda() {
    assertEquals(DataType.FLOAT32, Devices.computeType("fp32", Device.cpu()));
    assertEquals(DataType.FLOAT16, Devices.computeType("fp16", Device.gpu(0)));
    UserError e = assertThrows(UserError.class, () -> Devices.computeType("fp16", Device.cpu()));
    assertTrue(e.getMessage().contains("CUDA only"), e.getMessage());
    e = assertThrows(UserError.class, () -> Devices.computeType("bf16", Device.gpu(0)));
    assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
  }

  @Test
  void settingsValidateWithDidYouMean() {
    RunSettings d = new RunSettings(null, 0);
    assertEquals("auto", d.device());
    assertEquals("fp32", d.precision());
    assertEquals("cuda", new RunSettings(null, 0, "CUDA", "bf16", null, null).device());
    UserError e = assertThrows(UserError.class, () -> new RunSettings(null, 0, "cdua", null, null, null));
    assertTrue(e.getMessage().contains("Did you mean 'cuda'?"), e.getMessage());
    e = assertThrows(UserError.class, () -> new RunSettings(null, 0, null, "bf61", null, null));
    assertTrue(e.getMessage().contains("Did you mean 'bf16'?"), e.getMessage());
  }

  @Test
  void selectSetsTheEngineDefaultOnThisCpuMachine() {
    assumeTrue(Engine.getInstance().getGpuCount() == 0, "a GPU is visible; this test is for CPU machines");
    assertEquals(Device.cpu(), Devices.select("auto", "fp32"));
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(Device.cpu(), m.getDevice(), "new managers land on the selected device");
    }
    assertThrows(UserError.class, () -> Devices.select("cuda", "fp32"));
    assertThrows(UserError.class, () -> Devices.select("cpu", "fp16"));
    assertEquals(DataType.FLOAT32, Devices.compute());
  }
}
