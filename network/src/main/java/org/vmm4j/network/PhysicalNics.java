package org.vmm4j.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Physical NICs as sysfs shows them: the PCI address behind an interface, its driver and ids
 * (Kata's physical endpoint), under a configurable sysfs root so tests can use a fake tree.
 */
public final class PhysicalNics {
  private final Path sysfs;

  /**
   * @param sysfs the sysfs root ({@code /sys}, or a test tree)
   */
  public PhysicalNics(Path sysfs) {
    this.sysfs = sysfs;
  }

  /**
   * The PCI address of interface {@code ifName} ({@code class/net/IF/device} links to a PCI
   * function whose name has three {@code :}-separated parts, as Kata's ethtool bus-info test), or
   * empty for virtual interfaces.
   */
  public Optional<String> pciAddress(String ifName) {
    Path device = sysfs.resolve("class/net").resolve(ifName).resolve("device");
    if (!Files.isSymbolicLink(device)) {
      return Optional.empty();
    }
    try {
      String bdf = Files.readSymbolicLink(device).getFileName().toString();
      return bdf.split(":").length == 3 ? Optional.of(bdf) : Optional.empty();
    } catch (IOException e) {
      throw new NetlinkException("readlink", device.toString(), e.toString(), 0, e);
    }
  }

  /** The endpoint for the NIC at {@code bdf}: driver and {@code "<vendor> <device>"} ids. */
  public Endpoint.Physical endpoint(String ifName, MacAddress mac, String bdf) {
    Path dev = sysfs.resolve("bus/pci/devices").resolve(bdf);
    String driver = "";
    try {
      Path link = dev.resolve("driver");
      if (Files.isSymbolicLink(link)) {
        driver = Files.readSymbolicLink(link).getFileName().toString();
      }
      String ids = read(dev.resolve("vendor")) + " " + read(dev.resolve("device"));
      return new Endpoint.Physical(ifName, mac, bdf, driver, ids, "");
    } catch (IOException e) {
      throw new NetlinkException("read", dev.toString(), e.toString(), 0, e);
    }
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p).trim();
  }
}
