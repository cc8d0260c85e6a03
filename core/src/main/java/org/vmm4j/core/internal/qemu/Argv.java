package org.vmm4j.core.internal.qemu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The argv being assembled. */
final class Argv {
  private final List<String> args = new ArrayList<>();

  Argv add(String... tokens) {
    Collections.addAll(args, tokens);
    return this;
  }

  Argv add(String option, Opts opts) {
    return add(option, opts.toString());
  }

  Argv device(Opts opts) {
    return add("-device", opts);
  }

  Argv object(Opts opts) {
    return add("-object", opts);
  }

  Argv chardev(Opts opts) {
    return add("-chardev", opts);
  }

  List<String> list() {
    return List.copyOf(args);
  }
}
