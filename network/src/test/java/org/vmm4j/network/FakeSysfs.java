package org.vmm4j.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs tree in a temporary directory with PCI NICs in it, as the physical-endpoint code reads.
 */
final class FakeSysfs {
  private final Path root;

  public FakeSysfs(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /**
   * Adds interface {@code ifName} backed by PCI function {@code bdf} bound to {@code driver}, with
   * {@code vendor}/{@code device} ids ({@code 0x8086}).
   */
  public FakeSysfs nic(String ifName, String bdf, String driver, String vendor, String device) {
    try {
      Path dev = Files.createDirectories(root.resolve("bus/pci/devices").resolve(bdf));
      Files.writeString(dev.resolve("vendor"), vendor + "\n");
      Files.writeString(dev.resolve("device"), device + "\n");
      Path drv = Files.createDirectories(root.resolve("bus/pci/drivers").resolve(driver));
      Files.createSymbolicLink(dev.resolve("driver"), drv);
      Path net = Files.createDirectories(root.resolve("class/net").resolve(ifName));
      Files.createSymbolicLink(net.resolve("device"), dev);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
