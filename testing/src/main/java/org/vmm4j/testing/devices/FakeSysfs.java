package org.vmm4j.testing.devices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake sysfs tree with the layout Linux gives VFIO devices: {@code devices/pci0000:00/<bdf>/}
 * with {@code config} (256 or 4096 bytes), {@code class}, {@code vendor}, {@code device}, {@code
 * driver} and {@code iommu_group} links; {@code bus/pci/devices/<bdf>} links to it; {@code
 * kernel/iommu_groups/<g>/devices/<bdf>} links back; mediated devices as {@code <parent>/<uuid>/}
 * linked from {@code bus/mdev/devices/}.
 */
public final class FakeSysfs {
  private final Path root;

  public FakeSysfs(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** A PCI function in IOMMU group {@code group}, bound to {@code driver} (null: none). */
  public FakeSysfs pci(String bdf, int group, boolean pcie, String cls, String driver) {
    try {
      Path dir = root.resolve("devices/pci0000:00").resolve(bdf);
      Files.createDirectories(dir);
      Files.write(dir.resolve("config"), new byte[pcie ? 4096 : 256]);
      Files.writeString(dir.resolve("class"), cls + "\n");
      Files.writeString(dir.resolve("vendor"), "0x8086\n");
      Files.writeString(dir.resolve("device"), "0x1520\n");
      if (driver != null) {
        link(dir.resolve("driver"), root.resolve("bus/pci/drivers").resolve(driver));
      }
      Path groupDir = group(group);
      link(dir.resolve("iommu_group"), groupDir);
      link(root.resolve("bus/pci/devices").resolve(bdf), dir);
      link(groupDir.resolve("devices").resolve(bdf), dir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mediated device {@code uuid} of parent {@code parentBdf} in its own group. */
  public FakeSysfs mdev(String parentBdf, String uuid, int group) {
    try {
      Path dir = root.resolve("devices/pci0000:00").resolve(parentBdf).resolve(uuid);
      Files.createDirectories(dir);
      link(dir.resolve("driver"), root.resolve("bus/mdev/drivers/vfio_mdev"));
      Path groupDir = group(group);
      link(dir.resolve("iommu_group"), groupDir);
      link(root.resolve("bus/mdev/devices").resolve(uuid), dir);
      link(groupDir.resolve("devices").resolve(uuid), dir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path group(int group) throws IOException {
    Path g = root.resolve("kernel/iommu_groups").resolve(Integer.toString(group));
    Files.createDirectories(g.resolve("devices"));
    return g;
  }

  private static void link(Path link, Path target) throws IOException {
    Files.createDirectories(link.getParent());
    Files.createDirectories(target);
    Files.createSymbolicLink(link, link.getParent().relativize(target));
  }
}
