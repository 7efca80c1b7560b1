package dev.stepwise.caller;

import ai.djl.ndarray.NDManager;
import dev.stepwise.api.server.OpenAiServer;
import dev.stepwise.api.server.ServerConfig;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.run.StopRequested;
import dev.stepwise.run.StopSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sampler.jar job=serve}: serves a checkpoint on an OpenAI-compatible API ({@link
 * OpenAiServer}, settings in {@code api.server}) until a stop signal ({@code run.stop_signals}),
 * or for {@code serve.max_seconds}. On a stop signal it drains: new requests get 503, the
 * accepted ones are answered (at most {@value #DRAIN_MS} ms), then it exits with 143 (SIGTERM)
 * or 130 (SIGINT).
 * The bearer key, if any, comes from the environment variable named by {@code
 * api.server.api_key_env}. The server's base URL is printed as {@code Serving <url>} and written to {@code
 * <run dir>/server_url.txt} once it listens (useful with {@code api.server.port=0}). With {@code
 * chat_template} set ({@code model}, a named template or a file; {@link ChatTemplates}), {@code
 * /v1/chat/completions} renders the messages through it; null joins their contents.
 */
public final class ServeJob implements RunJob {
  /** File in the run directory holding the base URL once the server listens (for scripts and tests). */
  public static final String URL_FILE = "server_url.txt";
  /** Longest wait for the accepted requests when stopping on a signal, in milliseconds. */
  static final long DRAIN_MS = 60_000;

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    ServeConfig sc = cfg.bind("serve", ServeConfig.class);
    ServerConfig server = cfg.bind("api.server", ServerConfig.class);
    if (sc.modelPath() == null || !Files.isDirectory(Path.of(sc.modelPath()))) {
      throw new UserError("serve.model_path: no checkpoint directory at '" + sc.modelPath() + "' (" + cfg.where("serve") + ")");
    }
    String key = null;
    if (server.apiKeyEnv() != null) {
      key = System.getenv(server.apiKeyEnv());
      if (key == null || key.isBlank()) {
        throw new UserError("api.server.api_key_env names '" + server.apiKeyEnv() + "', which is not set");
      }
    }
    Path dir = Path.of(sc.modelPath());
    ChatTemplate chat = ChatTemplates.fromConfig(cfg, dir);
    try (NDManager manager = NDManager.newBaseManager()) {
      Tokenizer tok = Tokenizers.load(dir);
      CausalLM lm = ModelCheckpoint.load(dir, manager);
      CountDownLatch stop = new CountDownLatch(1);
      try (OpenAiServer s = new OpenAiServer(server, new Sampler(lm, tok, Math.max(1, sc.maxBatchSize())), tok, key, chat)) {
        AutoCloseable onStop = StopSignals.onStop(stop::countDown);
        Files.writeString(ctx.dir().path().resolve(URL_FILE), s.baseUrl() + "\n");
        System.out.println("Serving " + s.baseUrl());
        System.out.flush();
        if (sc.maxSeconds() > 0) {
          stop.await(Math.round(sc.maxSeconds() * 1000), TimeUnit.MILLISECONDS);
        } else {
          stop.await();
        }
        onStop.close();
        int unanswered = StopSignals.requested() ? s.drain(DRAIN_MS) : 0;
        long[] counts = s.batchCounts();
        ctx.tracker().summary(java.util.Map.of("serve/generation_calls", counts[0], "serve/requests", counts[1]));
        if (StopSignals.requested()) {
          throw new StopRequested(StopSignals.signal(), "stopped by SIG" + StopSignals.signal() + " after answering "
              + counts[1] + " requests" + (unanswered > 0 ? " (" + unanswered + " unanswered after " + DRAIN_MS / 1000 + " s)" : ""));
        }
      }
    }
  }
}
