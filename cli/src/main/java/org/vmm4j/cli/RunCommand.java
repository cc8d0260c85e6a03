package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j run --config FILE [--id ID] [--netns NAME] [--annotation KEY=VALUE]... [--json]}:
 * starts a sandbox and returns once it is ready; QEMU keeps running (docs/cli.md). Annotations are
 * checked before the host is: a refused one is exit 2 and nothing is started.
 */
@Command(
    name = "run",
    description = {
      "Start a sandbox from a config and return once QEMU is ready; QEMU keeps running.",
      "FILE ending in .toml is a Kata configuration.toml; ending in .json is vmm4j's JSON config"
          + " (the live HypervisorConfig; a persist.json or its HypervisorConfig works too).",
      "--netns records the sandbox's network namespace (NetworkInfo.NetNsPath) and attaches the"
          + " interfaces a CNI plugin left there before the guest runs.",
      "--annotation KEY=VALUE (repeatable): an annotation of the sandbox; io.katacontainers.*"
          + " keys apply as in Kata 1.13, behind the config's enable_annotations and valid_*"
          + " allowlists; all are recorded in the state."
    })
final class RunCommand implements Callable<Integer> {
  /** Where {@code --netns NAME} looks, as iproute2 names namespaces (Kata's paths). */
  static final Path NETNS_DIR = Path.of("/var/run/netns");

  private static final SecureRandom RANDOM = new SecureRandom();

  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The config.")
  Path config;

  @Option(names = "--id", paramLabel = "ID", description = "The sandbox id (default: generated).")
  String id;

  @Option(
      names = "--netns",
      paramLabel = "NAME",
      description = "The network namespace: a name under /var/run/netns, or a path.")
  String netns;

  @Option(names = "--json", description = "Print {\"id\",\"pid\",\"qmp\",\"accel\"}.")
  boolean json;

  @Option(
      names = "--annotation",
      paramLabel = "KEY=VALUE",
      description = "An annotation of the sandbox (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Override
  public Integer call() {
    String sid = id != null ? id : generatedId();
    String op = "start sandbox " + sid;
    SandboxErrors.checkId("run", sid);
    String netNsPath = netNsPath();
    Map<String, String> given = annotations();
    checkConfigFile();
    RuntimeConfig rc = SandboxErrors.run(op, () -> ConfigLoader.load(config));
    // checked here, before the host check; Sandbox.start applies them (and records them)
    RuntimeConfig annotated = SandboxErrors.run(op, () -> ConfigLoader.annotate(rc, given));
    String qemu = annotated.hypervisor().kata().hypervisorPath();
    SandboxSpec sandbox =
        new SandboxSpec(
            sid, rc, HostFacts.forQemu(top, spec.commandLine().getErr(), qemu), netNsPath, given);
    FsStore store = new FsStore(top.stateRoot());
    try (Sandbox s =
        SandboxErrors.run(op, () -> Sandbox.start(store, sandbox, SandboxOptions.defaults()))) {
      if (json) {
        spec.commandLine()
            .getOut()
            .println(
                MAPPER.writeValueAsString(
                    MAPPER
                        .createObjectNode()
                        .put("id", s.id())
                        .put("pid", s.pid())
                        .put("qmp", s.paths().qmpSocket().toString())
                        .put("accel", s.accelerator().wireName())));
      } else {
        spec.commandLine().getOut().println(s.id());
      }
    }
    return Vmm4j.EXIT_OK;
  }

  private String netNsPath() {
    if (netns == null) {
      return "";
    }
    Path p = netns.contains("/") ? Path.of(netns) : NETNS_DIR.resolve(netns);
    if (netns.isEmpty() || !Files.exists(p)) {
      throw CliException.badInput("run: --netns " + netns + ": no network namespace at " + p);
    }
    return p.toString();
  }

  /**
   * Refuses a {@code --config} that is not a regular file or is too large, naming the option; a
   * missing or unreadable one is left to {@link ConfigLoader}, which says so.
   */
  private void checkConfigFile() {
    try {
      InputFiles.requireRegular(config, ConfigLoader.MAX_BYTES, ConfigLoader.WHAT);
    } catch (InputFileException e) {
      throw CliException.badInput("run: --config " + e.getMessage());
    } catch (IOException e) {
      // ConfigLoader.load reports it with the file's name
    }
  }

  /** {@code --annotation KEY=VALUE}s: a key at most once, never empty. */
  private Map<String, String> annotations() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : annotations) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw CliException.badInput("run: --annotation " + a + ": expected KEY=VALUE");
      }
      String key = a.substring(0, eq);
      if (out.put(key, a.substring(eq + 1)) != null) {
        throw CliException.badInput("run: --annotation " + key + ": given more than once");
      }
    }
    return out;
  }

  /** 16 random hex digits. */
  static String generatedId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
