package dev.stepwise.merge;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.model.lora.LoraMerge;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sampler.jar job=merge}: writes {@code merge.out}, a full Hugging Face checkpoint of the
 * base model with the LoRA adapter {@code merge.adapter} folded in (W + s·B·A, PEFT's {@code
 * merge_and_unload}), with the base directory's {@code config.json}, tokenizer and generation
 * files copied ({@link LoraMerge#merge}). The result loads anywhere a Hugging Face model does and
 * samples without the adapter's per-step cost.
 */
public final class MergeJob implements RunJob {
  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    MergeConfig mc = cfg.bind("merge", MergeConfig.class);
    if (mc.adapter() == null) {
      throw new UserError("merge.adapter is not set (" + cfg.where("merge") + "); give a PEFT adapter directory");
    }
    if (mc.out() == null) {
      throw new UserError("merge.out is not set (" + cfg.where("merge") + "); give the directory to write");
    }
    Path adapter = Path.of(mc.adapter());
    Path base = mc.base() != null ? Path.of(mc.base()) : LoraMerge.basePath(adapter);
    Path out = Path.of(mc.out());
    int n = LoraMerge.merge(base, adapter, out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("merged_modules", n);
    summary.put("out", out.toAbsolutePath().toString());
    ctx.tracker().summary(summary);
    System.out.printf("Merged %d LoRA modules of %s into %s%nMerged model: %s%n", n, adapter, base, out.toAbsolutePath());
  }
}
