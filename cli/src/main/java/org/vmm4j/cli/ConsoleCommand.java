package org.vmm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.InvalidNameException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j console ID}: attaches to the sandbox's console, Kata's {@code virtconsole} on {@code
 * <vm dir>/console.sock}, which QEMU serves and vmm4j does not hold (it is free for a client such
 * as this one). On a terminal: raw mode, Ctrl-] detaches, local echo unless {@code
 * --no-local-echo}. Otherwise stdin is copied through and the command ends once it has ended and
 * the guest has been quiet for {@code --drain} seconds, so {@code echo ping | vmm4j console ID} is
 * a scripting primitive.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Attach to a sandbox's console (console.sock): stdin to the guest, the guest's output to"
          + " stdout. On a terminal, Ctrl-] detaches. With stdin from a pipe or file, it is copied"
          + " through and the command exits when it ends and the guest has gone quiet.",
      "QEMU serves one client per console: while another client holds it, nothing comes."
    })
final class ConsoleCommand implements Callable<Integer> {
  /** Default of {@code --drain}. */
  static final Duration DEFAULT_DRAIN = Duration.ofSeconds(1);

  /** Default of {@code --wait}. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(3);

  /**
   * How long the end of a session waits for QEMU to read what was sent and close: it reads only
   * while the guest takes input, and drops what it has not read when the client hangs up.
   */
  static final Duration HANG_UP_WAIT = Duration.ofSeconds(2);

  /** Deadline of the connect (a unix socket whose backlog is full blocks connect). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Option(
      names = "--local-echo",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "On a terminal, show typed characters (default; the test guest does not echo)."
              + " --no-local-echo for a guest that echoes.")
  boolean localEcho;

  @Option(
      names = "--drain",
      paramLabel = "SECONDS",
      description =
          "With stdin from a pipe or file: after it ends, go on until the guest has been quiet"
              + " this long (default: 1).")
  BigDecimal drainSeconds;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description =
          "Say that another client may hold the console when nothing has come for this long"
              + " (default: 3); with stdin from a pipe, nothing at all is then exit 1.")
  BigDecimal waitSeconds;

  @Override
  public Integer call() throws IOException {
    Duration drain = seconds("--drain", drainSeconds, DEFAULT_DRAIN);
    Duration wait = seconds("--wait", waitSeconds, DEFAULT_WAIT);
    Path sock = consoleSocket(top.stateRoot(), id);
    PrintWriter err = spec.commandLine().getErr();
    spec.commandLine().getOut().flush();
    CliContext ctx = top.context();
    try (SocketChannel channel = connect(sock)) {
      boolean interactive = ctx.terminal().isTerminal();
      if (interactive) {
        err.println("vmm4j: connected to the console of " + id + "; Ctrl-] detaches");
        err.flush();
        ctx.terminal().enterRaw();
      }
      ConsoleSession.End end;
      try {
        end =
            new ConsoleSession(
                    channel,
                    ctx.stdin(),
                    ctx.stdout(),
                    new ConsoleSession.Options(interactive, localEcho, drain, wait, HANG_UP_WAIT),
                    m -> notice(err, interactive, m))
                .run();
      } finally {
        if (interactive) {
          ctx.terminal().restore();
        }
      }
      return finish(end, sock, wait, interactive, err);
    }
  }

  private int finish(
      ConsoleSession.End end, Path sock, Duration wait, boolean interactive, PrintWriter err) {
    switch (end) {
      case DETACHED:
        if (interactive) {
          err.println();
          err.println("vmm4j: detached from the console of " + id);
        }
        return Vmm4j.EXIT_OK;
      case DRAINED:
        return Vmm4j.EXIT_OK;
      case CLOSED:
        err.println("vmm4j: QEMU closed the console of " + id + " (the sandbox stopped?)");
        return Vmm4j.EXIT_OK;
      case NOTHING_CAME:
        throw CliException.failed(
            id
                + ": nothing came from "
                + sock
                + " within "
                + HostCheck.seconds(wait)
                + ": another client holds the console (QEMU serves one client per socket), or the"
                + " guest does not answer",
            null);
      default:
        throw new AssertionError(end);
    }
  }

  private static void notice(PrintWriter err, boolean raw, String message) {
    err.print("vmm4j: " + message + (raw ? "\r\n" : "\n"));
    err.flush();
  }

  /** The console socket of a known sandbox: {@code <vm dir>/console.sock}. */
  static Path consoleSocket(Path root, String id) {
    FsStore store = new FsStore(root);
    try {
      if (!store.exists(id)) {
        throw CliException.failed(
            "unknown sandbox " + id + " (no state in " + store.sandboxesDir() + ")", null);
      }
    } catch (InvalidNameException e) {
      throw CliException.badInput(e.getMessage());
    }
    Path sock = SandboxPaths.under(store.root(), id).consoleSocket();
    if (!Files.exists(sock)) {
      throw CliException.failed(
          "sandbox " + id + " has no console socket " + sock + " (QEMU is not running)", null);
    }
    return sock;
  }

  /** Connects within {@link #CONNECT_TIMEOUT}. */
  private SocketChannel connect(Path sock) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    CompletableFuture<Boolean> connected =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ch.connect(UnixDomainSocketAddress.of(sock));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      connected.get(CONNECT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      return ch;
    } catch (ExecutionException e) {
      ch.close();
      Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e;
      if (c instanceof ConnectException) {
        throw CliException.failed(
            "nothing listens on " + sock + " (QEMU is not running?): " + c.getMessage(), c);
      }
      throw CliException.failed("cannot connect to " + sock + ": " + Errors.describe(c), c);
    } catch (TimeoutException e) {
      ch.close();
      throw CliException.failed(
          "connecting to "
              + sock
              + " did not finish within "
              + CONNECT_TIMEOUT.toSeconds()
              + " s (its queue of waiting clients is full: other clients hold the console)",
          e);
    } catch (InterruptedException e) {
      ch.close();
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted while connecting to " + sock, e);
    }
  }

  private static Duration seconds(String option, BigDecimal value, Duration dflt) {
    if (value == null) {
      return dflt;
    }
    if (value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(3600)) > 0) {
      throw CliException.badInput(
          "console: " + option + " must be between 0 and 3600 seconds: " + value.toPlainString());
    }
    return Duration.ofNanos(Math.max(1_000_000, value.movePointRight(9).longValue()));
  }
}
