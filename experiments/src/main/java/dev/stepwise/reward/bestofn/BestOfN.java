package dev.stepwise.reward.bestofn;

import dev.stepwise.config.UserError;
import dev.stepwise.reward.predict.PredictionRecord;
import dev.stepwise.reward.predict.Reduce;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The best-of-N table: for each problem one response is chosen by each method and the share of
 * problems whose choice is correct is reported, with pass@n (any response correct) as the
 * ceiling and the expected accuracy of a uniformly random choice as the floor.
 */
public final class BestOfN {
  private BestOfN() {}

  /**
   * @param prm PRM predictions (required; every reduce is a row)
   * @param orm ORM predictions of the same responses, or null (its {@code last} reward is the
   *     ORM score)
   * @param n use the first n responses of each problem; 0 = all
   * @return the rows in the order pass@n, orm, prm_product, prm_min, prm_sum, prm_last,
   *     majority, random, over the problems present in both files
   * @throws UserError when a problem's responses differ between the files
   */
  public static List<BestOfNRow> table(List<PredictionRecord> prm, List<PredictionRecord> orm, int n) {
    Map<String, PredictionRecord> ormById = new LinkedHashMap<>();
    if (orm != null) {
      orm.forEach(r -> ormById.put(r.id(), r));
    }
    Map<String, double[]> hits = new LinkedHashMap<>();
    List<String> methods = new ArrayList<>();
    methods.add("pass@n");
    if (orm != null) {
      methods.add("orm");
    }
    for (Reduce r : Reduce.values()) {
      methods.add("prm_" + r.key());
    }
    methods.add("majority");
    methods.add("random");
    methods.forEach(m -> hits.put(m, new double[1]));
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    List<Boolean> gold = new ArrayList<>();
    int problems = 0;
    int used = 0;
    for (PredictionRecord p : prm) {
      PredictionRecord o = ormById.get(p.id());
      if (orm != null && o == null || p.response().isEmpty()) {
        continue;
      }
      if (o != null && !o.response().equals(p.response())) {
        throw new UserError("best_of_n: problem " + p.id() + " has different responses in the ORM and PRM predictions");
      }
      int k = n > 0 ? Math.min(n, p.response().size()) : p.response().size();
      used = Math.max(used, k);
      List<Boolean> ok = p.correct().subList(0, k);
      problems++;
      hits.get("pass@n")[0] += ok.contains(true) ? 1 : 0;
      gold.addAll(ok);
      if (o != null) {
        scores.computeIfAbsent("orm", x -> new ArrayList<>()).addAll(o.rewards().get("last").subList(0, k));
      }
      for (Reduce r : Reduce.values()) {
        scores.computeIfAbsent("prm_" + r.key(), x -> new ArrayList<>()).addAll(p.rewards().get(r.key()).subList(0, k));
      }
      if (o != null) {
        hits.get("orm")[0] += ok.get(Selection.argmax(o.rewards().get("last").subList(0, k))) ? 1 : 0;
      }
      for (Reduce r : Reduce.values()) {
        hits.get("prm_" + r.key())[0] += ok.get(Selection.argmax(p.rewards().get(r.key()).subList(0, k))) ? 1 : 0;
      }
      hits.get("majority")[0] += ok.get(Selection.majority(p.pred().subList(0, k))) ? 1 : 0;
      hits.get("random")[0] += ok.stream().filter(b -> b).count() / (double) k;
    }
    List<BestOfNRow> rows = new ArrayList<>();
    for (String m : methods) {
      double c = hits.get(m)[0];
      String name = m.equals("pass@n") ? "pass@" + used : m;
      Double auc = null;
      if (scores.containsKey(m)) {
        double a = auc(scores.get(m), gold);
        auc = Double.isNaN(a) ? null : a;
      }
      rows.add(new BestOfNRow(name, problems == 0 ? 0 : c / problems, c, problems, auc));
    }
    return rows;
  }

  private static double auc(List<Double> s, List<Boolean> g) {
    double[] a = new double[s.size()];
    boolean[] b = new boolean[g.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = s.get(i);
      b[i] = g.get(i);
    }
    return dev.stepwise.reward.eval.Auc.of(a, b);
  }

  /** @return the rows as an aligned text table (method, accuracy in %, correct / problems, AUC) */
  public static String format(List<BestOfNRow> rows) {
    StringBuilder sb = new StringBuilder(String.format("%-12s %9s %14s %7s%n", "method", "accuracy", "correct", "auc"));
    for (BestOfNRow r : rows) {
      String auc = r.auc() == null ? "-" : String.format("%.3f", r.auc());
      sb.append(String.format("%-12s %8.2f%% %8.1f / %d %7s%n", r.method(), 100 * r.accuracy(), r.correct(), r.problems(), auc));
    }
    return sb.toString();
  }

  /** @return the rows as TSV with a header line (empty AUC for non-scoring methods) */
  public static String tsv(List<BestOfNRow> rows) {
    StringBuilder sb = new StringBuilder("method\taccuracy\tcorrect\tproblems\tauc\n");
    for (BestOfNRow r : rows) {
      sb.append(r.method()).append('\t').append(r.accuracy()).append('\t').append(r.correct()).append('\t').append(r.problems()).append('\t').append(r.auc() == null ? "" : r.auc().toString()).append('\n');
    }
    return sb.toString();
  }
}
