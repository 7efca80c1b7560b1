package dev.stepwise.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.stepwise.run.StopRequested;
import dev.stepwise.run.StopSignals;
import dev.stepwise.run.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic training loop: for each optimizer step, {@code gradient_accumulation_steps}
 * micro-batches of {@code per_device_train_batch_size} examples ({@link DataOrder}), forward and
 * backward with the loss divided by the accumulation count ({@link Accumulator}), global-norm
 * clipping ({@link GradClipper}), an {@link AdamW} update at the rate of the {@link LrSchedule};
 * metrics to the trackers every {@code logging_steps} ({@link MetricWindow}), evaluation every
 * {@code eval_steps} and at the end, checkpoints every {@code save_steps} and at the end
 * ({@link CheckpointManager}), exact resume. Each training record and the summary carry the
 * peak memory ({@link PeakMemory}: {@code peak_rss_mb}, on CUDA {@code peak_gpu_memory_mb});
 * {@code gradient_checkpointing} recomputes decoder layers in the backward ({@link
 * dev.stepwise.model.GradientCheckpointing}).
 *
 * <h2>What DJL 0.35.1 does with gradients (read from the byte code) and what follows</h2>
 *
 * <ul>
 *   <li>{@code Engine.newGradientCollector()} returns a {@code PtGradientCollector}: its
 *       constructor saves the thread's grad mode and turns it on (and throws if another collector
 *       is open: one at a time per JVM); {@code close()} turns it off again only if it was off.
 *       NEITHER zeroes gradients. {@code backward(loss)} runs {@code torch::autograd::backward}
 *       (ones seed, graph freed), which ADDS into each leaf's {@code .grad}: accumulating over
 *       micro-batches is just calling backward several times; zeroing is our job.
 *   <li>{@code GradientCollector.zeroGradients()} only visits arrays owned directly by the
 *       engine's system manager, so it misses real parameters; we zero per parameter ({@code
 *       JniUtils.zeroGrad}, {@code .grad.zero_()}), once before the first step and after every
 *       update (inside {@code adamUpdate}).
 *   <li>{@code NDArray.getGradient()} wraps {@code .grad} in a new handle registered in the
 *       PARAMETER's manager (a per-step leak if kept there) and invents zeros when {@code .grad}
 *       is undefined; {@link Grads} moves the handle to the step's manager and skips undefined
 *       gradients.
 *   <li>Results of an operation belong to the manager of its first operand: {@code
 *       weight.transpose()} or {@code weight.mul(x)} inside a forward lands in the parameters'
 *       long-lived manager. Each step therefore runs inside an {@link NDScope}, which closes
 *       every array created during the step whatever its manager. Consequence for models: an
 *       array created lazily during a forward and cached for later (a mask, rotary tables)
 *       must be created outside the step or released from the scope with {@code
 *       NDScope.unregister}, else it is closed at the end of the step.
 *   <li>Grad mode is thread-local and DJL switches it off only on the thread that loaded the
 *       engine; updates and evaluation run under {@link NoGrad}.
 * </ul>
 *
 * <h2>Exact resume</h2>
 *
 * A checkpoint holds the parameter values (model hook), AdamW's moments and step count, the
 * global step and the data position; the schedule depends only on the step; the engine's random
 * generator is re-seeded before every step from (seed, step). A resumed run therefore performs
 * the same floating-point operations on the same values as an uninterrupted one, and its
 * per-step losses are bit-identical on the same machine and thread count. Not restored: the
 * partial logging window (its {@code loss} mean restarts at the resumed step).
 *
 * <h2>Stop signals</h2>
 *
 * When a stop is requested ({@code run.stop_signals}, {@link StopSignals}), the step in flight
 * finishes, a pending evaluation is skipped, a checkpoint of the step reached is written
 * ({@code run.checkpoint_on_stop}) and {@link StopRequested} is thrown; {@code trainer.resume=auto}
 * continues from that checkpoint exactly.
 *
 * <h2>Divergence</h2>
 *
 * A NaN or infinite loss or gradient norm throws {@link DivergenceError} (a {@code UserError})
 * naming the step and the last good checkpoint, before the update and before any checkpoint.
 *
 * <p>The trackers are not closed by the trainer (the caller owns them). One {@code train()} per
 * instance.
 *
 * @param <B> the micro-batch type
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
public final class Trainer<B> {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final int HISTORY = 100;

  private final TrainerConfig cfg;
  private final OptimConfig optim;
  private final Map<String, NDArray> params;
  private final Objective<B> objective;
  private final TrainData<B> train;
  private final CheckpointHook model;
  private final CheckpointManager checkpoints;
  private TrainData<B> evalData;
  private Evaluator evaluator;
  private List<Tracker> trackers = List.of();
  /** Test hook passed to the {@link Accumulator}. */
  Runnable beforeBackward = () -> {};

  private final DataOrder order;
  private final MetricWindow window = new MetricWindow();
  private final PeakMemory memory;
  private final List<Map<String, Object>> history = new ArrayList<>();
  private long globalStep;
  private long numTokens;
  private Double bestMetric;
  private long bestStep = -1;
  private String bestCheckpoint;
  private Path lastCheckpoint;
  private double lastLoss = Double.NaN;
  private double lastWindowLoss = Double.NaN;
  private Map<String, Double> lastEval = Map.of();

  /**
   * @param cfg the {@code trainer} config
   * @param optim the {@code optim} config
   * @param params name to trainable parameter (float32, {@code setRequiresGradient(true)}); the
   *     same arrays the objective's forward reads
   * @param objective the loss of a micro-batch
   * @param train the training set
   * @param model saves/restores the model files of a checkpoint
   * @param outputDir the run directory; checkpoints go to {@code outputDir/checkpoints}
   */
  public Trainer(
      TrainerConfig cfg,
      OptimConfig optim,
      Map<String, NDArray> params,
      Objective<B> objective,
      TrainData<B> train,
      CheckpointHook model,
      Path outputDir) {
    this.cfg = Objects.requireNonNull(cfg);
    this.optim = Objects.requireNonNull(optim);
    this.params = Objects.requireNonNull(params);
    this.objective = Objects.requireNonNull(objective);
    this.train = Objects.requireNonNull(train);
    this.model = Objects.requireNonNull(model);
    this.checkpoints = new CheckpointManager(outputDir);
    if (params.isEmpty()) {
      throw new IllegalArgumentException("no parameters to train");
    }
    this.order = new DataOrder(train.size(), cfg.perDeviceTrainBatchSize(), cfg.seed(),
        cfg.groupByLength() ? lengths(train) : null);
    this.memory = new PeakMemory(params.values().iterator().next().getDevice());
  }

  /** The examples' lengths for {@code group_by_length}; a UserError when the data has none. */
  private static int[] lengths(TrainData<?> data) {
    int[] out = new int[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.length(i);
      if (out[i] < 0) {
        throw new dev.stepwise.config.UserError("trainer.group_by_length = true, but this job's training data"
            + " does not report example lengths (SFT data does); set trainer.group_by_length=false");
      }
    }
    return out;
  }

  /** @return this, with an evaluation set whose objective loss is logged as {@code eval/loss} */
  public Trainer<B> withEvalData(TrainData<B> data) {
    this.evalData = data;
    return this;
  }

  /** @return this, with an evaluator run at each evaluation (metrics merged into the record) */
  public Trainer<B> withEvaluator(Evaluator e) {
    this.evaluator = e;
    return this;
  }

  /** @return this, reporting to {@code t} (in order) */
  public Trainer<B> withTrackers(List<Tracker> t) {
    this.trackers = List.copyOf(t);
    return this;
  }

  /**
   * @return optimizer steps of the run: {@code max_steps} if &gt; 0, else {@code
   *     ceil(num_train_epochs · micro-batches per epoch / gradient_accumulation_steps)}, at least 1
   */
  public long totalSteps() {
    if (cfg.maxSteps() > 0) {
      return cfg.maxSteps();
    }
    double micro = cfg.numTrainEpochs() * order.batchesPerEpoch();
    return Math.max(1, (long) Math.ceil(micro / cfg.gradientAccumulationSteps()));
  }

  /**
   * Trains to {@link #totalSteps()}, resuming first as {@code trainer.resume} says.
   *
   * @return the summary
   * @throws DivergenceError when the loss or gradient norm is not finite
   * @throws StopRequested when a stop signal arrived (after the checkpoint of the step reached)
   * @throws dev.stepwise.config.UserError for a bad resume path or mismatching checkpoint
   * @throws IOException when checkpoint files cannot be written or read
   */
  public TrainResult train() throws IOException {
    long maxSteps = totalSteps();
    LrSchedule schedule = LrSchedule.of(optim, maxSteps);
    NDManager root = NDManager.newBaseManager(params.values().iterator().next().getDevice());
    try (root;
        AdamW opt = AdamW.of(params, optim)) {
      Grads.zero(params.values());
      resume(opt);
      long startStep = globalStep;
      Accumulator<B> acc =
          new Accumulator<>(objective, train, order, cfg.gradientAccumulationSteps());
      acc.beforeBackward = beforeBackward;
      acc.gradientCheckpointing = cfg.gradientCheckpointing();
      LOG.info("training {} steps from step {} (micro-batch {}, accumulation {}, {} examples)",
          maxSteps, startStep, cfg.perDeviceTrainBatchSize(), cfg.gradientAccumulationSteps(),
          train.size());
      try (Progress bar = new Progress(cfg.progressBar(), startStep, maxSteps)) {
        while (globalStep < maxSteps) {
          if (StopSignals.requested()) {
            stop(opt, maxSteps);
          }
          double lr = schedule.lr(globalStep);
          double norm = step(acc, opt, lr, root);
          globalStep++;
          bar.update(globalStep, String.format("loss %.4f", lastLoss));
          if (globalStep % cfg.loggingSteps() == 0 || globalStep == maxSteps) {
            Map<String, Object> rec = window.flush(norm, lr, order.fractionalEpoch(), numTokens);
            rec.putAll(memory.metrics());
            lastWindowLoss = (Double) rec.get("loss");
            log(rec);
          }
          if ((cfg.evalSteps() > 0 && globalStep % cfg.evalSteps() == 0 || globalStep == maxSteps)
              && !StopSignals.requested()) {
            evaluate(root);
          }
          if (cfg.saveSteps() > 0 && globalStep % cfg.saveSteps() == 0 || globalStep == maxSteps) {
            save(opt, maxSteps);
          }
        }
      }
      if (startStep == maxSteps) {
        LOG.info("nothing to do: the checkpoint is already at step {}", maxSteps);
      }
    }
    TrainResult result = new TrainResult(globalStep, lastWindowLoss, lastEval, lastCheckpoint);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("global_step", globalStep);
    summary.put("train_loss", lastWindowLoss);
    summary.putAll(lastEval);
    Map<String, Object> peak = memory.metrics();
    summary.putAll(peak);
    LOG.info("peak memory: {}", peak.isEmpty() ? "not measurable here" : peak);
    trackers.forEach(t -> t.summary(summary));
    return result;
  }

  /** One optimizer step; returns the gradient norm before clipping. */
  private double step(Accumulator<B> acc, AdamW opt, double lr, NDManager root) {
    try (NDScope scope = new NDScope();
        NDManager step = root.newSubManager()) {
      Engine.getInstance().setRandomSeed((int) (cfg.seed() * 1_000_003L + globalStep));
      Accumulator.Stats s = acc.run(step);
      Map<String, NDArray> grads = Grads.collect(params, step);
      double norm = GradClipper.globalNorm(grads.values(), step);
      if (!Double.isFinite(s.loss()) || !Double.isFinite(norm)) {
        Grads.zero(params.values());
        String what = !Double.isFinite(s.loss())
            ? "the loss is " + s.loss()
            : "the gradient norm is " + norm + " (loss " + s.loss() + ")";
        throw new DivergenceError(what, globalStep + 1, order.fractionalEpoch(), lastCheckpoint);
      }
      opt.step(grads, lr, GradClipper.coefficient(norm, cfg.maxGradNorm()));
      lastLoss = s.loss();
      numTokens += s.tokens();
      window.add(s.loss(), s.metrics(), s.tokens());
      return norm;
    }
  }

  /**
   * The stop path ({@link StopSignals}): called between steps, on the thread that owns the
   * engine; saves the step reached (unless {@code run.checkpoint_on_stop = false}, or it is saved
   * already, or no step ran) and throws.
   */
  private void stop(AdamW opt, long maxSteps) throws IOException {
    if (StopSignals.checkpointOnStop() && globalStep > 0
        && (lastCheckpoint == null || !lastCheckpoint.getFileName().toString().equals("checkpoint-" + globalStep))) {
      save(opt, maxSteps);
    }
    throw new StopRequested(StopSignals.signal(), "stopped by SIG" + StopSignals.signal() + " at step " + globalStep
        + " of " + maxSteps + (lastCheckpoint == null ? "; no checkpoint" : "; newest checkpoint " + lastCheckpoint
        + " (continue with trainer.resume=auto and the same run.dir)"));
  }

  private void resume(AdamW opt) throws IOException {
    Optional<Path> from = checkpoints.resolveResume(cfg.resume());
    if (from.isEmpty()) {
      return;
    }
    Path dir = from.get();
    TrainerState st = CheckpointManager.readState(dir).orElseThrow();
    model.load(dir);
    opt.load(dir);
    globalStep = st.globalStep();
    numTokens = st.numTokens();
    bestMetric = st.bestMetric();
    bestCheckpoint = st.bestModelCheckpoint();
    if (st.logHistory() != null) {
      history.addAll(st.logHistory());
    }
    order.seek(st.epochIndex(), st.microBatchIndex());
    lastCheckpoint = dir;
    LOG.info("resumed from {} (step {}, epoch {})", dir, globalStep, st.epoch());
  }

  private void evaluate(NDManager root) {
    if (evalData == null && evaluator == null) {
      return;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    if (evalData != null) {
      m.putAll(EvalLoss.run(objective, evalData, cfg.perDeviceTrainBatchSize(), root));
    }
    if (evaluator != null) {
      m.putAll(evaluator.evaluate(globalStep));
    }
    Double loss = m.get("eval/loss");
    if (loss != null && (bestMetric == null || loss < bestMetric)) {
      bestMetric = loss;
      bestStep = globalStep;
    }
    lastEval = Map.copyOf(m);
    Map<String, Object> rec = new LinkedHashMap<>(m);
    rec.put("epoch", order.fractionalEpoch());
    log(rec);
  }

  private void log(Map<String, Object> metrics) {
    Map<String, Object> rec = new LinkedHashMap<>(metrics);
    rec.put("step", globalStep);
    history.add(rec);
    if (history.size() > HISTORY) {
      history.remove(0);
    }
    for (Tracker t : trackers) {
      t.log(globalStep, metrics);
    }
  }

  private void save(AdamW opt, long maxSteps) throws IOException {
    Path dir = checkpoints.dir().resolve("checkpoint-" + globalStep);
    if (bestStep == globalStep) {
      bestCheckpoint = dir.toString();
    }
    TrainerState st = new TrainerState(globalStep, order.fractionalEpoch(), order.epoch(),
        order.position(), numTokens, maxSteps, cfg.seed(), bestMetric, bestCheckpoint,
        List.copyOf(history), true);
    lastCheckpoint = checkpoints.save(model, opt, st);
    checkpoints.rotate(cfg.saveTotalLimit(), bestCheckpoint == null ? null : Path.of(bestCheckpoint));
  }
}
