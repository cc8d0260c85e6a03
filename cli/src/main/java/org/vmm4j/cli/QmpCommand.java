package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;
import static org.vmm4j.cli.CliJson.PRETTY;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.InvalidRequestException;
import org.vmm4j.core.api.QemuException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QmpOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vmm4j qmp (ID | --socket PATH) COMMAND [JSON-ARGUMENTS] [--timeout SECONDS]}: sends one
 * QMP command and prints QEMU's {@code return} value as JSON (docs/cli.md). QEMU's error is {@code
 * CLASS: desc} on stderr and exit 1; a connection, protocol, size-limit or timeout failure, or
 * invalid arguments, exit 2. {@code vmm4j qmp ID COMMAND ...} finds the sandbox's QEMU through its
 * persisted state; an unknown or stopped sandbox is exit 1.
 */
@Command(
    name = "qmp",
    description = {
      "Send one QMP command to a QEMU and print its return value as JSON.",
      "With a sandbox ID: its controller QMP socket when free, else its tools socket.",
      "QEMU serves one client per QMP socket: with --socket, use a socket no other client holds."
    })
final class QmpCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  /** The default deadline of {@code vmm4j qmp}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

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
      paramLabel = "[ID] COMMAND [JSON-ARGUMENTS]",
      arity = "1..3",
      description = {
        "The sandbox id (without --socket), the command, e.g. query-status, and its arguments as a"
            + " JSON object."
      })
  List<String> positionals;

  @Override
  public Integer call() {
    List<String> p = positionals;
    String id = null;
    if (socket == null) {
      if (p.size() < 2) {
        throw CliException.badInput(
            "qmp: give a sandbox ID and a COMMAND, or --socket PATH and a COMMAND");
      }
      id = p.get(0);
      p = p.subList(1, p.size());
    } else if (p.size() > 2) {
      throw CliException.badInput(
          "qmp --socket " + socket + ": too many arguments: " + String.join(" ", p));
    }
    String command = p.get(0);
    ObjectNode arguments = arguments(command, p.size() > 1 ? p.get(1) : null);
    Duration timeout = timeout();
    QmpOptions options =
        QmpOptions.defaults().withConnectTimeout(timeout).withCommandTimeout(timeout);
    String sandbox = id;
    Supplier<QmpClient> connect =
        sandbox == null
            ? () -> QmpClient.connect(socket, options)
            : () -> connectTo(sandbox, options);
    return run(connect, command, arguments, timeout);
  }

  /** Runs {@code command} on the QEMU at {@code socket}. */
  int run(Path socket, String command, ObjectNode arguments, Duration timeout) {
    QmpOptions options =
        QmpOptions.defaults().withConnectTimeout(timeout).withCommandTimeout(timeout);
    return run(() -> QmpClient.connect(socket, options), command, arguments, timeout);
  }

  /**
   * Runs {@code command} over the connection {@code connect} makes, printing to the command line's
   * streams. Returns the exit code; failures other than QEMU's own error throw {@link CliException}
   * (exit 2).
   */
  int run(Supplier<QmpClient> connect, String command, ObjectNode arguments, Duration timeout) {
    Execute execute = execute(command, arguments);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (QmpClient qmp = connect.get()) {
      JsonNode returned = qmp.call(execute, timeout);
      out.println(PRETTY.writeValueAsString(returned)); // control characters escaped: CliJson
      return Vmm4j.EXIT_OK;
    } catch (QmpCommandException e) {
      err.println(Errors.oneLine(e.errorClassName() + ": " + e.desc()));
      return Vmm4j.EXIT_FAILED;
    } catch (QmpException e) {
      String m = e.getMessage();
      throw new CliException(
          Vmm4j.EXIT_BAD_INPUT, m.startsWith(command) ? m : command + ": " + m, e);
    }
  }

  /**
   * A connection to sandbox {@code id}'s QEMU, found through its persisted state: the controller's
   * socket when free, else the tools socket (QEMU serves one client per QMP socket), checked to be
   * that QEMU.
   */
  private QmpClient connectTo(String id, QmpOptions options) {
    FsStore store = new FsStore(top.stateRoot());
    try {
      return Sandbox.connectQmp(store, id, SandboxOptions.defaults().withQmpOptions(options));
    } catch (InvalidRequestException e) { // an invalid sandbox id, a state root refused
      throw CliException.badInput("qmp: " + e.getMessage());
    } catch (QemuException e) {
      if (e.getCause() instanceof QmpException q) {
        throw q; // a connection or protocol failure: exit 2, as for --socket
      }
      throw CliException.failed("qmp " + id + ": " + e.getMessage(), e);
    } catch (Vmm4jException e) { // no such sandbox, not running, another QEMU answers, the store
      if (SandboxErrors.refusedPath(e)) { // a state root refused: bad input, as elsewhere
        throw new CliException(Vmm4j.EXIT_BAD_INPUT, "qmp " + id + ": " + e.getMessage(), e);
      }
      throw CliException.failed("qmp " + id + ": " + e.getMessage(), e);
    }
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
}
