package dev.stepwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  @Test
  void distanceCountsEditsAndTranspositionsCaseInsensitively() {
    assertEquals(0, DidYouMean.distance("Max_Steps", "max_steps"));
    assertEquals(1, DidYouMean.distance("max_stepz", "max_steps"));
    assertEquals(1, DidYouMean.distance("mdoel", "model"));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
    assertEquals(5, DidYouMean.distance("", "abcde"));
  }

  @Test
  void closestPicksTheNearestWithinTheThreshold() {
    List<String> keys = List.of("trainer.max_steps", "trainer.batch_size", "optim.lr");
    assertEquals(Optional.of("trainer.max_steps"), DidYouMean.closest("trainer.max_stepz", keys));
    assertEquals(Optional.empty(), DidYouMean.closest("completely_else", keys));
    assertEquals(Optional.empty(), DidYouMean.closest("optim.lr", keys));
    assertEquals(" Did you mean 'gpt2_tiny'?", DidYouMean.hint("gpt2_tnyi", List.of("gpt2_small", "gpt2_tiny")));
    assertEquals("", DidYouMean.hint("zzz", List.of("gpt2_small")));
  }
}
