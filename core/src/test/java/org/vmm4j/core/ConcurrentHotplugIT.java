package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.PciBus;
import org.vmm4j.qmp.PciDevice;
import org.vmm4j.qmp.QueryPci;
import org.vmm4j.testing.qemu.HaltKernel;

/**
 * Eight threads hot-plug 64 virtio-blk disks into one real sandbox (q35, TCG, {@link HaltKernel},
 * three pci-bridges: 90 slots), through two controller objects of it (the one that started it and
 * one restored from the store), all released at once: every plug succeeds, and no {@code
 * DeviceState} ID, QEMU device id, block node, block index, drive name or slot is given twice; the
 * state records all 64; QEMU has all 64 ({@code qom-list}, {@code query-named-block-nodes}) at
 * exactly the PCI paths the state records ({@code query-pci}, bridge by bridge).
 */
class ConcurrentHotplugIT {
  static final int DISKS = 64;
  static final int THREADS = 8;

  @Test
  void eightThreadsPlugSixtyFourDisksAndTheStateAndQemuAgree() throws Exception {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    try (HaltedSandbox h =
            HaltedSandbox.start(
                "many1",
                b -> b.editKata(k -> k.defaultBridges(3).blockDeviceDriver("virtio-blk")));
        Sandbox second = Sandbox.restore(h.store, h.sandbox.id())) {
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < DISKS; i++) {
        files.add(h.disk("d" + i + ".raw", 1));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Device> plugged = new ArrayList<>();
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Device>> plugs = new ArrayList<>();
        for (int i = 0; i < DISKS; i++) {
          SandboxDevices d = (i % 2 == 0 ? h.sandbox : second).devices();
          DiskSpec disk = DiskSpec.raw(files.get(i)).withDriver(BlockDriver.VIRTIO_BLK);
          plugs.add(
              pool.submit(
                  () -> {
                    go.await();
                    return d.plugDisk(disk);
                  }));
        }
        go.countDown();
        for (Future<Device> f : plugs) {
          plugged.add(f.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      assertNoDuplicates(plugged);
      assertStateAndQemuAgree(h, plugged);
    }
  }

  private static void assertNoDuplicates(List<Device> plugged) {
    assertThat(plugged).extracting(Device::id).doesNotHaveDuplicates().hasSize(DISKS);
    assertThat(plugged.stream().map(p -> p.qemuId())).doesNotHaveDuplicates().hasSize(DISKS);
    assertThat(plugged.stream().map(p -> p.pciPath().toString()))
        .doesNotHaveDuplicates()
        .hasSize(DISKS);
    assertThat(plugged.stream().map(p -> p.details().get("virt-path")))
        .doesNotHaveDuplicates()
        .hasSize(DISKS);
    assertThat(plugged.stream().map(p -> p.details().get("file")))
        .doesNotHaveDuplicates()
        .hasSize(DISKS);
  }

  private static void assertStateAndQemuAgree(HaltedSandbox h, List<Device> plugged) {
    SandboxState st = h.state();
    List<DeviceState> devices = st.devices();
    assertThat(devices)
        .extracting(DeviceState::id)
        .containsExactlyInAnyOrderElementsOf(ids(plugged));
    assertThat(devices.stream().map(d -> d.blockDrive().index()))
        .doesNotHaveDuplicates()
        .hasSize(DISKS);
    assertThat(devices.stream().map(d -> d.blockDrive().id())).doesNotHaveDuplicates();
    assertThat(devices.stream().map(d -> d.blockDrive().virtPath())).doesNotHaveDuplicates();
    assertThat(st.hypervisorState().blockIndexMap())
        .containsExactlyInAnyOrderElementsOf(
            devices.stream().map(d -> d.blockDrive().index()).toList());

    // the bridges' DeviceAddr: 64 slots, each naming one device, at its recorded PCI path
    Map<String, String> recordedPath = new HashMap<>();
    for (Bridge b : st.hypervisorState().bridges()) {
      b.deviceAddr()
          .forEach(
              (slot, qemuId) -> {
                String path = String.format("%02x/%02x", b.addr(), slot);
                assertThat(recordedPath.put(qemuId, path)).as(qemuId + " in one slot").isNull();
              });
    }
    assertThat(recordedPath).hasSize(DISKS);
    for (DeviceState d : devices) {
      String qemuId = "virtio-" + d.blockDrive().id();
      assertThat(d.blockDrive().pciPath()).hasToString(recordedPath.get(qemuId));
    }

    // QEMU: the same devices, block nodes and PCI paths
    Set<String> drives = new HashSet<>();
    devices.forEach(d -> drives.add(d.blockDrive().id()));
    // each drive's node (its protocol child has a name QEMU made up: #blockNNN)
    assertThat(h.nodes().stream().filter(n -> !n.startsWith("#")))
        .containsExactlyInAnyOrderElementsOf(drives);
    assertThat(h.peripheral().stream().filter(p -> p.startsWith("virtio-drive-")).toList())
        .containsExactlyInAnyOrderElementsOf(recordedPath.keySet());
    assertThat(qemuPaths(h)).isEqualTo(recordedPath);
  }

  /** QEMU id to {@code bridge slot/device slot} for every device behind a bridge. */
  private static Map<String, String> qemuPaths(HaltedSandbox h) {
    Map<String, String> paths = new HashMap<>();
    for (PciBus bus : h.qmp().call(new QueryPci())) {
      for (PciDevice bridge : bus.devices()) {
        if (bridge.pciBridge() == null) {
          continue;
        }
        for (PciDevice d : bridge.pciBridge().devices()) {
          if (d.qdevId().startsWith("virtio-drive-")) {
            paths.put(d.qdevId(), String.format("%02x/%02x", bridge.slot(), d.slot()));
          }
        }
      }
    }
    return paths;
  }

  private static List<String> ids(List<Device> plugged) {
    return plugged.stream().map(Device::id).toList();
  }
}
