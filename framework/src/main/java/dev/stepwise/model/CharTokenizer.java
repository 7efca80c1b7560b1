package dev.stepwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The built-in character-level tokenizer: one id per Unicode code point of its alphabet.
 *
 * <p>Ids: {@code <pad>} = 0, {@code <eos>} = 1, {@code <unk>} = 2, then the alphabet's
 * characters from 3 in alphabet order, so {@code vocabSize() = 3 + alphabet size}. A character
 * outside the alphabet encodes to {@code <unk>} and decodes to U+FFFD (the Unicode replacement
 * character); {@code <pad>} and {@code <eos>} decode to nothing.
 *
 * <p>File format ({@code dir/tokenizer.json}, written by {@link #save}): {@code {"type":
 * "stepwise-char", "version": 1, "pad_id": 0, "eos_id": 1, "unk_id": 2, "vocab": ["<pad>",
 * "<eos>", "<unk>", "\n", " ", ...]}}, where {@code vocab[i]} is the text of id {@code i}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CharTokenizer implements Tokenizer {
  /** The {@code "type"} value of this tokenizer's {@code tokenizer.json}. */
  public static final String TYPE = "stepwise-char";
  /** Id of the padding token. */
  public static final int PAD_ID = 0;
  /** Id of the end-of-sequence token. */
  public static final int EOS_ID = 1;
  /** Id of the unknown-character token. */
  public static final int UNK_ID = 2;

  private static final List<String> SPECIALS = List.of("<pad>", "<eos>", "<unk>");
  private static final String UNK_TEXT = "\uFFFD";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final int[] codePoints; // id - 3 -> code point
  private final Map<Integer, Integer> ids; // code point -> id

  private CharTokenizer(int[] codePoints) {
    this.codePoints = codePoints;
    this.ids = new HashMap<>(codePoints.length * 2);
    for (int i = 0; i < codePoints.length; i++) {
      if (ids.put(codePoints[i], i + SPECIALS.size()) != null) {
        throw new IllegalArgumentException(
            "duplicate character in alphabet: " + new String(Character.toChars(codePoints[i])));
      }
    }
  }

  /**
   * Builds the tokenizer whose alphabet is the sorted (by code point) set of characters that
   * occur in {@code texts}.
   */
  public static CharTokenizer fromTexts(Iterable<String> texts) {
    TreeSet<Integer> chars = new TreeSet<>();
    for (String t : texts) {
      t.codePoints().forEach(chars::add);
    }
    return new CharTokenizer(chars.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Builds the tokenizer with a fixed alphabet, ids in the order of {@code alphabet}'s code
   * points.
   *
   * @throws IllegalArgumentException when a character occurs twice
   */
  public static CharTokenizer fromAlphabet(String alphabet) {
    return new CharTokenizer(alphabet.codePoints().toArray());
  }

  /**
   * @return the tokenizer over {@code '\n'} and printable ASCII ({@code ' '} to {@code '~'}):
   *     99 ids, enough for the built-in arithmetic task
   */
  public static CharTokenizer ascii() {
    StringBuilder sb = new StringBuilder("\n");
    for (char c = ' '; c <= '~'; c++) {
      sb.append(c);
    }
    return fromAlphabet(sb.toString());
  }

  /**
   * Loads the tokenizer saved by {@link #save} in {@code dirOrFile} (a directory holding {@code
   * tokenizer.json}, or that file).
   *
   * @throws UserError when the file is missing or is not a {@value #TYPE} file
   */
  public static CharTokenizer load(Path dirOrFile) throws IOException {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new UserError(file + ": tokenizer file not found");
    }
    return fromJson(MAPPER.readTree(file.toFile()), file.toString());
  }

  /**
   * Restores a tokenizer from its JSON form.
   *
   * @param where the source, for error messages
   * @throws UserError when the JSON is not a valid {@value #TYPE} description
   */
  static CharTokenizer fromJson(JsonNode json, String where) {
    if (!TYPE.equals(json.path("type").asText())) {
      throw new UserError(
          where + ": not a " + TYPE + " tokenizer (type=" + json.get("type") + ")");
    }
    JsonNode vocab = json.get("vocab");
    if (vocab == null || !vocab.isArray() || vocab.size() < SPECIALS.size()) {
      throw new UserError(where + ": 'vocab' must be a list starting with " + SPECIALS);
    }
    for (int i = 0; i < SPECIALS.size(); i++) {
      if (!SPECIALS.get(i).equals(vocab.get(i).asText())) {
        throw new UserError(where + ": vocab[" + i + "] must be " + SPECIALS.get(i));
      }
    }
    int[] cps = new int[vocab.size() - SPECIALS.size()];
    for (int i = 0; i < cps.length; i++) {
      String s = vocab.get(i + SPECIALS.size()).asText();
      if (s.codePointCount(0, s.length()) != 1) {
        throw new UserError(
            where + ": vocab[" + (i + SPECIALS.size()) + "] must be one character, got '" + s
                + "'");
      }
      cps[i] = s.codePointAt(0);
    }
    try {
      return new CharTokenizer(cps);
    } catch (IllegalArgumentException e) {
      throw new UserError(where + ": " + e.getMessage(), e);
    }
  }

  /** @return the ids of {@code text}, one per code point; unknown characters give {@code <unk>} */
  @Override
  public int[] encode(String text) {
    return text.codePoints().map(cp -> ids.getOrDefault(cp, UNK_ID)).toArray();
  }

  /**
   * @return the text of {@code ids}: pad and eos are dropped, unk becomes U+FFFD
   * @throws IllegalArgumentException when an id is outside {@code [0, vocabSize())}
   */
  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      if (id < 0 || id >= vocabSize()) {
        throw new IllegalArgumentException("token id " + id + " outside [0, " + vocabSize() + ")");
      }
      if (id == UNK_ID) {
        sb.append(UNK_TEXT);
      } else if (id >= SPECIALS.size()) {
        sb.appendCodePoint(codePoints[id - SPECIALS.size()]);
      }
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return SPECIALS.size() + codePoints.length;
  }

  @Override
  public int eosId() {
    return EOS_ID;
  }

  @Override
  public int padId() {
    return PAD_ID;
  }

  /** @return {@code "char"} */
  @Override
  public String kind() {
    return "char";
  }

  /** @return the text of every id, specials first ({@code vocab().get(id)}) */
  public List<String> vocab() {
    List<String> out = new ArrayList<>(SPECIALS);
    for (int cp : codePoints) {
      out.add(new String(Character.toChars(cp)));
    }
    return out;
  }

  /** Writes {@code dir/tokenizer.json} (creating {@code dir}); see the class doc for the format. */
  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode json = MAPPER.createObjectNode();
    json.put("type", TYPE);
    json.put("version", 1);
    json.put("pad_id", PAD_ID);
    json.put("eos_id", EOS_ID);
    json.put("unk_id", UNK_ID);
    ArrayNode vocab = json.putArray("vocab");
    vocab().forEach(vocab::add);
    MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharTokenizer other && Arrays.equals(codePoints, other.codePoints);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codePoints);
  }

  @Override
  public String toString() {
    return "CharTokenizer(vocabSize=" + vocabSize() + ")";
  }
}
