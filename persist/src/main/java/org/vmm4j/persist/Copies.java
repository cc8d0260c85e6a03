package org.vmm4j.persist;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Immutable copies that keep Go's nil (null) distinct from empty. */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> l) {
    return l == null ? null : List.copyOf(l);
  }

  static <K, V> Map<K, V> map(Map<K, V> m) {
    return m == null ? null : Map.copyOf(m);
  }

  static <T> Set<T> set(Set<T> s) {
    return s == null ? null : Set.copyOf(s);
  }
}
