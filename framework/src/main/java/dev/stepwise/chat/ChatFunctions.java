package dev.stepwise.chat;

import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The global functions Hugging Face's chat-template environment adds to Jinja (transformers'
 * {@code chat_template_utils}), registered in jinjava as EL functions by {@link JinjaEngine}.
 */
final class ChatFunctions {
  private ChatFunctions() {}

  /** Raised by a template's {@code raise_exception(message)}; its message is the template's. */
  static final class TemplateRaised extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateRaised(String message) {
      super(message);
    }
  }

  /**
   * {@code raise_exception(message)}: aborts rendering; {@link ChatTemplate#render} reports the
   * message as a {@link dev.stepwise.config.UserError}.
   *
   * @throws TemplateRaised always
   */
  public static Object raiseException(Object message) {
    throw new TemplateRaised(String.valueOf(message));
  }

  /**
   * {@code strftime_now(format)} (Llama 3.1 and 3.2 print today's date with it): Python's {@code
   * datetime.now().strftime(format)} in the JVM's time zone, English month and day names.
   */
  public static String strftimeNow(String format) {
    return StrftimeFormatter.format(ZonedDateTime.now(), format, Locale.ENGLISH);
  }
}
