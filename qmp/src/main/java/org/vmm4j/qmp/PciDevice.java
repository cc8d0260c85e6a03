package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One device of {@code query-pci}.
 *
 * @param qdevId the device's id ({@code ""} for devices QEMU created itself)
 * @param irq the interrupt line, or null when there is none
 * @param pciBridge the bridge's secondary side, or null when this is not a bridge
 */
public record PciDevice(
    int bus,
    int slot,
    int function,
    @JsonProperty("class_info") ClassInfo classInfo,
    Ids id,
    Integer irq,
    @JsonProperty("irq_pin") int irqPin,
    @JsonProperty("qdev_id") String qdevId,
    @JsonProperty("pci_bridge") Bridge pciBridge,
    List<Region> regions) {

  public PciDevice {
    regions = regions == null ? List.of() : List.copyOf(regions);
  }

  /** The PCI class: {@code classCode} 1540 (0x0604) is a PCI bridge. */
  public record ClassInfo(@JsonProperty("class") int classCode, String desc) {}

  /** Vendor and device ids (subsystem ids are null when QEMU leaves them out). */
  public record Ids(
      int vendor,
      int device,
      @JsonProperty("subsystem-vendor") Integer subsystemVendor,
      Integer subsystem) {}

  /** A BAR; {@code address} -1 means unassigned (no firmware ran yet). */
  public record Region(
      int bar,
      String type,
      long address,
      long size,
      Boolean prefetch,
      @JsonProperty("mem_type_64") Boolean memType64) {}

  /** The secondary side of a bridge and the devices behind it. */
  public record Bridge(Buses bus, List<PciDevice> devices) {
    public Bridge {
      devices = devices == null ? List.of() : List.copyOf(devices);
    }
  }

  /** The bridge's bus numbers and windows. */
  public record Buses(
      int number,
      int secondary,
      int subordinate,
      @JsonProperty("io_range") Range ioRange,
      @JsonProperty("memory_range") Range memoryRange,
      @JsonProperty("prefetchable_range") Range prefetchableRange) {}

  /** An address window. */
  public record Range(long base, long limit) {}
}
