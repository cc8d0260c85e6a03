package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;

/**
 * The steps on pc through the library ({@link Sandbox#devices()} of the sandbox this JVM started),
 * and eight threads on two controller objects plugging then unplugging 24 disks on the one
 * pci-bridge.
 */
class PcHotplugIT extends HotplugGuestITBase {
  static final int DISKS = 24;

  Sandbox sandbox;

  @Override
  String machine() {
    return "pc";
  }

  @Override
  void startSandbox() throws Exception {
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-hp-pc");
    store = new FsStore(root.resolve("state"));
    id = "hp-pc";
    SandboxSpec spec =
        SandboxSpec.of(
            id, RuntimeConfig.shimV2(GuestSandbox.config(machine()), false), GuestSandbox.host());
    sandbox = Sandbox.start(store, spec);
  }

  @Override
  void deleteSandbox() {
    sandbox.delete();
  }

  @Override
  HotplugOps ops() {
    return new LibraryOps(sandbox.devices());
  }

  @Override
  <T> T qemu(Function<QmpClient, T> f) {
    return f.apply(sandbox.qmp());
  }

  @Override
  <T> T library(Function<SandboxDevices, T> f) {
    return f.apply(sandbox.devices());
  }

  @Test
  @Order(10)
  void eightThreadsOnTwoControllersPlugAndUnplug24DisksOnOneBridge() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < DISKS; i++) {
      files.add(Files.write(root.resolve("many" + i + ".raw"), new byte[1 << 20]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Sandbox second = Sandbox.restore(store, id)) {
      List<Future<Device>> plugs = new ArrayList<>();
      for (int i = 0; i < DISKS; i++) {
        SandboxDevices d = (i % 2 == 0 ? sandbox : second).devices();
        DiskSpec disk = DiskSpec.raw(files.get(i)).withDriver(BlockDriver.VIRTIO_BLK);
        plugs.add(pool.submit(() -> d.plugDisk(disk)));
      }
      List<Device> plugged = new ArrayList<>();
      for (Future<Device> f : plugs) {
        plugged.add(f.get(60, TimeUnit.SECONDS));
      }
      SandboxState st = state();
      assertThat(st.devices()).hasSize(DISKS);
      Set<String> ids = new HashSet<>();
      Set<String> paths = new HashSet<>();
      plugged.forEach(
          p -> {
            assertThat(ids.add(p.id())).as("id %s once", p.id()).isTrue();
            assertThat(paths.add(p.pciPath().toString())).as("path %s once", p.pciPath()).isTrue();
          });
      assertThat(st.hypervisorState().blockIndexMap()).hasSize(DISKS);
      Bridge bridge = st.hypervisorState().bridges().get(0);
      assertThat(bridge.deviceAddr()).hasSize(DISKS);
      assertQemuMatchesState();

      List<Future<?>> unplugs = new ArrayList<>();
      for (int i = 0; i < DISKS; i++) {
        SandboxDevices d = (i % 2 == 1 ? sandbox : second).devices();
        String deviceId = plugged.get(i).id();
        unplugs.add(pool.submit(() -> d.unplug(deviceId)));
      }
      for (Future<?> f : unplugs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(state().devices()).isNullOrEmpty();
    assertThat(state().hypervisorState().bridges().get(0).deviceAddr()).isNullOrEmpty();
    assertQemuMatchesState();
  }
}
