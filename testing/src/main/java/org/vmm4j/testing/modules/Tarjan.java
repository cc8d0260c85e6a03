package org.vmm4j.testing.modules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Tarjan's strongly connected components of a small directed graph, recursively. */
final class Tarjan {
  private final Map<String, Set<String>> edges;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, Integer> low = new HashMap<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private final Set<String> onStack = new HashSet<>();
  private final List<List<String>> components = new ArrayList<>();

  Tarjan(Map<String, Set<String>> edges) {
    this.edges = edges;
  }

  /** The components of more than one node, each sorted, sorted by their first node. */
  List<List<String>> run() {
    for (String v : new TreeSet<>(edges.keySet())) {
      if (!index.containsKey(v)) {
        visit(v);
      }
    }
    components.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    return components;
  }

  private void visit(String v) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      TreeSet<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        components.add(List.copyOf(component));
      }
    }
  }
}
