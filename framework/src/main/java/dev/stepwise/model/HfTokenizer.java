package dev.stepwise.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} (BPE, WordPiece, Unigram ...) run by DJL's Rust
 * tokenizers ({@code ai.djl.huggingface:tokenizers}, native library loaded from its jar, so it
 * works offline).
 *
 * <p>{@link #encode} adds no special tokens, does not truncate and does not pad (the trainer
 * appends {@link #eosId()} itself). {@link #decode} drops eos and pad ids and renders every other
 * id, special or not, so that {@code decode(encode(s)) == s} for any text the tokenizer's
 * normalizer leaves unchanged (e.g. NFC text for Qwen's NFC normalizer).
 *
 * <p>Special ids: eos is the explicit {@code eosToken} argument when given, else {@code
 * eos_token} of {@code tokenizer_config.json} next to the tokenizer (a string or an {@code
 * {"content": ...}} object); pad is {@code pad_token} of that file when present, else eos.
 * {@link #vocabSize()} is one more than the largest id of the model's vocab and the added tokens
 * (151,669 for Qwen3: 151,643 BPE tokens and 26 added ones).
 *
 * <p>Thread-safe (the Rust tokenizer is). Holds native memory: {@link #close()} frees it.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
  /** File name of the tokenizer itself. */
  public static final String TOKENIZER_FILE = "tokenizer.json";
  /** File name of the optional Hugging Face tokenizer config ({@code eos_token}, ...). */
  public static final String CONFIG_FILE = "tokenizer_config.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path tokenizerFile;
  private final Path configFile; // null when absent
  private final HuggingFaceTokenizer hf;
  private final int vocabSize;
  private final String eosToken;
  private final String padToken;
  private final int eosId;
  private final int padId;
  /** Ids the tokenizer puts before a sequence (its post-processor, or {@code add_bos_token}). */
  private final int[] promptPrefix;
  /** A plain token ({@code "a"}) decoded before continuations, and its text; -1 when there is none. */
  private final int anchor;
  private final String anchorText;
  /** eos plus the eos ids of a sibling {@code generation_config.json}, sorted. */
  private final int[] stopIds;

  /**
   * Loads a tokenizer.
   *
   * @param tokenizerFile the {@code tokenizer.json}
   * @param configFile its {@code tokenizer_config.json}, or null when there is none
   * @param eosToken the end-of-sequence token's text (e.g. {@code "<|endoftext|>"}); null: take
   *     {@code eos_token} from {@code configFile}
   * @throws UserError when a file is missing or unreadable as JSON, when no eos token is known, or
   *     when the eos or pad token is not in the vocabulary
   * @throws IOException when DJL cannot load the tokenizer
   */
  public HfTokenizer(Path tokenizerFile, Path configFile, String eosToken) throws IOException {
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new UserError(tokenizerFile + ": Hugging Face tokenizer file not found");
    }
    this.tokenizerFile = tokenizerFile;
    this.configFile = configFile != null && Files.isRegularFile(configFile) ? configFile : null;
    JsonNode config =
        this.configFile == null ? MAPPER.createObjectNode() : readJson(this.configFile);
    String eos = eosToken != null ? eosToken : tokenText(config.get("eos_token"));
    if (eos == null) {
      throw new UserError(
          tokenizerFile + ": no end-of-sequence token: give eos_token in "
              + tokenizerFile.resolveSibling(CONFIG_FILE) + " or pass it explicitly");
    }
    String pad = tokenText(config.get("pad_token"));
    this.eosToken = eos;
    this.padToken = pad != null ? pad : eos;
    HfVocabScan scan = HfVocabScan.of(tokenizerFile, this.eosToken, this.padToken);
    this.vocabSize = scan.maxId + 1;
    this.eosId = scan.require(this.eosToken, "eos", tokenizerFile);
    this.padId = scan.require(this.padToken, "pad", tokenizerFile);
    this.hf =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerFile)
            .optAddSpecialTokens(false)
            .optTruncation(false)
            .optPadding(false)
            .build();
    this.promptPrefix = promptPrefix(config, tokenizerFile);
    java.util.Set<Integer> stops = new java.util.TreeSet<>(GenerationConfig.eosIds(tokenizerFile.toAbsolutePath().getParent()));
    stops.add(eosId);
    this.stopIds = stops.stream().mapToInt(Integer::intValue).toArray();
    long[] a = hf.encode("a", false, false).getIds();
    this.anchor = a.length == 1 ? Math.toIntExact(a[0]) : -1;
    this.anchorText = anchor < 0 ? "" : hf.decode(new long[] {a[0]}, false);
  }

  /**
   * What the tokenizer puts before a sequence: the prefix that {@code encode(x, addSpecialTokens =
   * true)} adds over {@code encode(x, false)} (the tokenizer's own post-processor, e.g. Llama's
   * {@code <s>}), overridden by {@code add_bos_token} of {@code tokenizer_config.json} when that
   * key is present ({@code true}: the {@code bos_token}; {@code false}: nothing).
   */
  private int[] promptPrefix(JsonNode config, Path file) {
    JsonNode add = config.get("add_bos_token");
    if (add != null && add.isBoolean()) {
      if (!add.asBoolean()) {
        return new int[0];
      }
      String bos = tokenText(config.get("bos_token"));
      if (bos == null) {
        throw new UserError(file.resolveSibling(CONFIG_FILE) + ": add_bos_token is true but bos_token is not set");
      }
      long[] id = hf.encode(bos, false, false).getIds();
      if (id.length != 1) {
        throw new UserError(file.resolveSibling(CONFIG_FILE) + ": bos_token '" + bos + "' is not one token of " + file);
      }
      return new int[] {Math.toIntExact(id[0])};
    }
    long[] plain = hf.encode("a", false, false).getIds();
    long[] special = hf.encode("a", true, false).getIds();
    int n = special.length - plain.length;
    if (n <= 0 || !Arrays.equals(Arrays.copyOfRange(special, n, special.length), plain)) {
      return new int[0];
    }
    return Arrays.stream(Arrays.copyOf(special, n)).mapToInt(Math::toIntExact).toArray();
  }

  /** Loads {@code dirOrFile} (a directory holding {@code tokenizer.json}, or that file). */
  public static HfTokenizer load(Path dirOrFile) throws IOException {
    return load(dirOrFile, null);
  }

  /**
   * Loads {@code dirOrFile} (a directory holding {@code tokenizer.json}, or that file) with its
   * sibling {@code tokenizer_config.json} when present.
   *
   * @param eosToken the eos token's text, overriding the config's; null: from the config
   */
  public static HfTokenizer load(Path dirOrFile, String eosToken) throws IOException {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(TOKENIZER_FILE) : dirOrFile;
    return new HfTokenizer(file, file.resolveSibling(CONFIG_FILE), eosToken);
  }

  private static JsonNode readJson(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserError(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** @return the text of a special-token entry ({@code "x"} or {@code {"content": "x"}}) */
  private static String tokenText(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    JsonNode content = node.get("content");
    return content != null && content.isTextual() ? content.asText() : null;
  }

  @Override
  public int[] encode(String text) {
    long[] ids = hf.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** {@inheritDoc} */
  @Override
  public int[] encodePrompt(String text) {
    int[] ids = encode(text);
    int p = promptPrefix.length;
    if (p == 0 || (ids.length >= p && Arrays.equals(Arrays.copyOf(ids, p), promptPrefix))) {
      return ids;
    }
    int[] out = new int[p + ids.length];
    System.arraycopy(promptPrefix, 0, out, 0, p);
    System.arraycopy(ids, 0, out, p, ids.length);
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Decodes an anchor token ({@code "a"}) in front of {@code ids} and removes its text, so a
   * decoder's start-of-sequence stripping (Llama's SentencePiece {@code Strip}) hits the anchor,
   * not the continuation (vLLM's incremental detokenisation does the same with the prompt's tail).
   */
  @Override
  public String decodeContinuation(int[] ids) {
    if (ids.length == 0 || anchor < 0) {
      return decode(ids);
    }
    int[] withAnchor = new int[ids.length + 1];
    withAnchor[0] = anchor;
    System.arraycopy(ids, 0, withAnchor, 1, ids.length);
    String full = decode(withAnchor);
    return full.startsWith(anchorText) ? full.substring(anchorText.length()) : decode(ids);
  }

  @Override
  public boolean isStop(int id) {
    return Arrays.binarySearch(stopIds, id) >= 0;
  }

  @Override
  public int[] stopIds() {
    return stopIds.clone();
  }

  /** @return the ids put before a prompt (possibly none) */
  public int[] promptPrefix() {
    return promptPrefix.clone();
  }

  /**
   * @return the text of {@code ids} without the eos and pad ids
   * @throws IllegalArgumentException when an id is outside {@code [0, vocabSize())}
   */
  @Override
  public String decode(int[] ids) {
    long[] kept = new long[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException("token id " + id + " outside [0, " + vocabSize + ")");
      }
      if (id != eosId && id != padId) {
        kept[n++] = id;
      }
    }
    return hf.decode(Arrays.copyOf(kept, n), false);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eosId() {
    return eosId;
  }

  @Override
  public int padId() {
    return padId;
  }

  /** @return {@code "hf"} */
  @Override
  public String kind() {
    return "hf";
  }

  /** @return the eos token's text */
  public String eosToken() {
    return eosToken;
  }

  /** @return the pad token's text */
  public String padToken() {
    return padToken;
  }

  /**
   * Copies {@code tokenizer.json} into {@code dir} and writes {@code tokenizer_config.json}: a
   * byte copy of the source config when it already names the same eos and pad tokens, else the
   * source config (or an empty one) with {@code eos_token} and {@code pad_token} set, so that
   * {@link #load(Path)} of {@code dir} restores the same ids.
   */
  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path toTokenizer = dir.resolve(TOKENIZER_FILE);
    if (!sameFile(tokenizerFile, toTokenizer)) {
      Files.copy(tokenizerFile, toTokenizer, StandardCopyOption.REPLACE_EXISTING);
    }
    Path toConfig = dir.resolve(CONFIG_FILE);
    JsonNode config = configFile == null ? MAPPER.createObjectNode() : readJson(configFile);
    String configPad = Objects.requireNonNullElse(tokenText(config.get("pad_token")), eosToken);
    boolean matches =
        eosToken.equals(tokenText(config.get("eos_token"))) && padToken.equals(configPad);
    if (matches && configFile != null) {
      if (!sameFile(configFile, toConfig)) {
        Files.copy(configFile, toConfig, StandardCopyOption.REPLACE_EXISTING);
      }
    } else {
      ObjectNode updated =
          config.isObject() ? (ObjectNode) config.deepCopy() : MAPPER.createObjectNode();
      updated.put("eos_token", eosToken);
      updated.put("pad_token", padToken);
      MAPPER.writeValue(toConfig.toFile(), updated);
    }
  }

  private static boolean sameFile(Path a, Path b) throws IOException {
    return Files.exists(b) && Files.isSameFile(a, b);
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    hf.close();
  }

  @Override
  public String toString() {
    return "HfTokenizer(" + tokenizerFile + ", vocabSize=" + vocabSize + ", eos=" + eosToken + ")";
  }
}
