package dev.stepwise.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Jinja chat template, rendered as Hugging Face transformers' {@code
 * tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} renders it:
 * the variables are {@code messages} (a list of {@code {role, content}} maps), {@code
 * add_generation_prompt}, {@code bos_token} and {@code eos_token}; the environment is {@link
 * JinjaEngine}'s (Python string methods, extended slices, {@code tojson}, {@code
 * raise_exception}, {@code strftime_now}, {@code namespace}).
 *
 * <p>Instances come from {@link ChatTemplates}. Rendering is thread-safe (serialised: a render
 * takes well under a millisecond for real templates).
 */
public final class ChatTemplate {
  private final String origin;
  private final String source;
  private final String rewritten;
  private final String bosToken;
  private final String eosToken;
  private final Jinjava jinja = JinjaEngine.create();

  /**
   * @param origin where the template comes from, for error messages (e.g. {@code
   *     models/x/tokenizer_config.json (key chat_template)})
   * @param source the Jinja text
   * @param bosToken the text of the model's beginning-of-sequence token, "" when it has none
   * @param eosToken the text of its end-of-sequence token, "" when unknown
   */
  public ChatTemplate(String origin, String source, String bosToken, String eosToken) {
    this.origin = origin;
    this.source = source;
    this.rewritten = TemplateSource.rewrite(source);
    this.bosToken = bosToken == null ? "" : bosToken;
    this.eosToken = eosToken == null ? "" : eosToken;
  }

  /** @return where the template comes from (a file and key, or a named template) */
  public String origin() {
    return origin;
  }

  /** @return the Jinja source as given */
  public String source() {
    return source;
  }

  /** @return the {@code bos_token} text the template sees ("" when none) */
  public String bosToken() {
    return bosToken;
  }

  /** @return the {@code eos_token} text the template sees ("" when unknown) */
  public String eosToken() {
    return eosToken;
  }

  /**
   * Renders a conversation.
   *
   * @param messages the conversation, in order (at least one message)
   * @param addGenerationPrompt whether to end with the header that opens an assistant turn
   * @return the rendered text (special tokens as text; tokenize it without adding special tokens)
   * @throws UserError naming {@link #origin()} when the template fails: a syntax error, an
   *     unknown method or filter, or the template's own {@code raise_exception} (with its line
   *     when jinjava gives one)
   * @throws IllegalArgumentException when {@code messages} is empty
   */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat template needs at least one message");
    }
    List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      msgs.add(m.toMap());
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("messages", msgs);
    vars.put("add_generation_prompt", addGenerationPrompt);
    vars.put("bos_token", bosToken);
    vars.put("eos_token", eosToken);
    RenderResult r;
    synchronized (jinja) {
      r = jinja.renderForResult(rewritten, vars);
    }
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw failure(e);
      }
    }
    return r.getOutput();
  }

  /**
   * The prompt of a one-turn conversation, ready for the model to answer: {@code [system?,
   * user]} rendered with {@code add_generation_prompt = true}.
   *
   * @param system the system message, or null for none
   * @param user the user message
   * @return the rendered prompt
   * @throws UserError when the template fails (see {@link #render})
   */
  public String prompt(String system, String user) {
    List<ChatMessage> m = new ArrayList<>(2);
    if (system != null) {
      m.add(ChatMessage.system(system));
    }
    m.add(ChatMessage.user(user));
    return render(m, true);
  }

  private UserError failure(TemplateError e) {
    Throwable cause = e.getException();
    while (cause != null && !(cause instanceof ChatFunctions.TemplateRaised) && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String line = e.getLineno() > 0 ? " at line " + e.getLineno() : "";
    if (cause instanceof ChatFunctions.TemplateRaised raised) {
      return new UserError(origin + ": the chat template raised an error" + line + ": " + raised.getMessage());
    }
    return new UserError(origin + ": the chat template failed to render" + line + ": " + e.getMessage());
  }

  @Override
  public String toString() {
    return "ChatTemplate(" + origin + ")";
  }
}
