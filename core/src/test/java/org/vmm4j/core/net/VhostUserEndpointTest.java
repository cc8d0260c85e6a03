package org.vmm4j.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.core.MachineType;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.devices.BlockIndexes;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.MacAddress;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * A vhost-user network endpoint: attached through the vhost-user flow and recorded as {@code
 * VhostUserEndpoint{IfaceName, PCIPath}}; detached by a controller that has only that record; guest
 * memory as a reattached controller learns it from QEMU.
 */
class VhostUserEndpointTest {
  @TempDir Path vmDir;
  private final FakeQmpServer fake =
      FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
  private final QmpClient qmp;

  {
    fake.on("chardev-add").reply("{}");
    fake.on("chardev-remove");
    fake.on("netdev_add");
    fake.on("netdev_del");
    qmp = QmpClient.connect(fake.socketPath());
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private HotplugContext context(PciTopology t) {
    return new HotplugContext(
        "sb1",
        qmp,
        MachineType.Q35,
        t,
        BlockIndexes.empty("sb1"),
        Optional.of(new GuestMemory(GuestMemory.MEMFD, "", true, false)),
        HotplugTimeouts.defaults());
  }

  private List<String> sent() {
    return fake.received().stream()
        .filter(c -> !c.name().equals("qmp_capabilities"))
        .map(c -> c.name() + " " + c.arguments())
        .toList();
  }

  @Test
  void attachRecordThenDetachFromTheRecordAlone() {
    PciTopology t = PciTopology.of("sb1", List.of(PciBridge.pciBridge(0)));
    EndpointAttacher a = new EndpointAttacher(context(t), null, ConnectOptions.of(1), vmDir);
    Endpoint.VhostUser v =
        new Endpoint.VhostUser(
            "vhost-user-0", Path.of("/run/vu.sock"), MacAddress.parse("02:00:00:00:00:01"), "");
    Attachment att = a.attach(v, a.placement("op"));
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
    assertThat(att.pciPath()).hasToString("02/01");
    NetworkInfo info = EndpointRecords.networkInfo("", false, List.of(att.endpoint()));
    assertThat(info.endpoints().get(0).vhostUser().pciPath()).hasToString("02/01");

    // a new controller: the record and the bridges
    var bridges = t.toPersisted();
    PciTopology restored = PciTopology.restore("sb1", bridges);
    RecordedEndpoint r = RecordedEndpoints.read(info, bridges, restored).get(0);
    assertThat(r.deviceId()).isEqualTo("virtio-vhost-user-0");
    assertThat(EndpointDetacher.detach(context(restored), r, "", vmDir)).isEmpty();
    assertThat(sent())
        .endsWith(
            "device_del {\"id\":\"virtio-vhost-user-0\"}",
            "netdev_del {\"id\":\"net-vhost-user-0\"}",
            "chardev-remove {\"id\":\"vhost-user-0\"}");
    assertThat(restored.find("virtio-vhost-user-0")).isEmpty();
  }
}
