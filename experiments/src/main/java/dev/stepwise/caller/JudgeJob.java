package dev.stepwise.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.api.ApiClient;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code api-caller.jar job=judge}: LLM-as-a-judge scoring of existing responses. For every
 * record of {@code judge.input_file} and every entry of its {@code response} list, the judge
 * prompt (default: Self-Rewarding's 5-point additive prompt, with the record's {@code prompt} as
 * the instruction) is sent with {@code api.vllm_params} ({@code n} forced to {@code
 * judge.samples}); each verdict's last {@code Score: N} within {@code [judge.min_score,
 * judge.max_score]} is parsed ({@link JudgeScores#mean}). The record is written again with {@code
 * judge_scores} (per response the mean of its valid verdicts, or null when none could be parsed)
 * and {@code judge_outputs} (the judge's texts: one string per response, or a list of {@code
 * judge.samples} strings when more than one). Records whose requests failed for good go to the
 * failed file; a re-run skips judged ids. Summary: {@code judge/mean_score}, {@code judge/unparsed}, {@code judge/records}.
 *
 * <p>With {@code chat_template} set (a named template, a {@code .jinja} file or the judge model's
 * directory; there is no local model, so {@code model} is an error), the judge prompt is sent as
 * the template's one-user-message prompt to {@code /v1/completions}; with {@code
 * api.caller.endpoint=chat} the server applies its own template instead, so setting both is an
 * error.
 */
public final class JudgeJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(JudgeJob.class);

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    JudgeConfig jc = cfg.bind("judge", JudgeConfig.class);
    CallerConfig cc = cfg.bind("api.caller", CallerConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class).withN(Math.max(1, jc.samples()));
    if (jc.inputFile() == null || !Files.isRegularFile(Path.of(jc.inputFile()))) {
      throw new UserError("judge.input_file: no samples file at '" + jc.inputFile() + "' (" + cfg.where("judge") + ")");
    }
    if (jc.samples() < 1 || !(jc.minScore() < jc.maxScore())) {
      throw new UserError("judge.samples = " + jc.samples() + " must be at least 1 and judge.min_score = " + jc.minScore()
          + " below judge.max_score = " + jc.maxScore() + " (" + cfg.where("judge") + ")");
    }
    ChatTemplate chat = ChatTemplates.fromConfig(cfg, null);
    if (chat != null && "chat".equals(cc.endpoint())) {
      throw new UserError("chat_template (" + cfg.where(ChatTemplates.KEY) + ") renders the judge prompt here, but api.caller.endpoint=chat "
          + "lets the server apply its own template: set chat_template=null or api.caller.endpoint=completions");
    }
    String template = jc.templateFile() == null ? JudgeScores.selfRewardingTemplate() : Files.readString(Path.of(jc.templateFile()));
    Path out = jc.outputFile() == null ? ctx.dir().path().resolve("judged.jsonl") : Path.of(jc.outputFile());
    Path failedPath = jc.failedFile() == null ? out.toAbsolutePath().resolveSibling("judge_failed.jsonl") : Path.of(jc.failedFile());
    List<JsonNode> records = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(Path.of(jc.inputFile()))) {
      while (r.hasNext() && (jc.limit() <= 0 || records.size() < jc.limit())) {
        JsonNode n = r.next();
        if (!n.path("id").isValueNode() || !n.path("prompt").isTextual() || !n.path("response").isArray()) {
          throw new UserError(jc.inputFile() + ":" + r.lineNumber() + ": a record needs 'id', 'prompt' and a 'response' list");
        }
        records.add(n);
      }
    }
    AtomicLong scored = new AtomicLong();
    AtomicLong unparsed = new AtomicLong();
    double[] total = new double[1];
    try (JsonlAppender sink = JsonlAppender.open(out);
        JsonlAppender failed = JsonlAppender.open(failedPath);
        ApiClient client = new ApiClient(cc.client(), System.getenv())) {
      Set<String> done = sink.existingIds("id");
      ApiCompletions api = new ApiCompletions(client, cc);
      List<CompletableFuture<?>> pending = new ArrayList<>();
      int todo = 0;
      for (JsonNode rec : records) {
        String id = rec.get("id").asText();
        if (done.contains(id)) {
          continue;
        }
        if (dev.stepwise.run.StopSignals.requested()) {
          break; // a stop signal: send nothing more; the requests in flight are answered and written
        }
        todo++;
        List<CompletableFuture<ApiCompletions.Result>> calls = new ArrayList<>();
        for (JsonNode resp : rec.get("response")) {
          String judgePrompt = JudgeScores.render(template, rec.get("prompt").asText(), resp.asText());
          calls.add(api.complete(chat == null ? judgePrompt : chat.prompt(null, judgePrompt), params));
        }
        pending.add(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((v, err) -> {
          if (err != null) {
            failed.append(FailedItem.of(id, err));
            LOG.warn("{} failed: {}", id, FailedItem.of(id, err).reason());
            return null;
          }
          ObjectNode copy = ((ObjectNode) rec).deepCopy();
          ArrayNode scores = copy.putArray("judge_scores");
          ArrayNode outputs = copy.putArray("judge_outputs");
          for (var call : calls) {
            List<String> texts = call.join().texts();
            OptionalDouble s = JudgeScores.mean(texts, jc.minScore(), jc.maxScore());
            if (texts.size() == 1) {
              outputs.add(texts.get(0));
            } else {
              ArrayNode all = outputs.addArray();
              texts.forEach(all::add);
            }
            synchronized (total) {
              if (s.isPresent()) {
                scores.add(s.getAsDouble());
                total[0] += s.getAsDouble();
                scored.incrementAndGet();
              } else {
                scores.addNull();
                unparsed.incrementAndGet();
              }
            }
          }
          sink.append(copy);
          return null;
        }));
      }
      LOG.info("Judging {} of {} records through {} into {}", todo, records.size(), client, out);
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
      sink.stopPoint();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("judge/records", records.size());
    summary.put("judge/mean_score", scored.get() == 0 ? 0.0 : total[0] / scored.get());
    summary.put("judge/unparsed", unparsed.get());
    ctx.tracker().summary(summary);
    System.out.printf("Judged: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
  }
}
