package org.vmm4j.qmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One root bus of {@code query-pci}. Devices behind bridges are nested in {@link
 * PciDevice#pciBridge()}. Before firmware has numbered the buses (QEMU started with {@code -S}),
 * root ports report secondary bus 0 and the devices behind them are missing: check a device's
 * presence with {@link QomList} on {@code /machine/peripheral}, not here.
 */
public record PciBus(int bus, List<PciDevice> devices) {
  public PciBus {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }

  /** Every device on this bus and behind its bridges, depth first. */
  public List<PciDevice> allDevices() {
    List<PciDevice> out = new ArrayList<>();
    collect(devices, out);
    return out;
  }

  /** The device whose {@code qdev_id} is {@code id}, at any depth. */
  public Optional<PciDevice> find(String id) {
    return allDevices().stream().filter(d -> id.equals(d.qdevId())).findFirst();
  }

  private static void collect(List<PciDevice> devices, List<PciDevice> out) {
    for (PciDevice d : devices) {
      out.add(d);
      if (d.pciBridge() != null) {
        collect(d.pciBridge().devices(), out);
      }
    }
  }
}
