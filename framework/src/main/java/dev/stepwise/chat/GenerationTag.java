package dev.stepwise.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * {@code {% generation %}...{% endgeneration %}}: the block tag transformers' {@code
 * AssistantTracker} extension adds to mark assistant text in a template (for {@code
 * return_assistant_tokens_mask}). Stepwise masks by rendering prompt and response separately
 * (see {@code docs/models.md}), so here the tag only renders its body, which is what it prints
 * in transformers too; without it, templates that use it would not parse.
 */
final class GenerationTag implements Tag {
  private static final long serialVersionUID = 1L;

  @Override
  public String getName() {
    return "generation";
  }

  @Override
  public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
    StringBuilder out = new StringBuilder();
    for (Node child : tagNode.getChildren()) {
      out.append(child.render(interpreter).getValue());
    }
    return out.toString();
  }
}
