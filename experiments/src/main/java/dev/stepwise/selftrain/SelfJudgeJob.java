package dev.stepwise.selftrain;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.caller.JudgeConfig;
import dev.stepwise.caller.JudgeScores;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizers;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sampler.jar job=self_judge}: the judge job ({@code api-caller.jar job=judge}, {@link
 * dev.stepwise.caller.JudgeJob}) with the judge in process: the checkpoint {@code
 * self_judge.model_path} (Self-Rewarding's model judging its own responses) generates {@code
 * judge.samples} verdicts per response with {@code api.vllm_params}, from the judge prompt
 * ({@code judge.template_file} or the 5-point additive prompt, through {@code chat_template} when
 * set). Same input, output ({@code judge_scores}: mean of the valid verdicts or null; {@code
 * judge_outputs}), scale keys, resume by id and summary ({@code judge/records}, {@code
 * judge/mean_score}, {@code judge/unparsed}) as the API job, so either feeds {@code
 * pairs.builder=self_rewarding}. A judge prompt that does not fit the judge's context ({@code
 * n_positions}) gets no verdict (score null, output null) and is counted in {@code judge/too_long}.
 */
public final class SelfJudgeJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(SelfJudgeJob.class);

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    JudgeConfig jc = cfg.bind("judge", JudgeConfig.class);
    SelfJudgeConfig sj = cfg.bind("self_judge", SelfJudgeConfig.class);
    if (jc.inputFile() == null || !Files.isRegularFile(Path.of(jc.inputFile()))) {
      throw new UserError("judge.input_file: no samples file at '" + jc.inputFile() + "' (" + cfg.where("judge") + ")");
    }
    if (sj.modelPath() == null || !Files.isDirectory(Path.of(sj.modelPath()))) {
      throw new UserError("self_judge.model_path: no checkpoint directory at '" + sj.modelPath() + "' (" + cfg.where("self_judge") + ")");
    }
    if (jc.samples() < 1 || !(jc.minScore() < jc.maxScore()) || sj.batchSize() < 1) {
      throw new UserError("judge.samples (" + jc.samples() + ") and self_judge.batch_size (" + sj.batchSize() + ") must be at least 1 "
          + "and judge.min_score (" + jc.minScore() + ") below judge.max_score (" + jc.maxScore() + ")");
    }
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class).withN(jc.samples());
    ChatTemplate chat = ChatTemplates.fromConfig(cfg, Path.of(sj.modelPath()));
    String template = jc.templateFile() == null ? JudgeScores.selfRewardingTemplate() : Files.readString(Path.of(jc.templateFile()));
    Path out = jc.outputFile() == null ? ctx.dir().path().resolve("judged.jsonl") : Path.of(jc.outputFile());
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
    long scored = 0;
    long unparsed = 0;
    long tooLong = 0;
    double total = 0;
    try (NDManager manager = NDManager.newBaseManager();
        JsonlAppender sink = JsonlAppender.open(out)) {
      Path model = Path.of(sj.modelPath());
      CausalLM lm = ModelCheckpoint.load(model, manager);
      Sampler sampler = new Sampler(lm, Tokenizers.load(model), Math.max(1, sj.batchSize() * params.n()));
      Set<String> done = sink.existingIds("id");
      LOG.info("Judging {} records with {} into {}", records.stream().filter(n -> !done.contains(n.get("id").asText())).count(), model, out);
      long batch = 0;
      int context = lm.config().nPositions();
      for (JsonNode rec : records) {
        if (done.contains(rec.get("id").asText())) {
          continue;
        }
        List<String> prompts = new ArrayList<>();
        for (JsonNode resp : rec.get("response")) {
          String p = JudgeScores.render(template, rec.get("prompt").asText(), resp.asText());
          prompts.add(chat == null ? p : chat.prompt(null, p));
        }
        // A judge prompt longer than the judge's context cannot be judged: no verdict (null score).
        List<Integer> fits = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
          if (sampler.tokenizer().encodePrompt(prompts.get(i)).length < context) {
            fits.add(i);
          } else {
            tooLong++;
          }
        }
        List<List<String>> verdicts = new ArrayList<>();
        prompts.forEach(p -> verdicts.add(List.of()));
        for (int from = 0; from < fits.size(); from += sj.batchSize()) {
          List<Integer> chunk = fits.subList(from, Math.min(fits.size(), from + sj.batchSize()));
          SamplingParams p = params.seed() == null ? params : params.withSeed(params.seed() + batch++ * 0x9E3779B97F4A7C15L);
          List<List<Completion>> got = sampler.generate(chunk.stream().map(prompts::get).toList(), p);
          for (int k = 0; k < chunk.size(); k++) {
            verdicts.set(chunk.get(k), got.get(k).stream().map(Completion::text).toList());
          }
        }
        ObjectNode copy = judged(rec, verdicts, jc.minScore(), jc.maxScore());
        for (int i = 0; i < verdicts.size(); i++) {
          JsonNode sc = copy.get("judge_scores").get(i);
          if (sc.isNumber()) {
            total += sc.asDouble();
            scored++;
          } else if (!verdicts.get(i).isEmpty()) {
            unparsed++; // judged, but no valid verdict (too-long prompts are counted apart)
          }
        }
        sink.append(copy);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("judge/records", records.size());
    summary.put("judge/mean_score", scored == 0 ? 0.0 : total / scored);
    summary.put("judge/unparsed", unparsed);
    summary.put("judge/too_long", tooLong);
    ctx.tracker().summary(summary);
    System.out.printf("Judged: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
  }

  /**
   * @param rec an input record ({@code id}, {@code prompt}, {@code response} list)
   * @param verdicts per response, its sampled judgements
   * @param min the lowest valid score
   * @param max the highest valid score
   * @return a copy of {@code rec} with {@code judge_scores} (per response the mean of its valid
   *     verdicts, {@link JudgeScores#mean}, or null) and {@code judge_outputs} (the verdict text,
   *     or the list of texts when more than one)
   * @throws IllegalArgumentException when there is not one verdict list per response
   */
  public static ObjectNode judged(JsonNode rec, List<List<String>> verdicts, double min, double max) {
    if (verdicts.size() != rec.get("response").size()) {
      throw new IllegalArgumentException(rec.get("id") + ": " + verdicts.size() + " verdict lists for " + rec.get("response").size() + " responses");
    }
    ObjectNode copy = ((ObjectNode) rec).deepCopy();
    ArrayNode scores = copy.putArray("judge_scores");
    ArrayNode outputs = copy.putArray("judge_outputs");
    for (List<String> texts : verdicts) {
      OptionalDouble s = JudgeScores.mean(texts, min, max);
      if (texts.isEmpty()) {
        outputs.addNull();
      } else if (texts.size() == 1) {
        outputs.add(texts.get(0));
      } else {
        ArrayNode all = outputs.addArray();
        texts.forEach(all::add);
      }
      if (s.isPresent()) {
        scores.add(s.getAsDouble());
      } else {
        scores.addNull();
      }
    }
    return copy;
  }
}
