package org.vmm4j.core.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The QEMU machine types vmm4j runs (Kata's amd64 list minus {@code pc-lite} and {@code virt},
 * which QEMU 7.2 does not have on x86_64). {@link #maxCpus()} is QEMU 7.2's {@code cpu-max} from
 * {@code query-machines}; under TCG the APIC-ID limit caps every type at {@link #TCG_MAX_CPUS}.
 */
public enum MachineType {
  PC("pc", 255, "pci.0"),
  Q35("q35", 288, "pcie.0"),
  MICROVM("microvm", 288, "");

  /** QEMU 7.2 refuses more than 255 APIC IDs without KVM's x2APIC support. */
  public static final int TCG_MAX_CPUS = 255;

  private final String qemuName;
  private final int maxCpus;
  private final String rootBus;

  MachineType(String qemuName, int maxCpus, String rootBus) {
    this.qemuName = qemuName;
    this.maxCpus = maxCpus;
    this.rootBus = rootBus;
  }

  /** The name on {@code -machine} and in {@code HypervisorMachineType}. */
  public String qemuName() {
    return qemuName;
  }

  /** The most vCPUs QEMU 7.2 accepts for this machine type (with KVM). */
  public int maxCpus() {
    return maxCpus;
  }

  /** The PCI root bus ({@code pci.0}, {@code pcie.0}); empty for microvm (virtio-mmio only). */
  public String rootBus() {
    return rootBus;
  }

  /** Whether devices sit on PCI (pc, q35) rather than virtio-mmio (microvm). */
  public boolean isPci() {
    return this != MICROVM;
  }

  /** Kata's {@code supportGuestMemoryHotplug()}: false only for microvm. */
  public boolean supportsMemoryHotplug() {
    return this != MICROVM;
  }

  /** The machine type named exactly {@code name} (lower case, as QEMU names it). */
  public static Optional<MachineType> fromName(String name) {
    return Arrays.stream(values()).filter(m -> m.qemuName.equals(name)).findFirst();
  }

  /** {@code "pc, q35, microvm"}, for error messages. */
  public static String known() {
    return Arrays.stream(values()).map(MachineType::qemuName).collect(Collectors.joining(", "));
  }
}
