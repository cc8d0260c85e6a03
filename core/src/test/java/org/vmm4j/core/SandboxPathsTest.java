package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.SandboxPaths;

class SandboxPathsTest {

  @Test
  void kataLayoutUnderARoot() {
    SandboxPaths p = SandboxPaths.under(Path.of("/run/vc"), "abc");
    assertThat(p.vmDir()).isEqualTo(Path.of("/run/vc/vm/abc"));
    assertThat(p.sharedDir()).isEqualTo(Path.of("/run/vc/shared/sandboxes/abc/shared"));
    assertThat(p.qmpSocket()).isEqualTo(Path.of("/run/vc/vm/abc/qmp.sock"));
    assertThat(p.toolsQmpSocket()).isEqualTo(Path.of("/run/vc/vm/abc/qmp-tools.sock"));
    assertThat(p.consoleSocket()).isEqualTo(Path.of("/run/vc/vm/abc/console.sock"));
    assertThat(p.agentSocket()).isEqualTo(Path.of("/run/vc/vm/abc/kata.sock"));
    assertThat(p.pidFile()).isEqualTo(Path.of("/run/vc/vm/abc/pid"));
  }

  @Test
  void socketPathLimitIs107Bytes() {
    // "/" + dir + "/qmp-tools.sock" (15 bytes): the longest socket name.
    String fits = "/" + "d".repeat(107 - 1 - 15);
    new SandboxPaths(Path.of(fits), Path.of("/s")).checkSocketPaths();
    SandboxPaths tooLong = new SandboxPaths(Path.of(fits + "d"), Path.of("/s"));
    assertThatThrownBy(tooLong::checkSocketPaths)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("qmp-tools.sock is 108 bytes");
  }
}
