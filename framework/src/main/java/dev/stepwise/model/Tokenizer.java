package dev.stepwise.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Text to token ids and back. Implementations: the built-in character tokenizer and Hugging
 * Face {@code tokenizer.json} files through DJL's tokenizers.
 *
 * <p>Ids are in {@code [0, vocabSize())}. {@link #eosId()} ends a completion; {@link #padId()}
 * fills batches (its positions are masked out of every loss).
 */
public interface Tokenizer {
  /** @return the ids of {@code text}, without special tokens */
  int[] encode(String text);

  /** @return the text of {@code ids}; special tokens (eos, pad) are dropped */
  String decode(int[] ids);

  /** @return the number of distinct ids */
  int vocabSize();

  /** @return the end-of-sequence id */
  int eosId();

  /** @return the padding id */
  int padId();

  /** @return the registry name of this tokenizer kind, e.g. {@code "char"} or {@code "hf"} */
  String kind();

  /**
   * Writes this tokenizer into a checkpoint directory so that {@code Tokenizers.load(dir)}
   * restores it exactly.
   *
   * @throws IOException when the directory cannot be written
   */
  void save(Path dir) throws IOException;
}
