package org.vmm4j.cli;

import java.util.ArrayList;
import java.util.List;

/** A {@link Terminal} for tests: says whether stdin is a terminal and records raw/restore. */
final class FakeTerminal implements Terminal {
  private final boolean terminal;
  final List<String> calls = new ArrayList<>();

  FakeTerminal(boolean terminal) {
    this.terminal = terminal;
  }

  static FakeTerminal pipe() {
    return new FakeTerminal(false);
  }

  static FakeTerminal tty() {
    return new FakeTerminal(true);
  }

  @Override
  public boolean isTerminal() {
    return terminal;
  }

  @Override
  public synchronized void enterRaw() {
    calls.add("raw");
  }

  @Override
  public synchronized void restore() {
    calls.add("restore");
  }
}
