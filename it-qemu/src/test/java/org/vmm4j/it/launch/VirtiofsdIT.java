package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.core.internal.vm.ProcStat;
import org.vmm4j.persist.FsStore;

/**
 * virtio-fs with the real virtiofsd of Debian's qemu-system-common: vmm4j starts it with {@code
 * --socket-path} before QEMU (QEMU refuses to start when it cannot connect to it), records its pid,
 * stops it with the sandbox, and stops the sandbox when it dies (as Kata does).
 */
class VirtiofsdIT {
  static final Path VIRTIOFSD = Path.of("/usr/lib/qemu/virtiofsd");

  Path root;
  FsStore store;

  @BeforeEach
  void setUp() throws Exception {
    Fixture.guest();
    assumeTrue(Files.isExecutable(VIRTIOFSD), "no " + VIRTIOFSD + " (qemu-system-common)");
    root = Files.createTempDirectory("vmm4j-fs");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : store.list()) {
      Sandbox.delete(store, id, SandboxOptions.defaults());
    }
    Dirs.deleteTree(root);
  }

  private HypervisorConfig config() {
    return Fixture.config("pc", 1, 256)
        .editKata(
            k ->
                k.sharedFs("virtio-fs").virtioFsDaemon(VIRTIOFSD.toString()).virtioFsCache("auto"));
  }

  private long virtiofsdPid(String id) {
    return store.load(id).sandbox().hypervisorState().virtiofsdPid();
  }

  @Test
  void startsWithItsSocketAndStopsWithTheSandbox() throws Exception {
    try (Sandbox s = Sandbox.start(store, Fixture.spec("fs1", config()))) {
      long pid = virtiofsdPid("fs1");
      assertThat(pid).isPositive();
      assertThat(ProcStat.cmdline(pid))
          .contains(
              "--socket-path=" + s.paths().virtiofsSocket(), "source=" + s.paths().sharedDir());
      assertThat(s.stop()).isEqualTo(StopOutcome.QUIT);
      assertThat(Fixture.exited(pid)).isTrue();
      assertThat(virtiofsdPid("fs1")).isZero();
    }
  }

  @Test
  void itsDeathIsReportedAndStopsTheSandbox() throws Exception {
    CompletableFuture<QemuExited> seen = new CompletableFuture<>();
    SandboxOptions options = SandboxOptions.defaults().withListener(Fixture.exits(seen::complete));
    try (Sandbox s = Sandbox.start(store, Fixture.spec("fs2", config()), options)) {
      long pid = virtiofsdPid("fs2");
      long t0 = System.nanoTime();
      Fixture.signal(pid, "KILL");
      QemuExited exit = seen.get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(exit.process()).isEqualTo("virtiofsd");
      assertThat(exit.pid()).isEqualTo(pid);
      assertThat(exit.requested()).isFalse();
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> store.load("fs2").sandbox().state().equals("stopped"));
      assertThat(Fixture.qemusOf(store, "fs2")).isEmpty();
    }
  }
}
