package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class SftDataTest {
  @Test
  void collateShiftsLabelsMasksPromptAndPadsRight() {
    // prompt [5,6], completion [7,8,1(eos)] -> tokens 5 6 7 8 1; inputs 5 6 7 8; labels 6 7 8 1
    SftData data = new SftData(List.of(new SftExample(new int[] {5, 6}, new int[] {7, 8, 1}),
        new SftExample(new int[] {9}, new int[] {3, 1})), 16, 0);
    try (NDManager m = NDManager.newBaseManager()) {
      SftBatch b = data.collate(new int[] {0, 1}, m);
      assertArrayEquals(new long[] {5, 6, 7, 8, 9, 3, 0, 0}, b.inputIds().toLongArray());
      assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 0, 0}, b.attentionMask().toLongArray());
      assertArrayEquals(new long[] {6, 7, 8, 1, 3, 1, 0, 0}, b.labels().toLongArray());
      // label 6 is a prompt token (masked); 7, 8, eos are completion tokens
      assertArrayEquals(new float[] {0, 1, 1, 1, 1, 1, 0, 0}, b.lossMask().toFloatArray());
    }
  }

  @Test
  void longSequencesAreTruncatedToTheContext() {
    SftData data = new SftData(List.of(new SftExample(new int[] {2, 3}, new int[] {4, 5, 6, 7, 1})), 4, 0);
    assertEquals(1, data.truncated());
    try (NDManager m = NDManager.newBaseManager()) {
      SftBatch b = data.collate(new int[] {0}, m);
      assertArrayEquals(new long[] {2, 3, 4, 5}, b.inputIds().toLongArray());
      assertArrayEquals(new long[] {3, 4, 5, 6}, b.labels().toLongArray());
      assertArrayEquals(new float[] {0, 1, 1, 1}, b.lossMask().toFloatArray());
    }
  }
}
