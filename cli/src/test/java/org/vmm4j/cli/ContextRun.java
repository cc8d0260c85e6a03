package org.vmm4j.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;
import org.vmm4j.core.host.HostCheck;

/**
 * Runs the command line in process with a test {@link CliContext}: stdin from bytes or a stream, a
 * fake terminal, a host check of the test's choosing. {@code out} is the text writer's output
 * followed by the raw bytes written to stdout.
 */
final class ContextRun {
  private InputStream stdin = new ByteArrayInputStream(new byte[0]);
  private Terminal terminal = FakeTerminal.pipe();
  private Function<Consumer<String>, HostCheck.Builder> hostCheck = progress -> HostCheck.builder();

  static ContextRun context() {
    return new ContextRun();
  }

  ContextRun stdin(String text) {
    return stdin(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  ContextRun stdin(InputStream in) {
    this.stdin = in;
    return this;
  }

  ContextRun terminal(Terminal t) {
    this.terminal = t;
    return this;
  }

  ContextRun hostCheck(Function<Consumer<String>, HostCheck.Builder> check) {
    this.hostCheck = check;
    return this;
  }

  /** Runs {@code args}; {@code rawOut} receives stdout's bytes as they come (may be null). */
  CliRun run(String... args) {
    return run(new ByteArrayOutputStream(), args);
  }

  CliRun run(ByteArrayOutputStream rawOut, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx = new CliContext(stdin, rawOut, terminal, hostCheck);
    int code = Vmm4j.run(args, new PrintWriter(out), new PrintWriter(err), ctx);
    String raw;
    synchronized (rawOut) {
      raw = rawOut.toString(StandardCharsets.UTF_8);
    }
    return new CliRun(code, out + raw, err.toString());
  }
}
