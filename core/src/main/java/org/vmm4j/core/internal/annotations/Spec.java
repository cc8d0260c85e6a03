package org.vmm4j.core.internal.annotations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One known annotation: its name (after its prefix) and how its value is parsed and applied to the
 * {@link Changes}. An applier throws {@link Refusal} for a value it does not accept.
 */
record Spec(String name, Spec.Applier applier) {

  @FunctionalInterface
  interface Applier {
    void apply(Changes c, String value);
  }

  /** The specs by name, in the order given. */
  static Map<String, Spec> table(Spec... specs) {
    Map<String, Spec> m = new LinkedHashMap<>();
    for (Spec s : specs) {
      if (m.put(s.name(), s) != null) {
        throw new AssertionError("duplicate annotation " + s.name());
      }
    }
    return Map.copyOf(m);
  }
}
