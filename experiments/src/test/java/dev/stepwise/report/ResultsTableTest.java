package dev.stepwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's table tool on hand-made pipeline directories, against hand-computed figures. */
class ResultsTableTest {
  @TempDir Path dir;

  private void eval(String seed, String method, String... lines) throws IOException {
    Path d = Files.createDirectories(dir.resolve("seed-" + seed).resolve("eval").resolve(method));
    Files.writeString(d.resolve("metrics.jsonl"), String.join("\n", lines) + "\n");
  }

  private static String summary(double greedy, double maj) {
    return String.format(Locale.ROOT,
        "{\"summary\":true,\"sample/problems\":40,\"sample/pass@8\":0.9,\"sample/maj@8\":%s,\"sample/mean_accuracy\":0.1,"
            + "\"sample/greedy_accuracy\":%s}", maj, greedy);
  }

  @Test
  void spreadAgainstHandComputedValues() {
    Spread s = Spread.of(List.of(0.4, 0.5, 0.6));
    assertEquals(0.5, s.mean(), 1e-12);
    assertEquals(0.1, s.std(), 1e-12); // sqrt((0.01 + 0 + 0.01) / 2)
    assertEquals(0.4, s.min());
    assertEquals(0.6, s.max());
    assertEquals("0.500 ± 0.100 (0.400–0.600)", s.format());
    Spread one = Spread.of(List.of(0.25));
    assertTrue(Double.isNaN(one.std()));
    assertEquals("0.250", one.format());
    assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of(0.1, Double.NaN)));
  }

  @Test
  void tableFromEvalSummariesAndTimings() throws IOException {
    // SFT: the same greedy accuracy on every seed, maj@8 differs; a resumed run's second summary wins.
    eval("1", "sft", "{\"step\":0,\"x\":1}", summary(0.45, 0.40));
    eval("2", "sft", summary(0.10, 0.10), summary(0.45, 0.50));
    eval("3", "sft", summary(0.45, 0.45));
    eval("1", "dpo", summary(0.50, 0.55));
    eval("2", "dpo", summary(0.40, 0.45));
    eval("10", "zeta", summary(0.30, 0.30)); // an unknown method goes last, under its own name
    eval("1", "grpo", summary(0.52, 0.50));
    Files.writeString(dir.resolve("timings.tsv"),
        "stage\tseconds\nsft\t360\nseed-1/dpo\t100\nseed-2/dpo\t50\nseed-1/eval/sft\t30\nseed-1/dpo\t90\n");
    Files.writeString(dir.resolve("knobs.txt"), "SEEDS=1 2\n");

    List<EvalResult> rs = ResultsTable.collect(dir);
    assertEquals(List.of("sft", "sft", "sft", "dpo", "dpo", "grpo", "zeta"), rs.stream().map(EvalResult::method).toList());
    assertEquals(List.of("1", "2", "3", "1", "2", "1", "10"), rs.stream().map(EvalResult::seed).toList());
    assertEquals(0.50, rs.get(1).maj()); // the last summary line of seed 2
    assertEquals("maj@8", rs.get(0).majKey());
    assertEquals(40, rs.get(0).problems());

    String md = ResultsTable.render(dir);
    assertTrue(md.contains("| SFT | 0.450 ± 0.000 (0.450–0.450) | 0.450 ± 0.050 (0.400–0.500) | 3 |"), md);
    // DPO: mean 0.45, std sqrt(2 * 0.05^2 / 1) = 0.0707
    assertTrue(md.contains("| DPO (outcome pairs) | 0.450 ± 0.071 (0.400–0.500) | 0.500 ± 0.071 (0.450–0.550) | 2 |"), md);
    assertTrue(md.contains("| GRPO (outcome reward) | 0.520 | 0.500 | 1 |"), md);
    assertTrue(md.indexOf("| GRPO") < md.indexOf("| zeta | 0.300 | 0.300 | 1 |"), md);
    assertTrue(md.contains("maj@8 on the same 40 held-out test problems"), md);
    assertTrue(md.contains("SEEDS=1 2"), md);
    // dpo: seed-1 re-run counts with its last line (90), seed-2 50 -> 2 runs, 140 s, mean 70 s
    assertTrue(md.contains("| sft | 1 | 6 min 00 s | 6 min 00 s |"), md);
    assertTrue(md.contains("| dpo | 2 | 1 min 10 s | 2 min 20 s |"), md);
    assertTrue(md.contains("| eval/sft | 1 | 30 s | 30 s |"), md);
    assertTrue(md.contains("| **all** | | | **8 min 50 s** |\n"), md); // 360 + 90 + 50 + 30
    assertTrue(!md.contains("CPU total"), md); // a two-column file has no CPU figures

    Files.writeString(dir.resolve("timings.tsv"), "stage\tseconds\tcpu_seconds\nseed-1/dpo\t100\t150\nseed-2/dpo\t50\t80\n");
    String withCpu = ResultsTable.render(dir);
    assertTrue(withCpu.contains("| stage | runs | wall per run | wall total | CPU total |"), withCpu);
    assertTrue(withCpu.contains("| dpo | 2 | 1 min 15 s | 2 min 30 s | 3 min 50 s |"), withCpu);
    assertTrue(withCpu.contains("| **all** | | | **2 min 30 s** | **3 min 50 s** |"), withCpu);
  }

  @Test
  void errorsNameTheFile() throws IOException {
    UserError empty = assertThrows(UserError.class, () -> ResultsTable.render(dir));
    assertTrue(empty.getMessage().contains("no evaluation summaries"), empty.getMessage());
    assertThrows(UserError.class, () -> ResultsTable.collect(dir.resolve("nope")));

    eval("1", "rft", "{\"step\":5,\"loss\":1.0}");
    UserError noSummary = assertThrows(UserError.class, () -> ResultsTable.collect(dir));
    assertTrue(noSummary.getMessage().contains("rft") && noSummary.getMessage().contains("no summary line"), noSummary.getMessage());

    eval("1", "rft", "{\"summary\":true,\"sample/maj@8\":0.5}");
    UserError noGreedy = assertThrows(UserError.class, () -> ResultsTable.collect(dir));
    assertTrue(noGreedy.getMessage().contains("sample/greedy_accuracy"), noGreedy.getMessage());

    eval("1", "rft", summary(0.5, 0.5));
    Files.writeString(dir.resolve("timings.tsv"), "stage\tseconds\nsft\t12\nrft twelve\n");
    UserError badTsv = assertThrows(UserError.class, () -> ResultsTable.render(dir));
    assertTrue(badTsv.getMessage().contains("timings.tsv:3"), badTsv.getMessage());
    Files.writeString(dir.resolve("timings.tsv"), "stage\tseconds\tcpu_seconds\nsft\t12\t-4\n");
    UserError negative = assertThrows(UserError.class, () -> ResultsTable.render(dir));
    assertTrue(negative.getMessage().contains("timings.tsv:2"), negative.getMessage());
  }
}
