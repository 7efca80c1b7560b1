package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.chat.ChatMessage;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/chat/completions} through a chat template, over real HTTP on loopback: the prompt
 * the model sees is the template's rendering (the usage's prompt tokens, and the same greedy
 * text as {@code /v1/completions} given the rendered prompt), a conversation the template
 * rejects is a 400, and without a template the contents are joined as before.
 */
class ChatTemplateServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static TinyServing tiny;
  static OpenAiServer chatml;
  static OpenAiServer llama2;
  static OpenAiServer plain;

  @BeforeAll
  static void start() {
    tiny = new TinyServing(5);
    chatml = tiny.serve(ServerConfig.local(TinyServing.MODEL), null, ChatTemplates.named("chatml", "", ""));
    llama2 = tiny.serve(ServerConfig.local(TinyServing.MODEL), null, ChatTemplates.named("llama-2", "", ""));
    plain = tiny.serve(ServerConfig.local(TinyServing.MODEL), null);
  }

  @AfterAll
  static void stop() {
    chatml.close();
    llama2.close();
    plain.close();
    tiny.close();
  }

  static HttpResponse<String> post(OpenAiServer s, String path, ObjectNode body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  static ObjectNode chat(String system, String user) {
    ObjectNode b = JSON.createObjectNode().put("temperature", 0).put("max_tokens", 12);
    b.putArray("messages").add(JSON.createObjectNode().put("role", "system").put("content", system))
        .add(JSON.createObjectNode().put("role", "user").put("content", user));
    return b;
  }

  @Test
  void chatRequestsAreRenderedThroughTheTemplate() throws Exception {
    HttpResponse<String> r = post(chatml, "/chat/completions", chat("Be brief.", "2+2?"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    String rendered = ChatTemplates.named("chatml", "", "").render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("2+2?")), true);
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", rendered);
    assertEquals(tiny.tokenizer.encode(rendered).length, answer.path("usage").path("prompt_tokens").asInt(), r.body());

    ObjectNode completion = JSON.createObjectNode().put("prompt", rendered).put("temperature", 0).put("max_tokens", 12);
    HttpResponse<String> c = post(chatml, "/completions", completion);
    assertEquals(200, c.statusCode(), c.body());
    assertEquals(JSON.readTree(c.body()).path("choices").path(0).path("text").asText(),
        answer.path("choices").path(0).path("message").path("content").asText());
  }

  @Test
  void aConversationTheTemplateRejectsIs400() throws Exception {
    ObjectNode b = JSON.createObjectNode();
    b.putArray("messages").add(JSON.createObjectNode().put("role", "user").put("content", "a"))
        .add(JSON.createObjectNode().put("role", "user").put("content", "b"));
    HttpResponse<String> r = post(llama2, "/chat/completions", b);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertEquals("messages", e.path("param").asText());
    assertTrue(e.path("message").asText().contains("roles must alternate"), r.body());
  }

  @Test
  void withoutATemplateTheContentsAreJoinedAsBefore() throws Exception {
    HttpResponse<String> r = post(plain, "/chat/completions", chat("Be brief.", "2+2?"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(tiny.tokenizer.encode("Be brief.\n2+2?").length, JSON.readTree(r.body()).path("usage").path("prompt_tokens").asInt());
  }
}
