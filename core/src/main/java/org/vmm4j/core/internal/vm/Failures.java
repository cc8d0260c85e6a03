package org.vmm4j.core.internal.vm;

import java.util.ArrayList;
import java.util.List;

/** Runs clean-up steps one after another, collecting failures instead of stopping at the first. */
final class Failures {
  private final List<Throwable> failures = new ArrayList<>();

  void run(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  List<Throwable> suppressed() {
    return failures;
  }
}
