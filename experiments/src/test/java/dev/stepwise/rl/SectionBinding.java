package dev.stepwise.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;

/** Binds a config section (its unwrapped map) to a config record as the jobs do, unwrapping a {@link UserError}. */
public final class SectionBinding {
  private SectionBinding() {}

  /** @throws UserError the record's own validation error, when it throws one */
  public static <T> T bind(Object section, Class<T> type) {
    try {
      return new ObjectMapper().convertValue(section, type);
    } catch (IllegalArgumentException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof UserError u) {
          throw u;
        }
      }
      throw e;
    }
  }
}
