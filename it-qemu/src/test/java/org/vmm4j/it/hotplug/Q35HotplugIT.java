package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpClient;

/**
 * The steps on q35 through {@code vmm4j} processes: {@code vmm4j run} starts the sandbox and exits,
 * then every {@code vmm4j hotplug} and {@code vmm4j unplug} is a JVM of its own that reattaches
 * through the persisted state (restoring what the processes before it plugged); this JVM checks
 * QEMU on short QMP connections and the guest through its agent.
 */
class Q35HotplugIT extends HotplugGuestITBase {
  CliOps cli;

  @Override
  String machine() {
    return "q35";
  }

  @Override
  void startSandbox() throws Exception {
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-hp-q35");
    store = new FsStore(root.resolve("state"));
    id = "hp-q35";
    Path config = root.resolve("sandbox.json");
    Files.writeString(config, ConfigLoader.toJson(GuestSandbox.config(machine())));
    CliOps.Result run =
        CliOps.vmm4j(store.root(), "run", "--config", config.toString(), "--id", id);
    assertThat(run.code()).as(run.err()).isZero();
    cli = new CliOps(store.root(), id);
  }

  @Override
  HotplugOps ops() {
    return cli;
  }

  @Override
  <T> T qemu(Function<QmpClient, T> f) {
    try (QmpClient q = Sandbox.connectQmp(store, id, SandboxOptions.defaults())) {
      return f.apply(q);
    }
  }

  @Override
  <T> T library(Function<SandboxDevices, T> f) {
    try (Sandbox s = Sandbox.restore(store, id)) {
      return f.apply(s.devices());
    }
  }

  @Test
  @Order(10)
  void theCommandLinePrintsOneLinePerDeviceAndSaysWhatIsWrong() throws Exception {
    Path file = image("text.raw", 1);
    CliOps.Result plug =
        cli.run("hotplug", id, "block", "--file", file.toString(), "--driver", "virtio-blk");
    assertThat(plug.code()).as(plug.err()).isZero();
    assertThat(plug.out()).hasLineCount(1);
    String[] f = plug.out().strip().split(" ");
    String deviceId = f[0];
    assertThat(deviceState(deviceId).blockDrive().pciPath()).hasToString(f[1]);
    assertThat(plug.out())
        .contains(" qemu-id=virtio-drive-" + deviceId, " driver=virtio-blk", " file=" + file);
    assertQemuMatchesState();

    CliOps.Result mem = cli.run("hotplug", id, "memory", "--size", "128M");
    assertThat(mem.code()).as(mem.err()).isZero();
    assertThat(mem.out()).matches("dimmmem\\d+ - size=128M memdev=mem\\d+ hotplugged=128M\\n");
    String dimm = mem.out().split(" ")[0];

    CliOps.Result unknown = cli.run("unplug", id, "no-such-device");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err())
        .startsWith("vmm4j unplug: sandbox " + id + ": unplug no-such-device: no such device")
        .hasLineCount(1);
    for (String dev : new String[] {deviceId, dimm}) {
      CliOps.Result out = cli.run("unplug", id, dev);
      assertThat(out.code()).as(out.err()).isZero();
      assertThat(out.out()).isEmpty();
    }
    assertThat(state().devices()).isNullOrEmpty();
    assertThat(state().hypervisorState().hotpluggedMemory()).isZero();
    assertQemuMatchesState();
  }
}
