package org.vmm4j.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QmpOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vmm4j qmp --socket PATH COMMAND [JSON-ARGUMENTS] [--timeout SECONDS]}: sends one QMP
 * command and prints QEMU's {@code return} value as JSON (CLI.md). QEMU's error is {@code CLASS:
 * desc} on stderr and exit 1; a connection, protocol, size-limit or timeout failure, or invalid
 * arguments, exit 2. The {@code ID} form (the socket found through the persisted state) comes with
 * the launch issue: {@link #socketOf(String)} is where it plugs in.
 */
@Command(
    name = "qmp",
    description = {
      "Send one QMP command to a QEMU and print its return value as JSON.",
      "QEMU serves one client per QMP socket: use a socket no other client holds."
    })
final class QmpCommand implements Callable<Integer> {
  /** CLI.md: the default deadline of {@code vmm4j qmp}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectWriter PRETTY = MAPPER.writer().with(prettyPrinter());

  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "The QMP unix socket (QEMU's -qmp unix:PATH,server=on).")
  Path socket;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Deadline for connecting and for the reply (default: 30).")
  BigDecimal timeoutSeconds;

  @Parameters(
      paramLabel = "COMMAND [JSON-ARGUMENTS]",
      arity = "1..2",
      description = "The command, e.g. query-status, and its arguments as a JSON object.")
  List<String> positionals;

  @Override
  public Integer call() {
    if (socket == null) {
      throw CliException.badInput(
          "qmp: give the QMP socket with --socket PATH (the sandbox ID form is not available yet)");
    }
    String command = positionals.get(0);
    ObjectNode arguments = arguments(command, positionals.size() > 1 ? positionals.get(1) : null);
    return run(socket, command, arguments, timeout());
  }

  /**
   * Runs {@code command} on the QEMU at {@code socket}, printing to the command line's streams.
   * Returns the exit code; failures other than QEMU's own error throw {@link CliException} (exit
   * 2).
   */
  int run(Path socket, String command, ObjectNode arguments, Duration timeout) {
    Execute execute = execute(command, arguments);
    QmpOptions options =
        QmpOptions.defaults().withConnectTimeout(timeout).withCommandTimeout(timeout);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (QmpClient qmp = QmpClient.connect(socket, options)) {
      JsonNode returned = qmp.call(execute, timeout);
      out.println(PRETTY.writeValueAsString(returned));
      return Vmm4j.EXIT_OK;
    } catch (QmpCommandException e) {
      err.println(e.errorClassName() + ": " + e.desc());
      return Vmm4j.EXIT_FAILED;
    } catch (QmpException e) {
      String m = e.getMessage();
      throw new CliException(
          Vmm4j.EXIT_BAD_INPUT, m.startsWith(command) ? m : command + ": " + m, e);
    }
  }

  /** The socket of sandbox {@code id}: for the launch issue, through the persisted state. */
  Path socketOf(String id) {
    throw CliException.badInput("qmp " + id + ": the sandbox ID form is not available yet");
  }

  private static Execute execute(String command, ObjectNode arguments) {
    try {
      return new Execute(command, arguments);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("qmp: " + e.getMessage());
    }
  }

  private static ObjectNode arguments(String command, String json) {
    if (json == null) {
      return null;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw CliException.badInput(
          "qmp " + command + ": invalid JSON arguments '" + json + "': " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode o)) {
      throw CliException.badInput(
          "qmp " + command + ": JSON arguments must be an object, not '" + json + "'");
    }
    return o;
  }

  private Duration timeout() {
    if (timeoutSeconds == null) {
      return DEFAULT_TIMEOUT;
    }
    if (timeoutSeconds.signum() <= 0 || timeoutSeconds.compareTo(BigDecimal.valueOf(86400)) > 0) {
      throw CliException.badInput(
          "qmp: --timeout must be between 0 and 86400 seconds: " + timeoutSeconds.toPlainString());
    }
    long nanos = timeoutSeconds.movePointRight(9).longValue();
    return Duration.ofNanos(Math.max(1_000_000, nanos));
  }

  /** Two-space indent, {@code "key": value}: the JSON style of every command's output. */
  static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }
}
