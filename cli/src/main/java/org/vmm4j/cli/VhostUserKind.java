package org.vmm4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.core.api.SandboxPaths;
import picocli.CommandLine.Option;

/** The kinds served by a vhost-user daemon: {@code --socket PATH}. */
abstract class VhostUserKind extends HotplugKind {
  @Option(
      names = "--socket",
      required = true,
      paramLabel = "PATH",
      description = "The vhost-user daemon's unix socket (QEMU connects to it).")
  Path socket;

  @Override
  void check() {
    socket = checkSocket(this, socket);
  }

  /**
   * {@code --socket PATH} made absolute; bad input when empty, too long for a unix socket address,
   * or something other than a socket. Nothing at the path is the sandbox's refusal (exit 1: no
   * daemon).
   */
  static Path checkSocket(HotplugKind kind, Path socket) {
    String given = socket.toString();
    if (given.isEmpty()) {
      throw kind.bad("--socket \"\": an empty path");
    }
    Path p = socket.toAbsolutePath().normalize();
    int bytes = p.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > SandboxPaths.MAX_SOCKET_PATH_BYTES) {
      throw kind.bad(
          "--socket "
              + given
              + ": "
              + bytes
              + " bytes long; a unix socket path has at most "
              + SandboxPaths.MAX_SOCKET_PATH_BYTES);
    }
    if (Files.isDirectory(p) || Files.isRegularFile(p)) {
      throw kind.bad("--socket " + given + ": " + p + " is not a unix socket");
    }
    return p;
  }
}
