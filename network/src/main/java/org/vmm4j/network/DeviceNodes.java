package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Character-device nodes (there is no udev on these hosts to make {@code /dev/tapN}). */
final class DeviceNodes {
  private DeviceNodes() {}

  /** The {@code makedev} encoding glibc uses for {@code dev_t}. */
  public static long makedev(int major, int minor) {
    return ((long) (major & 0xfffff000) << 32)
        | ((long) (major & 0xfff) << 8)
        | ((long) (minor & 0xffffff00) << 12)
        | (minor & 0xff);
  }

  /** The device number of an existing node, as {@link #makedev} encodes it. */
  public static long deviceNumber(Path node) {
    try {
      return (Long) Files.getAttribute(node, "unix:rdev");
    } catch (IOException e) {
      throw new NetlinkException("stat", node.toString(), e.toString(), 0, e);
    }
  }

  /**
   * Creates character device {@code node} with mode 0600.
   *
   * @throws NetlinkException.Exists if something is already there
   */
  public static void mknodChar(Path node, int major, int minor) {
    try {
      // NATIVE: mknod(2) (exported by glibc >= 2.33) S_IFCHR|0600; a path string, no handles.
      LibC.mknod(node.toString(), LibC.S_IFCHR | 0600, makedev(major, minor));
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "mknod", node + " c " + major + ":" + minor);
    }
  }
}
