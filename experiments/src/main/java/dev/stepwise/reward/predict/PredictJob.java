package dev.stepwise.reward.predict;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.data.SegmentTokenizer;
import dev.stepwise.reward.data.StepBoundaries;
import dev.stepwise.reward.eval.StepScorer;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampler job {@code predict}: scores every step of every sampled response with a reward
 * model and writes {@link PredictionRecord}s (per-step probabilities and the trajectory reward
 * under each {@link Reduce}), appended and flushed per problem, skipping ids already in the
 * output. Steps are the task's ({@code task.splitSteps}); each is scored at its last token, the
 * same positions the PRM was trained on ({@link SegmentTokenizer}), by the optional top-level
 * {@code prm} section's {@code class_reduce} and {@code prob_labels}; the rewards leave out the
 * last {@code prm.step_offset} step scores ({@link PrmConfig}).
 */
public final class PredictJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public PredictJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    PredictConfig pc = cfg.bind("predict", PredictConfig.class);
    PrmConfig prm = c.hasPath("prm") ? cfg.bind("prm", PrmConfig.class) : PrmConfig.defaults();
    if (pc.modelPath() == null || !Files.isDirectory(Path.of(pc.modelPath()))) {
      throw new UserError("predict.model_path: no reward-model directory at '" + pc.modelPath() + "' (" + cfg.where("predict") + ")");
    }
    if (pc.inputFile() == null) {
      throw new UserError("predict.input_file is required (samples JSONL) (" + cfg.where("predict") + ")");
    }
    Path out = pc.outputFile() == null ? ctx.dir().path().resolve("predictions.jsonl") : Path.of(pc.outputFile());
    List<SampleRecord> records = JsonlReader.readAll(Path.of(pc.inputFile()), SampleRecord.class);
    Path modelDir = Path.of(pc.modelPath());
    Tokenizer tok = Tokenizers.load(modelDir);
    try (NDManager manager = NDManager.newBaseManager();
        RewardModel model = RewardModel.load(modelDir, manager);
        JsonlAppender sink = JsonlAppender.open(out)) {
      Set<String> done = sink.existingIds("id");
      List<SampleRecord> todo = records.stream().filter(r -> !done.contains(r.id())).toList();
      LOG.info("Scoring {} of {} problems with {} ({} head) into {}", todo.size(), records.size(), modelDir, model.spec().type(), out);
      LOG.info("Step score: class_reduce = {}, prob_labels = {}, step_offset = {} (prm section)", prm.classReduce(),
          prm.probLabels(), prm.stepOffset());
      StepScorer scorer = new StepScorer(model, pc.batchSize(), tok.padId(), prm.stepScore());
      int ctxLen = model.lm().config().nPositions();
      try (ProgressBar bar = new ProgressBar("predict", todo.size())) {
        for (SampleRecord r : todo) {
          sink.stopPoint();
          sink.append(score(r, task, tok, ctxLen, scorer, prm.stepOffset()));
          bar.step();
        }
      }
      System.out.printf("Predictions: %s%n", out.toAbsolutePath());
    }
  }

  /**
   * @param stepOffset trailing step scores left out of the rewards ({@code prm.step_offset});
   *     {@code step_probs} keeps them all
   * @return the record's responses scored step by step
   */
  static PredictionRecord score(SampleRecord r, Task task, Tokenizer tok, int ctxLen, StepScorer scorer, int stepOffset) {
    Problem p = new Problem(r.id(), "", "", r.label());
    List<RewardExample> ex = new ArrayList<>();
    List<Boolean> correct = new ArrayList<>();
    for (String resp : r.response()) {
      List<Integer> ends = StepBoundaries.ends(resp, task.splitSteps(resp));
      LabelledResponse lr = new LabelledResponse(r.id(), r.prompt(), resp, ends, Collections.nCopies(ends.size(), 0f));
      ex.add(SegmentTokenizer.tokenize(lr, tok, ctxLen));
      correct.add(task.isCorrect(resp, p));
    }
    List<float[]> probs = scorer.score(ex);
    List<List<Float>> steps = new ArrayList<>();
    Map<String, List<Double>> rewards = new LinkedHashMap<>();
    for (Reduce red : Reduce.values()) {
      rewards.put(red.key(), new ArrayList<>());
    }
    for (float[] pr : probs) {
      List<Float> l = new ArrayList<>(pr.length);
      for (float v : pr) {
        l.add(v);
      }
      steps.add(l);
      for (Reduce red : Reduce.values()) {
        rewards.get(red.key()).add(red.apply(pr, stepOffset));
      }
    }
    return new PredictionRecord(r.id(), r.prompt(), r.label(), r.response(), r.pred(), correct, steps, rewards);
  }
}
