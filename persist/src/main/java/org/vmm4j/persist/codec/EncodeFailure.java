package org.vmm4j.persist.codec;

import java.util.ArrayDeque;
import java.util.Deque;
import org.vmm4j.persist.codec.GoJsonException.Kind;

/** A value that cannot be encoded; collects its JSON path while it unwinds. */
final class EncodeFailure extends RuntimeException {
  private final Kind kind;
  private final String value;
  private final transient Deque<String> path = new ArrayDeque<>();

  EncodeFailure(Kind kind, String value, String problem) {
    super(problem, null, false, false);
    this.kind = kind;
    this.value = value;
  }

  EncodeFailure prepend(String segment) {
    path.addFirst(segment);
    return this;
  }

  GoJsonException toException(String source) {
    return new GoJsonException(kind, source, "$" + String.join("", path), value, getMessage());
  }
}
