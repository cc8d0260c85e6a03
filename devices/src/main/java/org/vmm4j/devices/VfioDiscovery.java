package org.vmm4j.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds VFIO host devices and their IOMMU groups in sysfs, under a configurable root ({@code /sys}
 * on a host; a fake tree in tests). A device is named by
 *
 * <ul>
 *   <li>its PCI address, {@code DDDD:BB:DD.F} or {@code BB:DD.F} (domain 0000);
 *   <li>its group's device, {@code /dev/vfio/<group>} (Kata's {@code HostPath});
 *   <li>a mediated device's sysfs path ({@code /sys/bus/mdev/devices/<uuid>} or the resolved path),
 *       or its bare UUID.
 * </ul>
 *
 * The group's members come from {@code kernel/iommu_groups/<group>/devices/}: a PCI function (a BDF
 * name) with whether it is PCIe (config space above 256 bytes), class, vendor, device and bound
 * driver; a mediated device (a UUID name) with its resolved sysfs path.
 */
public final class VfioDiscovery {
  /** The host's sysfs. */
  public static final Path DEFAULT_SYSFS = Path.of("/sys");

  /** Config space of a conventional PCI function; PCIe functions have 4096 bytes. */
  static final long PCI_CONFIG_SIZE = 256;

  private static final Pattern BDF =
      Pattern.compile("(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern GROUP_DEV = Pattern.compile("/dev/vfio/([0-9]+)");

  private final Path sysfs;

  /** Discovery in {@code sysfsRoot} (e.g. {@link #DEFAULT_SYSFS}). */
  public VfioDiscovery(Path sysfsRoot) {
    this.sysfs = Objects.requireNonNull(sysfsRoot, "sysfsRoot");
  }

  /** The sysfs root. */
  public Path sysfsRoot() {
    return sysfs;
  }

  /**
   * The IOMMU group of {@code device} with every member.
   *
   * @throws VfioDiscoveryException when the device, its group or a member cannot be read, or a
   *     member is neither a PCI function nor a mediated device
   */
  public VfioGroup discover(String device) {
    Objects.requireNonNull(device, "device");
    var groupDev = GROUP_DEV.matcher(device);
    if (groupDev.matches()) {
      return group(Integer.parseInt(groupDev.group(1)));
    }
    Optional<String> bdf = normalizeBdf(device);
    if (bdf.isPresent()) {
      return group(groupOf(sysfs.resolve("bus/pci/devices").resolve(bdf.get()), device));
    }
    if (UUID.matcher(device).matches()) {
      return group(groupOf(sysfs.resolve("bus/mdev/devices").resolve(device), device));
    }
    if (device.startsWith("/")) {
      return group(groupOf(inSysfs(device), device));
    }
    throw new VfioDiscoveryException(
        "VFIO device \""
            + device
            + "\": neither a PCI address (DDDD:BB:DD.F), /dev/vfio/<group>,"
            + " a mediated device UUID nor a sysfs path");
  }

  /**
   * The IOMMU group {@code number} with every member, in name order.
   *
   * @throws VfioDiscoveryException when it does not exist or a member cannot be read
   */
  public VfioGroup group(int number) {
    Path dir = sysfs.resolve("kernel/iommu_groups").resolve(Integer.toString(number));
    Path devices = dir.resolve("devices");
    if (!Files.isDirectory(devices)) {
      throw new VfioDiscoveryException(
          "IOMMU group " + number + ": no " + devices + " (is the IOMMU enabled?)");
    }
    List<VfioHostDevice> members = new ArrayList<>();
    try (Stream<Path> s = Files.list(devices)) {
      for (Path p : s.sorted().toList()) {
        members.add(member(number, p));
      }
    } catch (IOException e) {
      throw new VfioDiscoveryException("IOMMU group " + number + ": list " + devices + ": " + e, e);
    }
    if (members.isEmpty()) {
      throw new VfioDiscoveryException("IOMMU group " + number + ": " + devices + " is empty");
    }
    return new VfioGroup(number, members);
  }

  /** {@code 0000:02:10.0} for {@code 02:10.0} or {@code 0000:02:10.0} (lower case). */
  public static Optional<String> normalizeBdf(String text) {
    var m = BDF.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String domain = m.group(1) == null ? "0000" : m.group(1);
    return Optional.of(
        (domain + ":" + m.group(2) + ":" + m.group(3) + "." + m.group(4)).toLowerCase(Locale.ROOT));
  }

  private Path inSysfs(String path) {
    Path p = Path.of(path);
    if (p.startsWith(sysfs)) {
      return p;
    }
    Path host = DEFAULT_SYSFS;
    return p.startsWith(host) ? sysfs.resolve(host.relativize(p).toString()) : p;
  }

  private int groupOf(Path deviceDir, String device) {
    Path link = deviceDir.resolve("iommu_group");
    if (!Files.isDirectory(deviceDir)) {
      throw new VfioDiscoveryException("VFIO device " + device + ": no " + deviceDir);
    }
    try {
      String name = Files.readSymbolicLink(link).getFileName().toString();
      return Integer.parseInt(name);
    } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
      throw new VfioDiscoveryException(
          "VFIO device "
              + device
              + ": no IOMMU group ("
              + link
              + ": "
              + e.getMessage()
              + "; is the IOMMU enabled, e.g. intel_iommu=on?)",
          e);
    }
  }

  private VfioHostDevice member(int group, Path entry) {
    String name = entry.getFileName().toString();
    Optional<String> bdf = normalizeBdf(name);
    if (bdf.isPresent() && bdf.get().equals(name.toLowerCase(Locale.ROOT))) {
      return pciFunction(bdf.get(), sysfs.resolve("bus/pci/devices").resolve(name));
    }
    if (UUID.matcher(name).matches()) {
      return mediated(name, entry);
    }
    throw new VfioDiscoveryException(
        "IOMMU group "
            + group
            + ": member \""
            + name
            + "\" is neither a PCI function nor a mediated device");
  }

  private VfioHostDevice pciFunction(String bdf, Path dir) {
    long configSize = size(dir.resolve("config"), bdf);
    return new VfioHostDevice(
        VfioDeviceType.NORMAL,
        bdf,
        dir.toString(),
        "",
        configSize > PCI_CONFIG_SIZE,
        hexFile(dir.resolve("class")),
        hexFile(dir.resolve("vendor")),
        hexFile(dir.resolve("device")),
        linkName(dir.resolve("driver")));
  }

  private VfioHostDevice mediated(String uuid, Path entry) {
    Path real;
    try {
      real = entry.toRealPath();
    } catch (IOException e) {
      throw new VfioDiscoveryException("mediated device " + uuid + ": resolve " + entry + ": " + e);
    }
    Path parent = real.getParent();
    String parentName = parent == null ? "" : parent.getFileName().toString();
    String parentBdf = normalizeBdf(parentName).filter(b -> b.equals(parentName)).orElse("");
    return new VfioHostDevice(
        VfioDeviceType.MEDIATED,
        parentBdf,
        real.toString(),
        uuid.toLowerCase(Locale.ROOT),
        false,
        parent == null ? -1 : hexFile(parent.resolve("class")),
        parent == null ? -1 : hexFile(parent.resolve("vendor")),
        parent == null ? -1 : hexFile(parent.resolve("device")),
        linkName(real.resolve("driver")));
  }

  private static long size(Path file, String bdf) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new VfioDiscoveryException("PCI function " + bdf + ": read " + file + ": " + e, e);
    }
  }

  /** A sysfs number such as {@code 0x030000}; -1 when absent or unreadable. */
  private static int hexFile(Path file) {
    try {
      String s = Files.readString(file).strip();
      return Integer.parseInt(s.startsWith("0x") ? s.substring(2) : s, 16);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static Optional<String> linkName(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
