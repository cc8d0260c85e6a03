package org.vmm4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.host.HostReport;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j demo [--json]}: on built-in defaults, builds the test guest when needed, boots a
 * sandbox on q35 through vmm4j, shows what the guest sees through its agent on the Kata console
 * (CPUs, memory, PCI devices with their PCI paths, block and network devices), hot-plugs and
 * unplugs a disk, a vCPU and memory showing the guest's view of each ({@link DemoHotplug}),
 * hot-plugs a CNI-style veth from a pod namespace and has the guest ping its other end ({@link
 * DemoNetwork}), then stops and deletes it. Progress goes to stderr.
 */
@Command(
    name = "demo",
    description = {
      "Boot a sandbox on built-in defaults (building the test guest when needed), show what the"
          + " guest sees through its agent, hot-plug and unplug a disk, a vCPU and memory"
          + " (showing the guest's view of each) and a network interface the guest pings"
          + " through, then stop and delete it. Progress goes to stderr."
    })
final class DemoCommand implements Callable<Integer> {
  static final long VCPUS = 2;
  static final long MAX_VCPUS = 4;
  static final long MEMORY_MIB = 512;
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    GuestArtifacts guest =
        SandboxErrors.run("demo", () -> TestGuest.withDefaults().ensureBuilt(m -> progress(m)));
    String id = "demo-" + RunCommand.generatedId().substring(0, 8);
    HypervisorConfig config = config(guest);
    FsStore store = new FsStore(top.stateRoot());
    HostReport host = HostFacts.check(top, err, config.kata().hypervisorPath());
    progress("host check: accelerator " + host.acceleratorReason());
    progress("starting sandbox " + id + " (q35, " + VCPUS + " vCPUs, " + MEMORY_MIB + " MiB)");
    SandboxSpec sandboxSpec =
        SandboxSpec.of(id, RuntimeConfig.shimV2(config, false), host.capabilities());
    long t0 = System.nanoTime();
    Sandbox s = SandboxErrors.run("demo", () -> Sandbox.start(store, sandboxSpec));
    try {
      progress(
          String.format(
              "QEMU pid %d ready in %d ms (%s); waiting for the guest agent on %s",
              s.pid(),
              (System.nanoTime() - t0) / 1_000_000,
              s.accelerator().wireName(),
              s.paths().consoleSocket()));
      DemoReport report;
      java.util.List<DemoHotplug.Step> hotplug;
      DemoNetwork.Outcome network;
      try (AgentClient agent =
          SandboxErrors.run(
              "demo",
              () ->
                  AgentClient.connect(
                      s.paths().consoleSocket(), BOOT_TIMEOUT, AgentClient.DEFAULT_CALL_TIMEOUT))) {
        progress("guest agent answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        report = SandboxErrors.run("demo", () -> DemoReport.ask(s, agent, guest));
        // the network step first: DemoHotplug ends with a vCPU unplug, after which QEMU 7.2
        // under TCG takes no PCI device
        network = SandboxErrors.run("demo", () -> DemoNetwork.run(s, agent, this::progress));
        hotplug =
            SandboxErrors.run(
                "demo", () -> DemoHotplug.run(s, agent, s.paths().vmDir(), this::progress));
      }
      StopOutcome how = SandboxErrors.run("demo", s::stop);
      progress("stopped (" + how.name().toLowerCase(java.util.Locale.ROOT) + ")");
      report.print(spec.commandLine().getOut(), json, hotplug, network);
    } finally {
      SandboxErrors.run(
          "demo",
          () -> {
            s.delete();
            return null;
          });
      progress("deleted sandbox " + id);
      err.flush();
    }
    return Vmm4j.EXIT_OK;
  }

  static HypervisorConfig config(GuestArtifacts guest) {
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath("/usr/bin/qemu-system-x86_64")
                .kernelPath(guest.vmlinux().toString())
                .initrdPath(guest.initramfs().toString())
                .hypervisorMachineType("q35")
                .numVcpus(VCPUS)
                .defaultMaxVcpus(MAX_VCPUS)
                .memorySize(MEMORY_MIB)
                .defaultBridges(1)
                .pcieRootPort(1)
                .build())
        .editLive(l -> l.accelerator(Accelerator.AUTO));
  }

  private void progress(String message) {
    spec.commandLine().getErr().println("demo: " + message);
    spec.commandLine().getErr().flush();
  }
}
