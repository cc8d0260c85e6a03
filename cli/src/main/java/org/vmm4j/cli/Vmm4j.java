package org.vmm4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vmm4j} command. Every subcommand is its own class; this one holds the global options
 * and maps failures to the exit codes of docs/cli.md: 0 done, 1 the operation failed, 2 bad input.
 */
@Command(
    name = "vmm4j",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT, // every subcommand has --help and --version
    versionProvider = Vmm4j.Version.class,
    description = "Run and inspect QEMU sandboxes for containers.",
    subcommands = {
      CheckCommand.class,
      RunCommand.class,
      ListCommand.class,
      StateCommand.class,
      QmpCommand.class,
      HotplugCommand.class,
      UnplugCommand.class,
      ReconcileCommand.class,
      StopCommand.class,
      DeleteCommand.class,
      ConsoleCommand.class,
      DemoCommand.class
    })
public final class Vmm4j {

  /** Exit code of a successful command. */
  public static final int EXIT_OK = 0;

  /** Exit code of an operation that failed. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of bad input (usage, an invalid file, a value out of range). */
  public static final int EXIT_BAD_INPUT = 2;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "State and VM directories (default: $VMM4J_ROOT, else /run/vc, rootless $XDG_RUNTIME_DIR/run/vc).")
  Path root;

  @Option(
      names = "--verbose",
      description = "More detail on stderr, including the causes of errors.")
  boolean verbose;

  private final CliContext context;

  Vmm4j(CliContext context) {
    this.context = context;
  }

  /** Runs the command line and returns its exit code, writing to the given streams. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, CliContext.system());
  }

  /** Runs the command line in {@code context} (tests: fake stdin, terminal, host). */
  static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
    return run(args, out, err, context, verbose -> {});
  }

  /**
   * {@link #run(String[], PrintWriter, PrintWriter, CliContext)}; {@code logging} is told, once the
   * command line is parsed, whether {@code --verbose} was given.
   */
  private static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      CliContext context,
      Consumer<Boolean> logging) {
    Vmm4j top = new Vmm4j(context);
    CommandLine cl = new CommandLine(top);
    HotplugCommand.showIdInSynopses(cl.getSubcommands().get("hotplug"));
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(new Errors.BadUsage());
    cl.setExecutionExceptionHandler(new Errors.Failure(top));
    cl.setExecutionStrategy(
        parsed -> {
          logging.accept(top.verbose);
          return new CommandLine.RunLast().execute(parsed);
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    // UTF-8 whatever the locale: Java 17's default charset follows it, and state output is UTF-8.
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(args, out, err, CliContext.system(), Logging::configure));
  }

  CliContext context() {
    return context;
  }

  /**
   * The host check as this command line runs it: the KVM probe boots the test guest (only when
   * {@code /dev/kvm} is there), building it first if needed with progress on {@code err}. Set the
   * QEMU binary ({@code .qemu(path)}) when the config names one, then {@code .build().run()}.
   */
  HostCheck.Builder hostCheck(PrintWriter err) {
    return context
        .hostCheck()
        .apply(
            line -> {
              err.println("vmm4j: " + line);
              err.flush();
            });
  }

  boolean verbose() {
    return verbose;
  }

  Path root() {
    return root;
  }

  /**
   * The state root: {@code --root}, else {@code $VMM4J_ROOT}, else Kata's (rootless-aware) default.
   */
  Path stateRoot() {
    if (root != null) {
      return root;
    }
    String env = System.getenv("VMM4J_ROOT");
    return env == null || env.isEmpty() ? FsStore.defaultRoot() : Path.of(env);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Vmm4j.class.getPackage().getImplementationVersion();
      return new String[] {"vmm4j " + (v == null ? "(development build)" : v)};
    }
  }
}
