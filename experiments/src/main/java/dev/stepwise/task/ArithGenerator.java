package dev.stepwise.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes one multi-step arithmetic word problem in GSM8K's format from a random stream.
 *
 * <p>A problem is a person holding a number of items, then 1 to N operations, each applied to
 * the previous result: {@code +} (buys/finds/gets more), {@code -} (gives away/loses/sells),
 * {@code *} (trades each item for b), {@code /} (splits into b equal groups and keeps one; exact
 * only). The question tells the story with the numbers in digits; the solution has one line per
 * operation with its calculator annotation and the running total, then {@code #### N}:
 *
 * <pre>
 * Question: Tom has 3 apples. He buys 5 more. Then he gives away 2. How many apples does Tom have now?
 * Tom has 3 apples and buys 5 more, so he has 3+5=&lt;&lt;3+5=8&gt;&gt;8 apples.
 * He gives away 2, so he has 8-2=&lt;&lt;8-2=6&gt;&gt;6 apples.
 * #### 6
 * </pre>
 *
 * Every value stays in {@code [1, maxValue]}; operands lie in {@code [1, maxNumber]} ({@code [2,
 * maxNumber]} for {@code *} and {@code /}).
 */
final class ArithGenerator {
  /** One generated problem. */
  record Generated(String question, String solution, int answer) {}

  private record Person(String name, String subject) {}

  private record Item(String one, String many) {}

  private static final List<Person> PEOPLE =
      List.of(
          new Person("Tom", "he"), new Person("Anna", "she"),
          new Person("Ben", "he"), new Person("Maria", "she"),
          new Person("Sam", "he"), new Person("Lily", "she"),
          new Person("Omar", "he"), new Person("Grace", "she"),
          new Person("Leo", "he"), new Person("Nina", "she"));

  private static final List<Item> ITEMS =
      List.of(
          new Item("apple", "apples"), new Item("marble", "marbles"),
          new Item("sticker", "stickers"), new Item("coin", "coins"),
          new Item("book", "books"), new Item("cookie", "cookies"),
          new Item("pencil", "pencils"), new Item("card", "cards"),
          new Item("shell", "shells"), new Item("stamp", "stamps"),
          new Item("balloon", "balloons"), new Item("toy car", "toy cars"));

  /** Phrases per operation: {@code {b}} is the operand, {@code {one}}/{@code {many}} the item. */
  private static final List<String> ADD =
      List.of("buys {b} more", "finds {b} more", "gets {b} more from a friend", "wins {b} more");

  private static final List<String> SUB =
      List.of("gives away {b}", "loses {b}", "sells {b}", "gives {b} to a friend");

  private static final List<String> MUL =
      List.of("trades each {one} for {b} {many}", "swaps every {one} for {b} new {many}");

  private static final List<String> DIV =
      List.of(
          "splits them into {b} equal groups and keeps one group",
          "shares them equally with {b} people in all and keeps one share");

  private static final List<String> THEN = List.of("", "Then ", "After that, ", "Next, ");

  private static final List<String> ASK =
      List.of(
          "How many {many} does {name} have now?", "How many {many} does {name} have at the end?");

  private final ArithConfig cfg;

  ArithGenerator(ArithConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * Draws one problem from {@code rng} (the same stream state gives the same problem).
   *
   * @return the question, the solution (ending in {@code "#### " + answer}) and the answer
   */
  Generated next(Random rng) {
    while (true) {
      Generated g = attempt(rng);
      if (g != null) {
        return g;
      }
    }
  }

  /** @return a problem, or null when the drawn start left no allowed operation at some step */
  private Generated attempt(Random rng) {
    Person who = pick(rng, PEOPLE);
    Item item = pick(rng, ITEMS);
    int steps = cfg.minSteps() + rng.nextInt(cfg.maxSteps() - cfg.minSteps() + 1);
    int x = 1 + rng.nextInt(Math.min(cfg.maxNumber(), cfg.maxValue()));
    StringBuilder q = new StringBuilder();
    q.append(who.name()).append(" has ").append(x).append(' ').append(plural(item, x)).append('.');
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      char op = chooseOp(rng, x);
      if (op == 0) {
        return null;
      }
      int b = operand(rng, op, x);
      int y = apply(op, x, b);
      String phrase = fill(pick(rng, phrases(op)), b, item);
      String then = i == 0 ? "" : pick(rng, THEN);
      q.append(' ').append(capitalize(then + who.subject() + " " + phrase)).append('.');
      String calc = x + String.valueOf(op) + b;
      String result =
          calc + "=<<" + calc + "=" + y + ">>" + y + " " + plural(item, y) + ".";
      String head =
          i == 0
              ? who.name() + " has " + x + " " + plural(item, x) + " and " + phrase
              : capitalize(who.subject()) + " " + phrase;
      lines.add(head + ", so " + who.subject() + " has " + result);
      x = y;
    }
    String ask = pick(rng, ASK).replace("{many}", item.many()).replace("{name}", who.name());
    q.append(' ').append(ask);
    lines.add(Steps.ANSWER_MARKER + " " + x);
    return new Generated(q.toString(), String.join("\n", lines), x);
  }

  /** @return an operation of {@code cfg.ops()} allowed from {@code x}, or 0 when none is */
  private char chooseOp(Random rng, int x) {
    List<Character> allowed = new ArrayList<>();
    for (char op : cfg.ops().toCharArray()) {
      boolean ok =
          switch (op) {
            case '+' -> x + 1 <= cfg.maxValue();
            case '-' -> x >= 2;
            case '*' -> x * 2 <= cfg.maxValue();
            case '/' -> smallestDivisor(x) > 0;
            default -> false;
          };
      if (ok) {
        allowed.add(op);
      }
    }
    return allowed.isEmpty() ? 0 : allowed.get(rng.nextInt(allowed.size()));
  }

  private int operand(Random rng, char op, int x) {
    int n = cfg.maxNumber();
    switch (op) {
      case '+':
        return 1 + rng.nextInt(Math.min(n, cfg.maxValue() - x));
      case '-':
        return 1 + rng.nextInt(Math.min(n, x - 1));
      case '*':
        return 2 + rng.nextInt(Math.min(n, cfg.maxValue() / x) - 1);
      case '/':
        List<Integer> divisors = new ArrayList<>();
        for (int d = 2; d <= Math.min(n, x); d++) {
          if (x % d == 0) {
            divisors.add(d);
          }
        }
        return divisors.get(rng.nextInt(divisors.size()));
      default:
        throw new IllegalStateException("unknown op " + op);
    }
  }

  private int smallestDivisor(int x) {
    for (int d = 2; d <= Math.min(cfg.maxNumber(), x); d++) {
      if (x % d == 0) {
        return d;
      }
    }
    return 0;
  }

  private static int apply(char op, int x, int b) {
    return switch (op) {
      case '+' -> x + b;
      case '-' -> x - b;
      case '*' -> x * b;
      case '/' -> x / b;
      default -> throw new IllegalStateException("unknown op " + op);
    };
  }

  private static List<String> phrases(char op) {
    return switch (op) {
      case '+' -> ADD;
      case '-' -> SUB;
      case '*' -> MUL;
      default -> DIV;
    };
  }

  private static String fill(String phrase, int b, Item item) {
    return phrase.replace("{b}", String.valueOf(b)).replace("{one}", item.one())
        .replace("{many}", item.many());
  }

  private static String plural(Item item, int n) {
    return n == 1 ? item.one() : item.many();
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static <T> T pick(Random rng, List<T> xs) {
    return xs.get(rng.nextInt(xs.size()));
  }
}
