package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipperTest {
  @Test
  void globalNormClipsToMaxAndReturnsThePreClipNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {3, 0, 0, 4}, new Shape(2, 2)); // norm 5
      NDArray b = m.create(new float[] {12}); // norm 12; global sqrt(25 + 144) = 13
      assertEquals(13.0, GradClipper.globalNorm(List.of(a, b), m), 1e-6);
      double pre = GradClipper.clip(List.of(a, b), 6.5, m);
      assertEquals(13.0, pre, 1e-6);
      assertArrayEquals(new float[] {1.5f, 0, 0, 2f}, a.toFloatArray(), 1e-5f);
      assertArrayEquals(new float[] {6f}, b.toFloatArray(), 1e-5f);
      assertEquals(6.5, GradClipper.globalNorm(List.of(a, b), m), 1e-5);
      // below the threshold, or clipping off: untouched
      assertEquals(6.5, GradClipper.clip(List.of(a, b), 100, m), 1e-5);
      assertEquals(6.5, GradClipper.clip(List.of(a, b), 0, m), 1e-5);
      assertArrayEquals(new float[] {6f}, b.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void coefficientFollowsPyTorch() {
    assertEquals(1.0 / (4 + 1e-6), GradClipper.coefficient(4, 1), 1e-15);
    assertEquals(1.0, GradClipper.coefficient(0.5, 1), 0);
    assertEquals(1.0, GradClipper.coefficient(10, 0), 0); // off
    assertEquals(1.0, GradClipper.coefficient(10, -1), 0);
  }

  @Test
  void nonFiniteGradientsGiveANonFiniteNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray ok = m.create(new float[] {1, 2});
      assertTrue(Double.isNaN(GradClipper.globalNorm(List.of(ok, m.create(new float[] {Float.NaN, 0})), m)));
      assertTrue(Double.isInfinite(GradClipper.globalNorm(List.of(ok, m.create(new float[] {Float.POSITIVE_INFINITY})), m)));
      assertEquals(0.0, GradClipper.globalNorm(List.of(), m));
    }
  }
}
