package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Undo runs newest first, past failures, and reports them on the original failure. */
class UndoLogTest {

  @Test
  void unwindsNewestFirstAndContinuesPastFailures() {
    List<String> ran = new ArrayList<>();
    UndoLog log = new UndoLog();
    log.add("a", () -> ran.add("a"));
    log.add(
        "b",
        () -> {
          ran.add("b");
          throw new NetlinkException("undo", "b", "broken", 0);
        });
    log.add("c", () -> ran.add("c"));
    assertThat(log.pending()).containsExactly("c", "b", "a");
    RuntimeException cause = new NetlinkException.Exists("RTM_NEWQDISC", "x", "File exists", 17);
    log.rollback(cause);
    assertThat(ran).containsExactly("c", "b", "a");
    assertThat(cause.getSuppressed())
        .singleElement()
        .satisfies(t -> assertThat(t).hasMessage("undo b: broken"));
    assertThat(log.size()).isZero();
    assertThat(log.unwind()).isEmpty();
  }
}
