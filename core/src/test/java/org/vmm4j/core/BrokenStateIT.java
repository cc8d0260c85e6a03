package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;

/**
 * A running sandbox (a real QEMU: q35, TCG, the halting kernel) whose {@code persist.json} is
 * truncated while its controller is gone: {@link Sandbox#list} shows it {@link
 * SandboxSummary#BROKEN}, and {@link Sandbox#delete(FsStore, String, SandboxOptions)}, which cannot
 * read its pid from the state, finds its QEMU through the pid file in its VM directory, stops it,
 * and removes the state, VM and shared directories.
 */
class BrokenStateIT {
  HaltedSandbox h;

  @AfterEach
  void cleanUp() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void deleteStopsTheQemuOfASandboxWhoseStateIsTruncated() throws Exception {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h = HaltedSandbox.start("br1", b -> b);
    FsStore store = h.store;
    ProcessHandle qemu = ProcessHandle.of(h.sandbox.pid()).orElseThrow();
    h.sandbox.detach(); // its controller is gone; QEMU runs on
    Path file = store.sandboxDir("br1").resolve(FsStore.STATE_FILE);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));

    assertThat(Sandbox.list(store))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(SandboxSummary.BROKEN))
        .satisfies(s -> assertThat(s.problem()).startsWith(file + ": $"));
    assertThat(qemu.isAlive()).isTrue();

    Sandbox.delete(store, "br1", SandboxOptions.defaults());

    qemu.onExit().get(30, TimeUnit.SECONDS);
    SandboxPaths paths = SandboxPaths.under(store.root(), "br1");
    assertThat(store.sandboxDir("br1")).doesNotExist();
    assertThat(paths.vmDir()).doesNotExist();
    assertThat(paths.sharedDir().getParent()).doesNotExist();
    assertThat(Sandbox.list(store)).isEmpty();
    Dirs.deleteTree(h.root);
    h = null;
  }
}
