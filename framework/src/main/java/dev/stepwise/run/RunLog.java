package dev.stepwise.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Copies every log line of the process into the run directory's {@code run.log}, beside the
 * terminal output configured by {@code logback.xml}.
 */
public final class RunLog {
  private RunLog() {}

  /**
   * Adds a file appender to the root logger.
   *
   * @param file the log file; appended to when it exists (a resumed run)
   * @return the appender, to {@link FileAppender#stop() stop} when the run ends
   */
  public static FileAppender<ILoggingEvent> attach(Path file) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    enc.start();
    FileAppender<ILoggingEvent> app = new FileAppender<>();
    app.setContext(ctx);
    app.setName("run.log");
    app.setFile(file.toString());
    app.setAppend(true);
    app.setEncoder(enc);
    app.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(app);
    return app;
  }
}
