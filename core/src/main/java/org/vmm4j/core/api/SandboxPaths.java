package org.vmm4j.core.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where one sandbox's QEMU keeps its files. Everything runtime-related lives in the VM directory
 * (Kata's {@code /run/vc/vm/<id>}): the sockets QEMU serves, its pid file and logs; the shared
 * directory is what the guest mounts as {@code kataShared} (9p or virtio-fs).
 *
 * @param vmDir the VM directory
 * @param sharedDir the host directory shared with the guest
 */
public record SandboxPaths(Path vmDir, Path sharedDir) {

  /** {@code sun_path} holds 108 bytes including the terminating NUL. */
  public static final int MAX_SOCKET_PATH_BYTES = 107;

  public SandboxPaths {
    Objects.requireNonNull(vmDir, "vmDir");
    Objects.requireNonNull(sharedDir, "sharedDir");
  }

  /**
   * Kata's layout under a root such as {@code /run/vc}: {@code <root>/vm/<id>} and {@code
   * <root>/shared/sandboxes/<id>/shared}.
   */
  public static SandboxPaths under(Path root, String sandboxId) {
    return new SandboxPaths(
        root.resolve("vm").resolve(sandboxId),
        root.resolve("shared").resolve("sandboxes").resolve(sandboxId).resolve("shared"));
  }

  /** The controller's QMP socket (QEMU serves one client per socket: tools get their own). */
  public Path qmpSocket() {
    return vmDir.resolve("qmp.sock");
  }

  /** The tools' QMP socket ({@code vmm4j qmp}), free while the controller holds its own. */
  public Path toolsQmpSocket() {
    return vmDir.resolve("qmp-tools.sock");
  }

  /** The guest console ({@code virtconsole}, hvc0), Kata's; vmm4j does not hold it. */
  public Path consoleSocket() {
    return vmDir.resolve("console.sock");
  }

  /** The agent's serial channel ({@code agent.channel.0}), Kata 1.13's {@code kata.sock}. */
  public Path agentSocket() {
    return vmDir.resolve("kata.sock");
  }

  /** virtiofsd's vhost-user socket (virtio-fs). */
  public Path virtiofsSocket() {
    return vmDir.resolve("vhost-fs.sock");
  }

  /** QEMU's {@code -pidfile}. */
  public Path pidFile() {
    return vmDir.resolve("pid");
  }

  /** QEMU's {@code -D} log (Kata's {@code qemu.log}, Debug only). */
  public Path debugLog() {
    return vmDir.resolve("qemu.log");
  }

  /** Where the launcher sends QEMU's stdout and stderr. */
  public Path qemuOutput() {
    return vmDir.resolve("qemu-output.log");
  }

  /** Where the launcher sends virtiofsd's stdout and stderr. */
  public Path virtiofsdOutput() {
    return vmDir.resolve("virtiofsd-output.log");
  }

  /** Every socket path, for {@link #checkSocketPaths()}. */
  public List<Path> sockets() {
    return List.of(qmpSocket(), toolsQmpSocket(), consoleSocket(), agentSocket(), virtiofsSocket());
  }

  /**
   * Refuses a VM directory whose sockets would not fit in {@code sun_path}.
   *
   * @throws ConfigException naming the longest socket path and its length
   */
  public void checkSocketPaths() {
    for (Path socket : sockets()) {
      int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SOCKET_PATH_BYTES) {
        throw new ConfigException(
            "vmDir",
            vmDir,
            "sandbox paths: socket "
                + socket
                + " is "
                + bytes
                + " bytes long; a unix socket path has at most "
                + MAX_SOCKET_PATH_BYTES);
      }
    }
  }
}
