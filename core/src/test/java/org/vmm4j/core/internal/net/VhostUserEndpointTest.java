package org.vmm4j.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.DeviceRecord;
import org.vmm4j.core.internal.hotplug.DeviceTable;
import org.vmm4j.core.internal.hotplug.DeviceUnplugs;
import org.vmm4j.core.internal.hotplug.NetworkPlugs;
import org.vmm4j.core.internal.hotplug.QemuFacts;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.network.MacAddress;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * A vhost-user network endpoint: attached through the vhost-user flow in a transaction and recorded
 * as {@code VhostUserEndpoint{IfaceName, PCIPath}}; detached by a controller that has only that
 * record (a model restored from the state's JSON) through the one unplug path; guest memory as a
 * reattached controller learns it from QEMU ({@link QemuFacts#read}: memfd, shared).
 */
class VhostUserEndpointTest {
  static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  static final Duration SECOND = Duration.ofSeconds(1);

  @TempDir Path vmDir;
  private final FakeQmpServer fake =
      FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
  private final QmpClient qmp;

  {
    fake.on("chardev-add").reply("{}");
    fake.on("chardev-remove");
    fake.on("netdev_add");
    fake.on("netdev_del");
    // what QemuFacts asks of a reattached QEMU: q35, 1 GiB, guest RAM a shared memfd
    fake.on("qom-get", c -> "type".equals(c.arg("property"))).reply("\"pc-q35-7.2-machine\"");
    fake.on("qom-get", c -> "memory".equals(c.arg("property")))
        .reply("{\"size\":1073741824,\"slots\":4,\"max-size\":5368709120}");
    fake.on("qom-list", c -> "/objects".equals(c.arg("path")))
        .reply("[{\"name\":\"dimm1\",\"type\":\"child<memory-backend-memfd>\"}]");
    fake.on("qom-get", c -> "share".equals(c.arg("property"))).reply("true");
    fake.on("qom-get", c -> "prealloc".equals(c.arg("property"))).reply("false");
    qmp = QmpClient.connect(fake.socketPath());
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private List<String> sent() {
    return fake.received().stream()
        .filter(c -> !c.name().equals("qmp_capabilities"))
        .filter(c -> !c.name().startsWith("qom-"))
        .map(c -> c.name() + " " + c.arguments())
        .toList();
  }

  /** A running sandbox's state with one pci-bridge at slot 2 and nothing plugged. */
  static SandboxState state() {
    HypervisorState hs =
        HypervisorState.builder()
            .pid(1)
            .type(SandboxStates.QEMU)
            .bridges(SandboxStates.bridges(List.of(PciBridge.pciBridge(0))))
            .build();
    return SandboxState.builder()
        .state(SandboxStates.RUNNING)
        .sandboxContainer("sb1")
        .hypervisorState(hs)
        .build();
  }

  /** A transaction on {@code st} as a controller that reattached would open it. */
  private Tx tx(SandboxState st, QemuFacts facts) {
    SandboxModel m = SandboxModel.of(new StoredSandbox(st, Map.of()), "virtio-blk", false);
    return new Tx(m, qmp, () -> facts, Deadlines.defaults().withDeviceDeleted(SECOND), vmDir);
  }

  @Test
  void attachRecordThenDetachFromTheRecordAlone() {
    QemuFacts facts = QemuFacts.read(HypervisorConfig.zero(), Accelerator.TCG, qmp, SECOND);
    assertThat(facts.machine()).isEqualTo(MachineType.Q35);
    assertThat(facts.memory()).contains(new GuestMemory(GuestMemory.MEMFD, "", true, false));

    Tx tx = tx(state(), facts);
    Device d = NetworkPlugs.attachVhostUser(tx, Path.of("/run/vu.sock"), Optional.of(MAC));
    assertThat(sent())
        .containsExactly(
            "chardev-add {\"id\":\"vhost-user-0\",\"backend\":{\"type\":\"socket\",\"data\":"
                + "{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"/run/vu.sock\"}},"
                + "\"server\":false}}}",
            "netdev_add {\"type\":\"vhost-user\",\"id\":\"net-vhost-user-0\","
                + "\"chardev\":\"vhost-user-0\"}",
            "device_add {\"driver\":\"virtio-net-pci\",\"id\":\"virtio-vhost-user-0\","
                + "\"netdev\":\"net-vhost-user-0\",\"mac\":\"02:00:00:00:00:01\","
                + "\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}");
    assertThat(d.id()).isEqualTo("vhost-user-0");
    assertThat(d.kind()).isEqualTo(DeviceKind.VHOST_USER_NET);
    assertThat(d.qemuId()).isEqualTo("virtio-vhost-user-0");
    assertThat(d.pciPath()).hasToString("02/01");
    assertThat(tx.addedDevices()).containsExactly(d);

    // what is saved, through the JSON a new controller reads
    SandboxState saved =
        PersistCodec.decodeSandbox(
            PersistCodec.encode(tx.model().toStored().sandbox()), "persist.json");
    assertThat(saved.network().endpoints()).hasSize(1);
    assertThat(saved.network().endpoints().get(0).vhostUser().pciPath()).hasToString("02/01");
    assertThat(saved.hypervisorState().bridges().get(0).deviceAddr())
        .containsEntry(1L, "virtio-vhost-user-0");

    // a new controller: the record and the bridges
    Tx second = tx(saved, facts);
    DeviceRecord r =
        DeviceTable.find(second.model(), "vhost-user-0", qmp, Deadlines.defaults()).orElseThrow();
    assertThat(r.device().qemuDevices())
        .containsExactly(new Device.QemuDevice("virtio-vhost-user-0", d.pciPath()));
    assertThat(r.backends())
        .containsExactly(
            new DeviceRecord.Chardev("vhost-user-0"), new DeviceRecord.Netdev("net-vhost-user-0"));
    Device gone = DeviceUnplugs.unplug(second, "vhost-user-0");
    assertThat(gone.id()).isEqualTo("vhost-user-0");
    assertThat(sent())
        .endsWith(
            "device_del {\"id\":\"virtio-vhost-user-0\"}",
            "netdev_del {\"id\":\"net-vhost-user-0\"}",
            "chardev-remove {\"id\":\"vhost-user-0\"}");
    assertThat(second.model().topology().find("virtio-vhost-user-0")).isEmpty();
    assertThat(second.model().endpoints()).isEmpty();
    assertThat(second.removedDevices()).extracting(Device::id).containsExactly("vhost-user-0");
    assertThat(second.model().toStored().sandbox().network().endpoints())
        .as("no endpoint left: nil again, as before the attach")
        .isNull();
  }
}
