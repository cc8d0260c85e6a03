package org.vmm4j.core.internal.qemu;

import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.SandboxPaths;

/**
 * Everything decided before the argv is written: the accelerator, whether the agent uses vsock, the
 * virtio transport, and Kata's random device ids (drawn in a fixed order).
 *
 * @param c the validated config
 * @param ctx the launch inputs
 * @param machine the machine type
 * @param accel KVM or TCG
 * @param vsock whether the agent is on vhost-vsock
 * @param pci whether virtio devices are PCI (else virtio-mmio, microvm)
 * @param disableModern Kata's {@code disable-modern} for virtio PCI devices
 * @param iothreadId the SCSI controller's iothread, or ""
 * @param imageId the virtio-blk image drive id, or ""
 * @param fsDevId the virtio-fs device id, or ""
 */
record Plan(
    HypervisorConfig c,
    LaunchContext ctx,
    MachineType machine,
    Accelerator accel,
    boolean vsock,
    boolean pci,
    boolean disableModern,
    String iothreadId,
    String imageId,
    String fsDevId) {

  static Plan of(HypervisorConfig c, LaunchContext ctx) {
    MachineType machine = c.machineType();
    HostCapabilities host = ctx.host();
    Accelerator accel = accelerator(c.live().accelerator(), host);
    boolean disableModern =
        host.nested() && accel == Accelerator.KVM && !c.kata().disableNestingChecks();
    String iothread = c.kata().enableIoThreads() && scsi(c) ? "iothread-" + ctx.ids().get() : "";
    String image =
        !c.kata().imagePath().isEmpty() && c.kata().disableImageNvdimm()
            ? "image-" + ctx.ids().get()
            : "";
    String fsDev = c.usesVirtioFs() ? ctx.ids().get() : "";
    return new Plan(
        c,
        ctx,
        machine,
        accel,
        c.kata().useVsock(),
        machine.isPci(),
        disableModern,
        iothread,
        image,
        fsDev);
  }

  static boolean scsi(HypervisorConfig c) {
    return c.kata().blockDeviceDriver().equals(HypervisorConfig.VIRTIO_SCSI);
  }

  /**
   * The accelerator {@code wanted} resolves to on {@code host}.
   *
   * @throws ConfigException when KVM is asked for but not usable
   */
  static Accelerator accelerator(Accelerator wanted, HostCapabilities host) {
    return switch (wanted) {
      case AUTO -> host.kvmUsable() ? Accelerator.KVM : Accelerator.TCG;
      case TCG -> Accelerator.TCG;
      case KVM -> {
        if (!host.kvmUsable()) {
          throw new ConfigException(
              "Accelerator",
              "kvm",
              "HypervisorConfig: Accelerator=kvm but KVM is not usable on this host");
        }
        yield Accelerator.KVM;
      }
    };
  }

  /** microvm takes a non-RAM backend as {@code -machine memory-backend=} (it has no NUMA/DIMM). */
  boolean memoryBackendOnMachine() {
    return !pci && MemoryArgs.backend(this).isPresent();
  }

  boolean kvm() {
    return accel == Accelerator.KVM;
  }

  SandboxPaths paths() {
    return ctx.paths();
  }

  /** {@code base-pci} or, on microvm, {@code base-device}. */
  String virtio(String base) {
    return base + (pci ? "-pci" : "-device");
  }

  /** {@code disable-modern=<bool>} on PCI only (govmm prints it for most virtio PCI devices). */
  Opts disableModern(Opts o) {
    return o.addIf(pci, "disable-modern", disableModern);
  }

  /** {@code romfile=} on PCI only (govmm always prints it, empty). */
  Opts romfile(Opts o) {
    return o.addIf(pci, "romfile", "");
  }
}
