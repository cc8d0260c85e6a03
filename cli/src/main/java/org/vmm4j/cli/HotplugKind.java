package org.vmm4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * One kind of {@code vmm4j hotplug ID KIND}: a picocli subcommand of {@link HotplugCommand} with
 * its options. {@link #check()} refuses bad option values (exit 2: {@link CliException#badInput})
 * before anything else; {@link #plug} runs on the reattached sandbox (vmm4j's failures are exit 1,
 * a host that lacks what the kind needs included).
 */
abstract class HotplugKind implements Callable<Integer> {
  @ParentCommand HotplugCommand hotplug;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  /** Checks the options; throws {@link CliException#badInput} for a bad value. */
  abstract void check();

  /**
   * Plugs the device(s) on the reattached sandbox ({@link Sandbox#devices()}, {@link
   * Sandbox#network()}).
   */
  abstract List<Device> plug(Sandbox sandbox);

  /** "hotplug ID KIND", for messages. */
  final String op() {
    return "hotplug " + hotplug.id + " " + spec.name();
  }

  /** A bad option value: exit 2, naming the operation and the value. */
  final CliException bad(String what) {
    return CliException.badInput(op() + ": " + what);
  }

  @Override
  public final Integer call() {
    hotplug.sandboxId(spec.name());
    check();
    return hotplug.plug(spec.name(), this::plug, json, spec.commandLine().getOut());
  }
}
