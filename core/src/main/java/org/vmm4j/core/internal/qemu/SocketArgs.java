package org.vmm4j.core.internal.qemu;

import org.vmm4j.core.api.SandboxPaths;

/**
 * QEMU's process-level options: the two QMP sockets (the controller's and the tools': QEMU serves
 * one client per socket), the pid file, the debug log, and seccomp ({@code -sandbox}).
 */
final class SocketArgs {
  /**
   * Everything QEMU 7.2's seccomp filter can deny: obsolete system calls, privilege changes,
   * fork/exec, and scheduler/affinity changes.
   */
  static final String SECCOMP =
      "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

  private SocketArgs() {}

  /** {@code -qmp unix:<vmdir>/qmp.sock,server=on,wait=off}, then the tools' socket. */
  static void qmp(Argv a, Plan p) {
    SandboxPaths paths = p.paths();
    a.add("-qmp", qmpSocket(paths.qmpSocket().toString()));
    a.add("-qmp", qmpSocket(paths.toolsQmpSocket().toString()));
  }

  private static Opts qmpSocket(String path) {
    return Opts.of("unix:" + path).add("server", "on").add("wait", "off");
  }

  /** {@code -pidfile <vmdir>/pid}; with Debug {@code -D <vmdir>/qemu.log}. */
  static void pidfileAndLogs(Argv a, Plan p) {
    a.add("-pidfile", p.paths().pidFile().toString());
    if (p.c().kata().debug()) {
      a.add("-D", p.paths().debugLog().toString());
    }
  }

  /** {@code -sandbox ...} where QEMU has seccomp, unless the config disables it. */
  static void sandbox(Argv a, Plan p) {
    if (p.ctx().host().qemuSeccomp() && !p.c().live().disableQemuSeccomp()) {
      a.add("-sandbox", SECCOMP);
    }
  }
}
