package dev.stepwise.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real chat templates rendered through jinjava, compared with what transformers' {@code
 * apply_chat_template(..., tokenize=False)} gives: the expected strings were rendered once with
 * Python's Jinja 3.1.6 in transformers' environment and recorded here. Templates: Qwen3's from
 * the shared data ({@code tokenizers/qwen3/tokenizer_config.json}; skipped when absent) and the
 * public ones under {@code src/test/resources/dev/stepwise/chat/real/} (sources and licences in
 * its README.md).
 */
class ChatTemplateTest {
  static final List<ChatMessage> CONV = List.of(
      ChatMessage.system("You are helpful."), ChatMessage.user("What is 2+2?"), ChatMessage.assistant("4"));
  static final List<ChatMessage> PROMPT = CONV.subList(0, 2);
  static final List<ChatMessage> THINK = List.of(
      ChatMessage.user("hi"), ChatMessage.assistant("<think>\nhmm\n</think>\n\nyes"), ChatMessage.user("again?"));

  @TempDir Path dir;

  static Path qwen3() {
    Path data = Path.of(System.getenv().getOrDefault("STEPWISE_DATA", "../shared/data"));
    Path q = data.resolve("tokenizers/qwen3");
    assumeTrue(Files.isRegularFile(q.resolve("tokenizer_config.json")), "shared data not found at " + q + " (set STEPWISE_DATA); skipping");
    return q;
  }

  static ChatTemplate real(String name, String bos, String eos) throws IOException {
    try (InputStream in = ChatTemplateTest.class.getResourceAsStream("real/" + name)) {
      return new ChatTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), bos, eos);
    }
  }

  @Test
  void qwen3FromTheModelDirectoryRendersAsTransformersDoes() {
    ChatTemplate t = ChatTemplates.fromModelDir(qwen3());
    assertEquals("<|im_end|>", t.eosToken());
    assertEquals("", t.bosToken());
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
        + "<|im_start|>assistant\n<think>\n\n</think>\n\n4<|im_end|>\n", t.render(CONV, false));
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
        t.render(PROMPT, true));
    // an earlier turn's reasoning is dropped (namespace, messages[::-1], split, lstrip, rstrip)
    assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyes<|im_end|>\n<|im_start|>user\nagain?<|im_end|>\n<|im_start|>assistant\n",
        t.render(THINK, true));
  }

  @Test
  void qwen25() throws IOException {
    ChatTemplate t = real("qwen2.5.jinja", "", "<|im_end|>");
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n",
        t.render(CONV, false));
    assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
        + "<think>\nhmm\n</think>\n\nyes<|im_end|>\n<|im_start|>user\nagain?<|im_end|>\n<|im_start|>assistant\n", t.render(THINK, true));
  }

  @Test
  void zephyrMultilineTemplateKeepsTheNewlinesAfterExpressions() throws IOException {
    ChatTemplate t = real("zephyr-7b-beta.jinja", "<s>", "</s>");
    assertEquals("<|system|>\nYou are helpful.</s>\n<|user|>\nWhat is 2+2?</s>\n<|assistant|>\n4</s>\n", t.render(CONV, false));
    assertEquals("<|system|>\nYou are helpful.</s>\n<|user|>\nWhat is 2+2?</s>\n<|assistant|>\n", t.render(PROMPT, true));
  }

  @Test
  void vllmChatml() throws IOException {
    ChatTemplate t = real("vllm-chatml.jinja", "", "");
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4",
        t.render(CONV, false));
    assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
        t.render(PROMPT, true));
  }

  @Test
  void vllmMistralWithSelectattrAndMapEquality() throws IOException {
    ChatTemplate t = real("vllm-mistral-tools.jinja", "<s>", "</s>");
    assertEquals("<s>[INST]What is 2+2?[/INST] 4 </s>", t.render(CONV, false));
    assertEquals("<s>[INST]hi[/INST] <think>\nhmm\n</think>\n\nyes </s>[INST]again?[/INST]", t.render(THINK, true));
  }

  @Test
  void vllmLlama31WithStrftimeNowSlicesAndTrim() throws IOException {
    ChatTemplate t = real("vllm-llama3.1-json.jinja", "<|begin_of_text|>", "<|eot_id|>");
    String today = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
    String out = t.render(CONV, false);
    assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: " + today
        + "\n\nYou are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>", out);
  }

  @Test
  void aBrokenTemplateIsAUserErrorNamingTheFileAndLine() throws IOException {
    Path cfg = dir.resolve("tokenizer_config.json");
    Files.writeString(cfg, "{\"eos_token\": \"</s>\", \"chat_template\": \"{% set x = 1 %}\\n{{ messages[0].content.nosuchmethod() }}\\n\"}");
    UserError e = assertThrows(UserError.class, () -> ChatTemplates.fromModelDir(dir).render(PROMPT, true));
    // jinjava's line (here 1: it counts the line that trim_blocks joined to the tag's, not 2)
    assertTrue(e.getMessage().startsWith(cfg + " (key chat_template): the chat template failed to render at line ")
        && e.getMessage().contains("nosuchmethod"), e.getMessage());
    Files.writeString(cfg, "{\"chat_template\": \"{% if messages %}unclosed\"}");
    e = assertThrows(UserError.class, () -> ChatTemplates.fromModelDir(dir).render(PROMPT, true));
    assertTrue(e.getMessage().startsWith(cfg + " (key chat_template): the chat template failed to render"), e.getMessage());
  }

  @Test
  void modelDirectoryTemplatesStringListJinjaFileAndNone() throws IOException {
    Path cfg = dir.resolve("tokenizer_config.json");
    Files.writeString(cfg, "{\"bos_token\": {\"content\": \"<s>\", \"lstrip\": false}, \"eos_token\": \"</s>\", \"chat_template\": ["
        + "{\"name\": \"tool_use\", \"template\": \"tools\"}, {\"name\": \"default\", \"template\": \"{{ bos_token }}{{ messages[0].content }}{{ eos_token }}\"}]}");
    assertEquals("<s>What is 2+2?</s>", ChatTemplates.fromModelDir(dir).render(List.of(ChatMessage.user("What is 2+2?")), false));
    Files.writeString(cfg, "{\"eos_token\": \"</s>\"}");
    UserError none = assertThrows(UserError.class, () -> ChatTemplates.fromModelDir(dir));
    assertTrue(none.getMessage().contains(cfg.toString()) && none.getMessage().contains("set chat_template=chatml|llama-3-instruct|llama-2|zephyr"),
        none.getMessage());
    Files.writeString(dir.resolve("chat_template.jinja"), "[{{ messages[-1].content }}]{{ eos_token }}\n");
    assertEquals("[x]</s>", ChatTemplates.fromModelDir(dir).render(List.of(ChatMessage.user("x")), false));
  }

  @Test
  void renderingIsSafeFromManyThreads() throws Exception {
    ChatTemplate t = real("qwen2.5.jinja", "", "<|im_end|>");
    String expected = t.render(CONV, false);
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
    for (int k = 0; k < 4; k++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          if (!expected.equals(t.render(CONV, false))) {
            bad.incrementAndGet();
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(0, bad.get());
  }
}
