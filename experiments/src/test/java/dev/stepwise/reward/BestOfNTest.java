package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.reward.bestofn.BestOfN;
import dev.stepwise.reward.bestofn.BestOfNRow;
import dev.stepwise.reward.bestofn.Selection;
import dev.stepwise.reward.eval.Auc;
import dev.stepwise.reward.predict.PredictionRecord;
import dev.stepwise.reward.predict.Reduce;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reduces, selection, AUC and the best-of-N table on hand-made data. */
class BestOfNTest {
  @Test
  void reduces() {
    float[] p = {0.5f, 0.8f, 0.25f};
    assertEquals(0.1, Reduce.PRODUCT.apply(p), 1e-7);
    assertEquals(0.25, Reduce.MIN.apply(p), 1e-7);
    assertEquals(1.55, Reduce.SUM.apply(p), 1e-6);
    assertEquals(0.25, Reduce.LAST.apply(p), 1e-7);
    for (Reduce r : Reduce.values()) {
      assertEquals(0, r.apply(new float[0]), r + " of no step");
    }
    assertEquals(Reduce.MIN, Reduce.parse("min"));
    assertThrows(UserError.class, () -> Reduce.parse("median"));
  }

  @Test
  void selection() {
    assertEquals(1, Selection.argmax(List.of(0.1, 0.9, 0.9)), "ties to the earliest");
    assertEquals(2, Selection.argmax(List.of(Double.NaN, 0.1, 0.3)));
    assertEquals(1, Selection.majority(List.of("", "7", "8", "7")));
    assertEquals(0, Selection.majority(List.of("8", "7", "7", "8")), "tie: the answer seen first");
    assertEquals(0, Selection.majority(List.of("", "")));
  }

  @Test
  void aucWithTies() {
    assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}));
    assertEquals(0.0, Auc.of(new double[] {0.9, 0.8, 0.2}, new boolean[] {false, false, true}));
    // pairs (pos, neg): (0.5 vs 0.5) = 1/2, (0.5 vs 0.1) = 1, (0.7 vs 0.5) = 1, (0.7 vs 0.1) = 1 -> 3.5 / 4
    assertEquals(0.875, Auc.of(new double[] {0.5, 0.7, 0.5, 0.1}, new boolean[] {true, true, false, false}), 1e-12);
    assertTrue(Double.isNaN(Auc.of(new double[] {0.3}, new boolean[] {true})));
  }

  static PredictionRecord rec(String id, List<Boolean> correct, List<String> pred, List<Double> product, List<Double> last) {
    Map<String, List<Double>> r = new LinkedHashMap<>();
    r.put("product", product);
    r.put("min", product);
    r.put("sum", product);
    r.put("last", last);
    List<String> resp = pred.stream().map(s -> "#### " + s).collect(Collectors.toList());
    return new PredictionRecord(id, "P", "9", resp, pred, correct, List.of(), r);
  }

  @Test
  void tableOnHandMadeProblems() {
    // problem a: response 2 correct; PRM picks 2, ORM picks 0, majority "5" (wrong)
    // problem b: responses 0 and 1 correct; PRM picks 3 (wrong), ORM picks 1, majority "9" right
    // problem c: nothing correct
    List<PredictionRecord> prm = List.of(
        rec("a", List.of(false, false, true, false), List.of("5", "5", "9", "4"), List.of(0.1, 0.2, 0.9, 0.3), List.of(0.1, 0.2, 0.9, 0.3)),
        rec("b", List.of(true, true, false, false), List.of("9", "9", "3", "4"), List.of(0.1, 0.2, 0.3, 0.9), List.of(0.5, 0.2, 0.3, 0.1)),
        rec("c", List.of(false, false, false, false), List.of("1", "2", "3", "4"), List.of(0.1, 0.2, 0.3, 0.4), List.of(0.1, 0.2, 0.3, 0.4)));
    List<PredictionRecord> orm = List.of(
        rec("a", List.of(false, false, true, false), List.of("5", "5", "9", "4"), List.of(0.0, 0.0, 0.0, 0.0), List.of(0.9, 0.2, 0.3, 0.1)),
        rec("b", List.of(true, true, false, false), List.of("9", "9", "3", "4"), List.of(0.0, 0.0, 0.0, 0.0), List.of(0.1, 0.8, 0.3, 0.2)),
        rec("c", List.of(false, false, false, false), List.of("1", "2", "3", "4"), List.of(0.0, 0.0, 0.0, 0.0), List.of(0.1, 0.2, 0.3, 0.4)));
    Map<String, Double> acc = BestOfN.table(prm, orm, 0).stream().collect(Collectors.toMap(BestOfNRow::method, BestOfNRow::accuracy));
    assertEquals(2 / 3.0, acc.get("pass@4"), 1e-12);
    assertEquals(1 / 3.0, acc.get("orm"), 1e-12);
    assertEquals(1 / 3.0, acc.get("prm_product"), 1e-12);
    assertEquals(2 / 3.0, acc.get("prm_last"), 1e-12, "b's last-step scores pick response 0");
    assertEquals(1 / 3.0, acc.get("majority"), 1e-12);
    assertEquals((0.25 + 0.5 + 0) / 3, acc.get("random"), 1e-12);
    Map<String, Double> two = BestOfN.table(prm, null, 2).stream().collect(Collectors.toMap(BestOfNRow::method, BestOfNRow::accuracy));
    assertEquals(1 / 3.0, two.get("pass@2"), 1e-12, "only b has a correct answer among its first two");
    assertFalse(two.containsKey("orm"));
    Map<String, Double> auc = new java.util.HashMap<>();
    BestOfN.table(prm, orm, 0).forEach(r -> auc.put(r.method(), r.auc()));
    // ORM scores of the 3 correct responses: 0.3 (a2), 0.1 (b0), 0.8 (b1); of the 9 wrong ones:
    // 0.9 0.2 0.1 0.3 0.2 0.1 0.2 0.3 0.4. Pairs won: 0.3 -> 5 + 2 ties (0.3 0.3) = 6; 0.1 -> 2 ties = 1; 0.8 -> 8.
    assertEquals((6 + 1 + 8) / 27.0, auc.get("orm"), 1e-12);
    assertNull(auc.get("majority"));
    assertNull(auc.get("pass@4"));
    String text = BestOfN.format(BestOfN.table(prm, orm, 0));
    assertTrue(text.contains("prm_min") && text.contains("33.33%"), text);
  }

  @Test
  void mismatchedResponsesAreAnError() {
    List<PredictionRecord> a = List.of(rec("a", List.of(true), List.of("9"), List.of(1.0), List.of(1.0)));
    List<PredictionRecord> b = List.of(rec("a", List.of(true), List.of("8"), List.of(1.0), List.of(1.0)));
    assertThrows(UserError.class, () -> BestOfN.table(a, b, 0));
  }
}
