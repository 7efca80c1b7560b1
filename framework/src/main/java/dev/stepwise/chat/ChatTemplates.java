package dev.stepwise.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where chat templates come from: the config key {@value #KEY}, a model directory's own
 * template, a named one, or a Jinja file.
 *
 * <p>Values of {@value #KEY}: {@code null} (no template: prompts are used as they are, today's
 * behaviour), {@code model} (the model directory's own: {@code chat_template} of its {@code
 * tokenizer_config.json}, a string or a list of {@code {name, template}} of which {@code default}
 * is taken, else a {@code chat_template.jinja} file beside it, as newer transformers save it), one
 * of {@link #NAMED} (written for Stepwise after each model family's published prompt format, for
 * base models without a template, as the papers' {@code CONV_TEMPLATE} does), or a path to a
 * {@code .jinja} file or to a model directory. The template sees {@code bos_token} and {@code
 * eos_token} from the model directory's {@code tokenizer_config.json} (a string or {@code
 * {"content": ...}}), "" when there is none.
 */
public final class ChatTemplates {
  /** The config key. */
  public static final String KEY = "chat_template";

  /** The named templates ({@code src/main/resources/dev/stepwise/chat/templates/<name>.jinja}). */
  public static final List<String> NAMED = List.of("chatml", "llama-3-instruct", "llama-2", "zephyr");

  private static final String CONFIG_FILE = "tokenizer_config.json";
  private static final String JINJA_FILE = "chat_template.jinja";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChatTemplates() {}

  /**
   * Reads {@value #KEY} from a job's config.
   *
   * @param cfg the composed config
   * @param modelDir the job's model directory (for {@code model} and the special tokens), or null
   *     when the job has none (a fresh model, a remote judge)
   * @return the template, or null when the key is absent or null
   * @throws UserError for an unknown name, a missing file, or a model without a template
   */
  public static ChatTemplate fromConfig(ComposedConfig cfg, Path modelDir) {
    var c = cfg.config();
    if (!c.hasPath(KEY)) {
      return null;
    }
    return resolve(c.getString(KEY), modelDir, KEY + " (" + cfg.where(KEY) + ")");
  }

  /**
   * @param value a value of {@value #KEY} (see the class doc); null or blank = none
   * @param modelDir the model directory or null
   * @param where the key and its origin, for messages
   * @return the template or null
   * @throws UserError as {@link #fromConfig}
   */
  public static ChatTemplate resolve(String value, Path modelDir, String where) {
    if (value == null || value.isBlank() || value.equals("null")) {
      return null;
    }
    String[] tokens = specialTokens(modelDir);
    if (value.equals("model")) {
      if (modelDir == null) {
        throw new UserError(where + " = model, but this job has no model directory to read a template from; name one ("
            + String.join("|", NAMED) + ") or give a .jinja file or a model directory");
      }
      return fromModelDir(modelDir);
    }
    if (NAMED.contains(value)) {
      return named(value, tokens[0], tokens[1]);
    }
    Path p = Path.of(value);
    if (Files.isDirectory(p)) {
      return fromModelDir(p);
    }
    if (Files.isRegularFile(p)) {
      return new ChatTemplate(p.toString(), read(p), tokens[0], tokens[1]);
    }
    if (value.contains("/") || value.endsWith(".jinja")) {
      throw new UserError(where + " = '" + value + "': no such file or directory");
    }
    throw new UserError(where + " = '" + value + "': unknown chat template. Known: null, model, "
        + String.join(", ", NAMED) + ", or a path." + DidYouMean.hint(value, NAMED));
  }

  /**
   * @return the named template with the given special tokens
   * @throws UserError for an unknown name (with the closest one)
   */
  public static ChatTemplate named(String name, String bosToken, String eosToken) {
    if (!NAMED.contains(name)) {
      throw new UserError("unknown chat template '" + name + "'. Known: " + String.join(", ", NAMED) + "." + DidYouMean.hint(name, NAMED));
    }
    String res = "templates/" + name + ".jinja";
    try (InputStream in = ChatTemplates.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + res);
      }
      return new ChatTemplate("chat template '" + name + "' (dev/stepwise/chat/" + res + ")", new String(in.readAllBytes(), StandardCharsets.UTF_8),
          bosToken, eosToken);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The model's own template.
   *
   * @param dir a Hugging Face model (or tokenizer) directory
   * @return its template, with its bos and eos tokens
   * @throws UserError when it has none, naming the file and listing the named templates
   */
  public static ChatTemplate fromModelDir(Path dir) {
    Path config = dir.resolve(CONFIG_FILE);
    String[] tokens = specialTokens(dir);
    if (Files.isRegularFile(config)) {
      JsonNode t = readJson(config).get(KEY);
      if (t != null && t.isTextual()) {
        return new ChatTemplate(config + " (key " + KEY + ")", t.asText(), tokens[0], tokens[1]);
      }
      if (t != null && t.isArray()) {
        for (JsonNode e : t) {
          if ("default".equals(e.path("name").asText()) && e.path("template").isTextual()) {
            return new ChatTemplate(config + " (key " + KEY + ", name default)", e.get("template").asText(), tokens[0], tokens[1]);
          }
        }
        throw new UserError(config + ": " + KEY + " is a list without a {\"name\": \"default\", \"template\": ...} entry");
      }
    }
    Path jinja = dir.resolve(JINJA_FILE);
    if (Files.isRegularFile(jinja)) {
      return new ChatTemplate(jinja.toString(), read(jinja), tokens[0], tokens[1]);
    }
    throw new UserError(config + ": this model has no " + KEY + " (nor a " + JINJA_FILE + " beside it); set "
        + KEY + "=" + String.join("|", NAMED) + " or a .jinja file");
  }

  /** @return {bos, eos} texts from {@code dir/tokenizer_config.json}, "" where absent */
  static String[] specialTokens(Path dir) {
    String[] out = {"", ""};
    if (dir == null || !Files.isRegularFile(dir.resolve(CONFIG_FILE))) {
      return out;
    }
    JsonNode c = readJson(dir.resolve(CONFIG_FILE));
    out[0] = tokenText(c.get("bos_token"));
    out[1] = tokenText(c.get("eos_token"));
    return out;
  }

  private static String tokenText(JsonNode t) {
    if (t == null || t.isNull()) {
      return "";
    }
    return t.isTextual() ? t.asText() : t.path("content").asText("");
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserError(file + ": not readable as JSON (" + e.getMessage() + ")");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read the chat template (" + e.getMessage() + ")");
    }
  }
}
