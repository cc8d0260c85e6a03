package org.vmm4j.core.internal.hotplug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.vmm4j.core.api.HostException;

/**
 * Whether a vCPU was unplugged from a QEMU process, kept outside the persisted schema (which has no
 * field for it) as {@code <vm dir>/cpu-unplugged} holding QEMU's pid: under TCG QEMU 7.2 crashes on
 * a CPU plug after a CPU unplug, so every controller of that process, in any process, must refuse
 * the plug. A file of another pid (a QEMU that was restarted) does not count; the VM directory goes
 * with the sandbox's stop.
 */
public final class CpuUnplugMarker {
  public static final String FILE = "cpu-unplugged";

  private CpuUnplugMarker() {}

  /** Whether a vCPU unplug was recorded for QEMU {@code pid}. */
  public static boolean read(Path vmDir, long pid) {
    try {
      return Files.readString(vmDir.resolve(FILE), StandardCharsets.US_ASCII)
          .strip()
          .equals(Long.toString(pid));
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new HostException("read " + vmDir.resolve(FILE) + ": " + e, e);
    }
  }

  /** Records a vCPU unplug for QEMU {@code pid} (written whole, then renamed into place). */
  public static void write(Path vmDir, long pid) {
    Path file = vmDir.resolve(FILE);
    Path tmp = vmDir.resolve(FILE + ".tmp");
    try {
      Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostException(
          "record that a vCPU was unplugged from QEMU " + pid + " in " + file + ": " + e, e);
    }
  }
}
