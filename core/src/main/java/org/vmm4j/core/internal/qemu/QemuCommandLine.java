package org.vmm4j.core.internal.qemu;

import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.devices.PciBridge;

/**
 * The QEMU 7.2 command line of one sandbox, and what the launcher must know to start it: Kata
 * 1.13's command line in QEMU 7.2's syntax, with vmm4j's changes: no inherited descriptor ({@code
 * -S}, see below), Kata's hotplug topology, two QMP sockets, Kata's console on a socket vmm4j does
 * not hold (see docs/architecture.md).
 *
 * <p>QEMU always starts stopped ({@code -S}); the launcher runs {@link #preContSteps()} over QMP,
 * then {@code cont}. There is no {@code -daemonize}: the launcher starts QEMU as its own child, in
 * a session of its own ({@code setsid}), with stdout and stderr appended to {@link
 * SandboxPaths#qemuOutput()}, so that it can reap QEMU and notice its exit at once while it is the
 * parent, QEMU survives the controller and the terminal, and QEMU's own error messages (before and
 * after initialisation) are on disk for any failure report. QEMU serves two QMP sockets ({@link
 * SandboxPaths#qmpSocket()}, {@link SandboxPaths#toolsQmpSocket()}), the console on {@link
 * SandboxPaths#consoleSocket()} and, with the serial agent channel, {@link
 * SandboxPaths#agentSocket()}.
 *
 * @param argv the command line, the QEMU binary first
 * @param accelerator the accelerator chosen: {@link Accelerator#KVM} or {@link Accelerator#TCG}
 * @param machine the machine type
 * @param bridges the hotplug bridges and root ports, in command-line order ({@code
 *     HypervisorState.Bridges})
 * @param agent how the agent is reached
 * @param preContSteps QMP work before {@code cont}, in order
 * @param virtiofsd the virtiofsd to start before QEMU (virtio-fs only)
 * @param memory guest RAM's backend (empty on microvm with plain RAM)
 * @param paths the sandbox's paths
 * @param nvdimmCount nvdimms on the command line (1 for a nvdimm rootfs image): the first
 *     hot-plugged nvdimm is guest {@code /dev/pmem<nvdimmCount>}
 */
public record QemuCommandLine(
    List<String> argv,
    Accelerator accelerator,
    MachineType machine,
    List<PciBridge> bridges,
    AgentChannel agent,
    List<PreContStep> preContSteps,
    Optional<VirtiofsdCommand> virtiofsd,
    Optional<GuestMemory> memory,
    SandboxPaths paths,
    int nvdimmCount) {

  public QemuCommandLine {
    argv = List.copyOf(argv);
    bridges = List.copyOf(bridges);
    preContSteps = List.copyOf(preContSteps);
  }

  /**
   * Builds the command line of a config that passed validation and {@link LaunchLimits} (it does
   * not check them again).
   *
   * @throws org.vmm4j.core.api.ConfigException for KVM asked for but not usable, or a socket path
   *     too long
   */
  public static QemuCommandLine build(HypervisorConfig config, LaunchContext context) {
    return QemuArgvBuilder.build(config, context);
  }

  /**
   * The guest kernel's command line {@link #build} gives {@code config} (defaults applied): Kata's
   * parameters, then {@code KernelParams}.
   */
  public static String kernelCommandLine(HypervisorConfig config) {
    return KernelArgs.commandLine(config);
  }

  /**
   * Refuses more {@code PCIeRootPort}s than q35's root bus has free slots for, beside the bridges
   * and the devices QEMU addresses itself.
   *
   * @throws org.vmm4j.core.api.ConfigException naming {@code PCIeRootPort} and the limit
   */
  public static void checkRootBus(HypervisorConfig config) {
    PciTopology.checkCapacity(config);
  }
}
