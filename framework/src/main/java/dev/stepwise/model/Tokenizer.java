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

  /**
   * The text {@code ids} add after whatever came before them: what a completion's text is. Equal
   * to {@link #decode} except for tokenizers whose decoder strips the start of a sequence
   * (SentencePiece-style Llama tokenizers drop the leading space of {@code ▁word}), where a
   * completion decoded alone would lose its first space.
   *
   * @return the continuation text of {@code ids}
   */
  default String decodeContinuation(int[] ids) {
    return decode(ids);
  }

  /** @return the number of distinct ids */
  int vocabSize();

  /** @return the end-of-sequence id */
  int eosId();

  /**
   * The ids of a prompt: {@link #encode} plus whatever the tokenizer puts in front of a sequence
   * (a Hugging Face tokenizer's beginning-of-sequence token, as {@code tokenizer(text)} does for
   * Llama; nothing for the character tokenizer or Qwen). Completions and responses use {@link
   * #encode}.
   *
   * @return the prompt's ids, never with the prefix twice (a chat template that already wrote the
   *     bos token keeps one)
   */
  default int[] encodePrompt(String text) {
    return encode(text);
  }

  /**
   * @return whether {@code id} ends a generation: the eos id, or any eos id the model's {@code
   *     generation_config.json} lists
   */
  default boolean isStop(int id) {
    return id == eosId();
  }

  /** @return every id {@link #isStop} accepts, ascending */
  default int[] stopIds() {
    return new int[] {eosId()};
  }

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
