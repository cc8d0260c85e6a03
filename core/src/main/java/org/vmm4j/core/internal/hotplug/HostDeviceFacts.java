package org.vmm4j.core.internal.hotplug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * What the host has for a device, looked at before a hotplug takes the sandbox's lock: a disk's
 * device number, that a vhost-user daemon's socket is there, that a VFIO group has its {@code
 * /dev/vfio/<group>}. A host that lacks it is a {@link HotplugRefusedException} saying what is
 * missing.
 */
public final class HostDeviceFacts {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  private HostDeviceFacts() {}

  /**
   * The disk as the device manager knows it: a block device by number, a file by path. Refuses
   * anything else (its links resolved): QEMU would block in {@code open()} on a FIFO, its QMP
   * monitor with it, and a character device or a directory is no disk.
   */
  public static HostDevice disk(String sid, Path file, boolean readOnly) {
    String op = "hotplug disk";
    Path real;
    try {
      real = InputFiles.requireRegularOrBlockDevice(file);
    } catch (NoSuchFileException e) {
      throw refused(sid, op, "no such file (" + file + ")");
    } catch (InputFileException e) {
      throw refused(sid, op, e.getMessage());
    } catch (IOException e) {
      throw refused(sid, op, file + ": " + e.getMessage());
    }
    Map<String, Object> a = attributes(sid, op, real, "no such file");
    int mode = (Integer) a.get("mode");
    if ((mode & S_IFMT) != S_IFBLK) {
      return HostDevice.block(file.toString(), 0, 0, readOnly);
    }
    long rdev = (Long) a.get("rdev");
    return HostDevice.block(file.toString(), major(rdev), minor(rdev), readOnly);
  }

  /** Refuses unless a unix socket is at {@code socket} (a vhost-user daemon's). */
  public static HostDevice vhostUser(String sid, DeviceKind kind, Path socket) {
    String op = "hotplug " + kind.kataType();
    Map<String, Object> a =
        attributes(sid, op, socket, "no vhost-user daemon: nothing at the socket path");
    if (((Integer) a.get("mode") & S_IFMT) != S_IFSOCK) {
      throw refused(sid, op, socket + " is not a unix socket (a vhost-user daemon's)");
    }
    return HostDevice.vhostUser(kind, socket.toString());
  }

  /** The VFIO group as the device manager knows it; refuses without {@code /dev/vfio/<group>}. */
  public static HostDevice vfio(String sid, VfioGroup group, boolean require) {
    Path dev = VfioSpec.DEV_VFIO.resolve(Integer.toString(group.number()));
    if (!Files.exists(dev)) {
      if (require) {
        String why =
            Files.isDirectory(VfioSpec.DEV_VFIO)
                ? "no " + dev + ": bind the group's devices to vfio-pci"
                : "no " + VfioSpec.DEV_VFIO + ": this host has no VFIO (load vfio-pci)";
        throw refused(sid, "hotplug VFIO group " + group.number(), why);
      }
      return HostDevice.vfio(dev.toString(), 0, 0);
    }
    long rdev = (Long) attributes(sid, "hotplug VFIO", dev, "gone").get("rdev");
    return HostDevice.vfio(dev.toString(), major(rdev), minor(rdev));
  }

  /** Refuses unless {@code /dev/vfio} exists (before looking the group up in sysfs). */
  public static void checkVfio(String sid, String device) {
    if (!Files.isDirectory(VfioSpec.DEV_VFIO)) {
      throw refused(
          sid,
          "hotplug VFIO device " + device,
          "no " + VfioSpec.DEV_VFIO + ": this host has no VFIO (load vfio-pci, enable the IOMMU)");
    }
  }

  private static Map<String, Object> attributes(String sid, String op, Path p, String missing) {
    try {
      return Files.readAttributes(p, "unix:mode,rdev", new LinkOption[0]);
    } catch (NoSuchFileException e) {
      throw refused(sid, op, missing + " (" + p + ")");
    } catch (IOException e) {
      throw refused(sid, op, p + ": " + e.getMessage());
    }
  }

  /** Linux's {@code major()} of a {@code dev_t}. */
  static long major(long dev) {
    return ((dev & 0x00000000000fff00L) >>> 8) | ((dev & 0xfffff00000000000L) >>> 32);
  }

  /** Linux's {@code minor()} of a {@code dev_t}. */
  static long minor(long dev) {
    return (dev & 0x00000000000000ffL) | ((dev & 0x00000ffffff00000L) >>> 12);
  }

  private static HotplugRefusedException refused(String sid, String op, String why) {
    return new HotplugRefusedException("sandbox " + sid + ": " + op + ": " + why);
  }
}
