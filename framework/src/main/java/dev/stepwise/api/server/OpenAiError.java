package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered in OpenAI's shape: HTTP {@code status} with body {@code {"error": {"message",
 * "type", "param", "code"}}}. Never carries a stack trace.
 */
public final class OpenAiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;
  private final String code;

  /**
   * @param status HTTP status (400, 401, 404, 405, 413, 429, 500)
   * @param type OpenAI error type ({@code invalid_request_error}, {@code authentication_error},
   *     {@code rate_limit_error}, {@code server_error})
   * @param param the offending request field, or null
   * @param code a short machine code, or null
   * @param message what was wrong, for humans
   */
  public OpenAiError(int status, String type, String param, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** @return a 400 {@code invalid_request_error} about {@code param} */
  public static OpenAiError invalid(String param, String message) {
    return new OpenAiError(400, "invalid_request_error", param, null, message);
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return the JSON body */
  public ObjectNode body() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", getMessage());
    e.put("type", type);
    e.put("param", param);
    e.put("code", code);
    return root;
  }
}
