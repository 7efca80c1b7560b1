package dev.stepwise.launch;

import dev.stepwise.config.ConfRoot;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands sweep overrides into jobs, like Hydra's basic sweeper: the cartesian product of every
 * swept key in order (the first key varies slowest), except that keys written as
 * {@code zip(...)} move together as one dimension (all zipped keys need the same number of
 * values). {@code sweep.params} from the config come first; a key given on the command line
 * replaces its {@code sweep.params} entry. Overrides that are not sweeps go to every job as is.
 */
public final class SweepPlan {
  private SweepPlan() {}

  /** One override split into its parts. */
  private record Part(String prefix, String key, String value, String text) {
    String with(String v) {
      return prefix + key + "=" + v;
    }
  }

  /**
   * @param overrides the command-line overrides, possibly with sweep syntax
   * @param params {@code sweep.params}: key (e.g. {@code optim.lr}) to sweep text (e.g. {@code 1e-4,1e-3})
   * @param root the search path, for {@code glob()}
   * @return the jobs, numbered from 0
   * @throws UserError for malformed sweeps or zipped keys of different lengths
   */
  public static List<SweepJob> expand(List<String> overrides, Map<String, String> params, ConfRoot root) {
    List<Part> parts = new ArrayList<>();
    List<Part> cli = new ArrayList<>();
    for (String o : overrides) cli.add(part(o));
    for (Map.Entry<String, String> p : params.entrySet()) {
      boolean onCli = cli.stream().anyMatch(c -> c.key().equals(p.getKey()));
      if (!onCli) parts.add(new Part("", p.getKey(), p.getValue(), p.getKey() + "=" + p.getValue() + " (sweep.params)"));
    }
    parts.addAll(cli);
    // dimension d -> (part index -> values); zipped parts share one dimension
    List<Map<Integer, List<String>>> dims = new ArrayList<>();
    Map<Integer, List<String>> zipped = null;
    int zipLen = -1;
    String zipFirst = null;
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (p.value() == null || !SweepValues.isSweep(p.value())) continue;
      SweepValues.Dim d = SweepValues.expand(p.key(), p.value(), root, p.text());
      if (!d.zip()) {
        Map<Integer, List<String>> m = new LinkedHashMap<>();
        m.put(i, d.values());
        dims.add(m);
        continue;
      }
      if (zipped == null) {
        zipped = new LinkedHashMap<>();
        dims.add(zipped);
        zipLen = d.values().size();
        zipFirst = p.text();
      } else if (d.values().size() != zipLen) {
        throw new UserError("Zipped sweeps need the same number of values: '" + zipFirst + "' has " + zipLen
            + ", '" + p.text() + "' has " + d.values().size());
      }
      zipped.put(i, d.values());
    }
    List<SweepJob> jobs = new ArrayList<>();
    int total = 1;
    for (Map<Integer, List<String>> d : dims) total = Math.multiplyExact(total, d.values().iterator().next().size());
    if (total > 100_000) throw new UserError("The sweep has " + total + " jobs; the limit is 100000");
    for (int n = 0; n < total; n++) {
      String[] chosen = new String[parts.size()];
      int rest = n;
      for (int k = dims.size() - 1; k >= 0; k--) {
        Map<Integer, List<String>> d = dims.get(k);
        int size = d.values().iterator().next().size();
        int idx = rest % size;
        rest /= size;
        for (Map.Entry<Integer, List<String>> e : d.entrySet()) chosen[e.getKey()] = e.getValue().get(idx);
      }
      List<String> ov = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Part p = parts.get(i);
        ov.add(chosen[i] != null ? p.with(chosen[i]) : p.value() == null ? p.prefix() + p.key() : p.with(p.value()));
      }
      jobs.add(new SweepJob(n, List.copyOf(ov)));
    }
    return jobs;
  }

  private static Part part(String text) {
    String t = text.strip();
    String prefix = t.startsWith("++") ? "++" : t.startsWith("+") ? "+" : t.startsWith("~") ? "~" : "";
    String rest = t.substring(prefix.length());
    int eq = rest.indexOf('=');
    if (eq < 0) return new Part(prefix, rest.strip(), null, t);
    return new Part(prefix, rest.substring(0, eq).strip(), rest.substring(eq + 1), t);
  }
}
