package org.vmm4j.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.ReattachException;
import org.vmm4j.core.SandboxPaths;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * Reattach's socket choice and identity checks against fake monitors (their peer pid is this
 * JVM's).
 */
class QmpAttachTest {
  static final String UUID = "2a1f3e5c-8c63-4a51-9f2d-6a0e5b9b2c11";
  static final long ME = ProcessHandle.current().pid();

  @TempDir Path dir;

  private SandboxPaths paths() {
    return new SandboxPaths(dir, dir.resolve("shared"));
  }

  @Test
  void sameQemuPasses() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket())) {
      fake.on("query-uuid").reply("{\"UUID\":\"" + UUID + "\"}");
      try (QmpClient qmp =
          QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofSeconds(1))) {
        QmpAttach.checkIdentity("sandbox s", qmp, ME, UUID);
        assertThat(qmp.socket()).isEqualTo(paths().qmpSocket());
      }
    }
  }

  @Test
  void anotherPidIsRefused() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket());
        QmpClient qmp = QmpClient.connect(fake.socketPath())) {
      assertThatThrownBy(() -> QmpAttach.checkIdentity("sandbox s", qmp, 1, UUID))
          .isInstanceOf(ReattachException.class)
          .hasMessage(
              "sandbox s: QMP socket "
                  + paths().qmpSocket()
                  + " is served by pid "
                  + ME
                  + ", not by the sandbox's QEMU pid 1");
      assertThat(fake.commandNames()).doesNotContain("query-uuid");
    }
  }

  @Test
  void anotherUuidIsRefused() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket())) {
      fake.on("query-uuid").reply("{\"UUID\":\"00000000-0000-0000-0000-000000000000\"}");
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        assertThatThrownBy(() -> QmpAttach.checkIdentity("sandbox s", qmp, ME, UUID))
            .isInstanceOf(ReattachException.class)
            .hasMessageContaining("has UUID 00000000-0000-0000-0000-000000000000")
            .hasMessageEndingWith("the sandbox's is " + UUID);
      }
    }
  }

  @Test
  void aBusyControllerSocketFallsBackToTheToolsSocket() {
    try (FakeQmpServer controller = FakeQmpServer.start(paths().qmpSocket());
        FakeQmpServer tools = FakeQmpServer.start(paths().toolsQmpSocket());
        QmpClient holder = QmpClient.connect(controller.socketPath())) {
      long t0 = System.nanoTime();
      try (QmpClient qmp =
          QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofMillis(300))) {
        assertThat(qmp.socket()).isEqualTo(paths().toolsQmpSocket());
      }
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(4).toNanos());
      assertThat(tools.connections()).isEqualTo(1);
    }
  }
}
