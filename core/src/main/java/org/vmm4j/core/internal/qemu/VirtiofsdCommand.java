package org.vmm4j.core.internal.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * The virtiofsd the launcher starts, before QEMU, for virtio-fs (QEMU connects to its socket as a
 * client when it starts). Kata's arguments, with {@code --socket-path} instead of an inherited
 * {@code --fd} (a process Java starts inherits no descriptor above 2) and without {@code --syslog}
 * (its output goes to {@link SandboxPaths#virtiofsdOutput()}).
 *
 * @param argv the full command line, binary first
 * @param socket the vhost-user socket virtiofsd creates
 * @param sharedDir the directory it serves
 */
public record VirtiofsdCommand(List<String> argv, Path socket, Path sharedDir) {
  public VirtiofsdCommand {
    argv = List.copyOf(argv);
  }
}
