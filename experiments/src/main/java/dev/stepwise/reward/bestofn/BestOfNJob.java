package dev.stepwise.reward.bestofn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.reward.predict.PredictionRecord;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampler job {@code best_of_n}: reads PRM (and optionally ORM) predictions, prints the
 * {@link BestOfN} table and writes it as {@code best_of_n.json} and {@code best_of_n.tsv} in the
 * run directory; the summary holds {@code best_of_n/<method>} accuracies.
 */
public final class BestOfNJob implements RunJob {
  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    BestOfNConfig bc = cfg.bind("best_of_n", BestOfNConfig.class);
    if (bc.prmFile() == null) {
      throw new UserError("best_of_n.prm_file is required (predictions of a PRM) (" + cfg.where("best_of_n") + ")");
    }
    List<PredictionRecord> prm = JsonlReader.readAll(Path.of(bc.prmFile()), PredictionRecord.class);
    List<PredictionRecord> orm = bc.ormFile() == null ? null : JsonlReader.readAll(Path.of(bc.ormFile()), PredictionRecord.class);
    List<BestOfNRow> rows = BestOfN.table(prm, orm, bc.n());
    Path dir = ctx.dir().path();
    Files.writeString(dir.resolve("best_of_n.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
    Files.writeString(dir.resolve("best_of_n.tsv"), BestOfN.tsv(rows));
    Map<String, Object> summary = new LinkedHashMap<>();
    rows.forEach(r -> summary.put("best_of_n/" + r.method(), r.accuracy()));
    ctx.tracker().summary(summary);
    System.out.print(BestOfN.format(rows));
    System.out.printf("Table: %s%n", dir.resolve("best_of_n.tsv").toAbsolutePath());
  }
}
