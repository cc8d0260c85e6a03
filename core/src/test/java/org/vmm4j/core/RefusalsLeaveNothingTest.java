package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxNotFoundException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * A refused operation leaves nothing it made: a start whose sandbox id makes a socket path longer
 * than {@code sun_path} takes, and a stop, delete or restore of an unknown sandbox, make no root,
 * no lock directory and no lock file.
 */
class RefusalsLeaveNothingTest {
  @TempDir Path tmp;

  @Test
  void aStartWhoseSocketPathsAreTooLongMakesNothing() throws IOException {
    TestAssets assets = TestAssets.create(tmp.resolve("assets"));
    FsStore store = new FsStore(tmp.resolve("store"));
    // <root>/vm/<id>/qmp-tools.sock: one byte more than a socket path may have
    int room =
        SandboxPaths.MAX_SOCKET_PATH_BYTES - store.root().resolve("vm").toString().length() - 15;
    String id = "a".repeat(room);
    SandboxSpec spec =
        SandboxSpec.of(
            id, RuntimeConfig.shimV2(AssetConfigs.initrdConfig(assets), false), HaltedSandbox.HOST);
    assertThatThrownBy(() -> Sandbox.start(store, spec, SandboxOptions.defaults()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is " + (SandboxPaths.MAX_SOCKET_PATH_BYTES + 1) + " bytes long");
    assertThat(store.root()).doesNotExist();
  }

  @Test
  void operationsOnAnUnknownSandboxMakeNothing() {
    FsStore fresh = new FsStore(tmp.resolve("fresh"));
    SandboxOptions o = SandboxOptions.defaults();
    assertThatThrownBy(() -> Sandbox.delete(fresh, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThatThrownBy(() -> Sandbox.stop(fresh, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThatThrownBy(() -> Sandbox.restore(fresh, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThat(fresh.root()).doesNotExist();

    FsStore store = new FsStore(tmp.resolve("store"));
    store.save(SampleStates.sandbox("sb", 1, 0), Map.of());
    assertThatThrownBy(() -> Sandbox.delete(store, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThatThrownBy(() -> Sandbox.stop(store, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThatThrownBy(() -> Sandbox.restore(store, "nope", o))
        .isInstanceOf(SandboxNotFoundException.class);
    assertThat(store.root().resolve("locks")).doesNotExist();
  }
}
