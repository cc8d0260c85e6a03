package org.vmm4j.cli;

import java.nio.file.Path;
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
    socket = socket.toAbsolutePath();
  }
}
