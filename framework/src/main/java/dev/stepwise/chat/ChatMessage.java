package dev.stepwise.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a conversation, as OpenAI's chat API and Hugging Face chat templates see it.
 *
 * @param role {@code system}, {@code user}, {@code assistant} (any non-blank role is passed on:
 *     templates decide what they accept, e.g. {@code tool})
 * @param content the message text (may be empty, never null)
 */
public record ChatMessage(String role, String content) {
  /** @throws IllegalArgumentException for a blank role or a null content */
  public ChatMessage {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("a chat message needs a role");
    }
    if (content == null) {
      throw new IllegalArgumentException("a chat message needs a content (may be empty)");
    }
  }

  /** @return a {@code system} message */
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /** @return a {@code user} message */
  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  /** @return an {@code assistant} message */
  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }

  /** @return {@code {"role": ..., "content": ...}} in that order, as a template sees it */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }
}
