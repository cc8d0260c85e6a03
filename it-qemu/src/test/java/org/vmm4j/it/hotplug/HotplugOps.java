package org.vmm4j.it.hotplug;

import java.nio.file.Path;
import java.util.List;
import org.vmm4j.core.api.Device;

/**
 * The hotplug operations the guest tests run, through the library ({@link LibraryOps}) or through
 * {@code vmm4j} processes ({@link CliOps}). A failure is an {@link OpFailed} with the exit code the
 * command gives it and the message.
 */
interface HotplugOps {
  /** A disk: {@code format} raw or qcow2, {@code driver} virtio-blk, virtio-scsi or null. */
  List<Device> disk(Path file, String format, boolean readOnly, String driver);

  /** {@code kind} vhost-user-blk, vhost-user-scsi or vhost-user-fs ({@code tag} for fs). */
  List<Device> vhostUser(String kind, Path socket, String tag);

  List<Device> cpus(int count);

  List<Device> memory(long mib);

  void unplug(String id);

  /** A failed operation: the exit code docs/cli.md gives it and the one-line message. */
  final class OpFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    OpFailed(int code, String message) {
      super("exit " + code + ": " + message);
      this.code = code;
    }
  }
}
