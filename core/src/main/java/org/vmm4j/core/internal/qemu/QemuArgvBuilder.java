package org.vmm4j.core.internal.qemu;

import java.util.ArrayList;
import java.util.List;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.devices.PciBridge;

/**
 * Assembles the argv in Kata's order (govmm's {@code LaunchQemu}), with two vmm4j changes: the root
 * ports come right after the bridges, and there is no {@code -daemonize} but always {@code -S}
 * (QEMU inherits no descriptor; see {@link QemuCommandLine}).
 */
public final class QemuArgvBuilder {
  private QemuArgvBuilder() {}

  /** See {@link QemuCommandLine#build}. */
  public static QemuCommandLine build(HypervisorConfig c, LaunchContext ctx) {
    ctx.paths().checkSocketPaths();
    Plan p = Plan.of(c, ctx);
    Argv a = new Argv();
    a.add(c.kata().hypervisorPath());
    a.add("-name", "sandbox-" + ctx.sandboxId(), "-uuid", ctx.uuid().toString());
    MachineArgs.machineAndCpu(a, p);
    SocketArgs.qmp(a, p);
    MachineArgs.memorySize(a, p);
    List<PciBridge> bridges = PciTopology.append(a, p);
    DeviceArgs.append(a, p);
    SharedFsArgs.append(a, p);
    MachineArgs.clockAndGlobals(a, p);
    KernelArgs.pflash(a, p);
    a.add("-vga", "none", "-no-user-config", "-nodefaults", "-display", "none", "-no-reboot");
    MemoryArgs.append(a, p);
    a.add("-S");
    KernelArgs.append(a, p);
    DeviceArgs.iothread(a, p);
    if (c.kata().bootFromTemplate()) {
      a.add("-incoming", "defer");
    }
    SocketArgs.pidfileAndLogs(a, p);
    SocketArgs.sandbox(a, p);
    MachineArgs.smp(a, p);
    return new QemuCommandLine(
        a.list(),
        p.accel(),
        p.machine(),
        bridges,
        agent(p),
        preContSteps(p),
        SharedFsArgs.virtiofsd(p),
        MemoryArgs.backend(p),
        ctx.paths(),
        c.imageOnNvdimm() ? 1 : 0);
  }

  /**
   * The {@code maxmem} of the command line, in MiB: the most guest memory a sandbox may reach by
   * hotplug (host memory + 1024 + {@code MemOffset}).
   */
  public static long maxMemMiB(HypervisorConfig c, HostCapabilities host) {
    return MachineArgs.maxMemMiB(c, host);
  }

  private static AgentChannel agent(Plan p) {
    return p.vsock() ? new AgentChannel.Vsock() : new AgentChannel.Serial(p.paths().agentSocket());
  }

  private static List<PreContStep> preContSteps(Plan p) {
    List<PreContStep> steps = new ArrayList<>();
    if (p.vsock()) {
      String bus = p.machine() == MachineType.Q35 ? PciTopology.VSOCK_PORT : p.machine().rootBus();
      steps.add(new PreContStep.AddVhostVsock(bus, p.disableModern()));
    }
    return steps;
  }
}
