package org.vmm4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the example prints, line by line: a {@link PrintStream} that keeps each line and hands it to
 * a hook on the printing thread, before {@code println} returns. The example prints each step's
 * line on its main thread right after the step, so a hook sees the state as that step left it.
 */
final class Lines extends OutputStream {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final List<String> lines = new ArrayList<>();
  private final Consumer<String> hook;
  final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

  Lines(Consumer<String> hook) {
    this.hook = hook;
  }

  Lines() {
    this(line -> {});
  }

  @Override
  public synchronized void write(int b) {
    if (b != '\n') {
      pending.write(b);
      return;
    }
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    lines.add(line);
    hook.accept(line);
  }

  synchronized List<String> all() {
    return List.copyOf(lines);
  }

  /** The lines starting with {@code prefix}. */
  List<String> startingWith(String prefix) {
    return all().stream().filter(l -> l.startsWith(prefix)).toList();
  }

  /** The one line starting with {@code prefix}. */
  String one(String prefix) {
    List<String> found = startingWith(prefix);
    if (found.size() != 1) {
      throw new AssertionError("not one line starting with \"" + prefix + "\" in " + all());
    }
    return found.get(0);
  }

  @Override
  public synchronized String toString() {
    return String.join("\n", lines);
  }
}
