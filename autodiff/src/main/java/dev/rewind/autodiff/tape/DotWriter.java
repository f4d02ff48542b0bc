package dev.rewind.autodiff.tape;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes recorded ops as a Graphviz digraph, for looking at an unrolled network. An op with several
 * outputs is one box; an edge from it names the output it carries.
 */
final class DotWriter {
  private DotWriter() {}

  static String write(List<Op> ops) {
    StringBuilder dot = new StringBuilder("digraph tape {\n  rankdir=LR;\n");
    Map<Var, String> names = new IdentityHashMap<>();
    // Which output of a multi-output op a value is, as its edges name it; absent for the others.
    Map<Var, String> outputLabels = new IdentityHashMap<>();
    for (int position = 0; position < ops.size(); position++) {
      Op op = ops.get(position);
      String node = "op" + position;
      dot.append(String.format("  %s [shape=box, label=\"%s\"];%n", node, op.name()));
      for (Var input : op.inputs()) {
        String source = names.get(input);
        if (source == null) {
          source = "leaf" + names.size();
          names.put(input, source);
          dot.append(
              String.format("  %s [shape=ellipse, label=\"%s\"];%n", source, leafLabel(input)));
        }
        dot.append(
            String.format(
                "  %s -> %s [label=\"%s%s\"];%n",
                source, node, outputLabels.getOrDefault(input, ""), input.shape()));
      }
      Var[] outputs = op.outputs();
      for (int k = 0; k < outputs.length; k++) {
        names.put(outputs[k], node);
        if (outputs.length > 1) {
          outputLabels.put(outputs[k], "output " + k + " ");
        }
      }
    }
    return dot.append("}\n").toString();
  }

  private static String leafLabel(Var leaf) {
    return leaf instanceof Parameter parameter ? parameter.name() : "input " + leaf.shape();
  }
}
