package dev.stepwise.model;

import dev.stepwise.model.cpu.CpuDecoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link KvCacheTest}'s cases with the TorchScript decode step ({@code -Dstepwise.decoder=torch}). */
class KvCacheTorchTest extends KvCacheTest {
  @BeforeAll
  static void useTorch() {
    System.setProperty(CpuDecoding.PROPERTY, "torch");
  }

  @AfterAll
  static void restore() {
    System.clearProperty(CpuDecoding.PROPERTY);
  }

  @Override
  boolean expectJavaDecoder() {
    return false;
  }
}
