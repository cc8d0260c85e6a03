package org.vmm4j.devices;

import java.util.Map;
import java.util.Objects;

/**
 * A host device as a container asks for it (Kata's {@code DeviceInfo}, the fields vmm4j uses). Two
 * requests for the same device number ({@code major:minor}, when not 0:0) or, without one, the same
 * host path, are one device (shared between containers, reference-counted); so are two disks whose
 * paths reach the same file ({@link DeviceManager#findSame}).
 *
 * @param kind what the device is
 * @param hostPath the host path: a block device or image file, {@code /dev/vfio/<group>}, a
 *     vhost-user socket
 * @param devType {@code b}, {@code c}, {@code u}, {@code p} (Kata's {@code DevType}), or ""
 * @param major the device's major number (0 when it has none, e.g. a regular file)
 * @param minor the device's minor number
 * @param readOnly the guest may only read it (block devices)
 * @param coldPlug on the command line rather than hot-plugged
 * @param driverOptions Kata's {@code DriverOptions} (the manager adds {@code block-driver} for
 *     block devices)
 */
public record HostDevice(
    DeviceKind kind,
    String hostPath,
    String devType,
    long major,
    long minor,
    boolean readOnly,
    boolean coldPlug,
    Map<String, String> driverOptions) {
  public HostDevice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(hostPath, "hostPath");
    Objects.requireNonNull(devType, "devType");
    driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
  }

  /** A block device ({@code b}) or image file (0:0). */
  public static HostDevice block(String hostPath, long major, long minor, boolean readOnly) {
    return new HostDevice(DeviceKind.BLOCK, hostPath, "b", major, minor, readOnly, false, null);
  }

  /** A VFIO group ({@code /dev/vfio/<group>}, a character device). */
  public static HostDevice vfio(String groupPath, long major, long minor) {
    return new HostDevice(DeviceKind.VFIO, groupPath, "c", major, minor, false, false, null);
  }

  /** A vhost-user device of kind {@code kind} served on {@code socketPath}. */
  public static HostDevice vhostUser(DeviceKind kind, String socketPath) {
    if (!kind.isVhostUser()) {
      throw new IllegalArgumentException(kind + " is not a vhost-user kind");
    }
    return new HostDevice(kind, socketPath, "", 0, 0, false, false, null);
  }

  /** What identifies the device: {@code type:major:minor}, else the host path, else null. */
  String identity() {
    if (major != 0 || minor != 0) {
      return devType + ":" + major + ":" + minor;
    }
    return hostPath.isEmpty() ? null : kind + ":" + hostPath;
  }
}
