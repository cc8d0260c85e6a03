package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed commands against replies captured from QEMU 7.2, and their arguments. */
class CommandsTest {

  @Test
  void queryStatusAndVersion() {
    assertThat(new QueryStatus().result(Golden.returned("query-status.json")))
        .isEqualTo(new StatusInfo("prelaunch", false))
        .matches(StatusInfo::isPrelaunch);
    QemuVersion v = new QueryVersion().result(Golden.returned("query-version.json"));
    assertThat(v).isEqualTo(new QemuVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"));
    assertThat(v.atLeast(7, 2)).isTrue();
    assertThat(v.atLeast(7, 3)).isFalse();
  }

  @Test
  void queryPciNestsDevicesBehindBridges() {
    List<PciBus> buses = new QueryPci().result(Golden.returned("query-pci.json"));
    assertThat(buses).singleElement().extracting(PciBus::bus).isEqualTo(0);
    PciBus root = buses.get(0);
    PciDevice rp0 = root.find("rp0").orElseThrow();
    assertThat(rp0.slot()).isEqualTo(2);
    assertThat(rp0.classInfo()).isEqualTo(new PciDevice.ClassInfo(1540, "PCI bridge"));
    assertThat(rp0.pciBridge().bus().secondary()).isEqualTo(1);
    PciDevice blk0 = root.find("blk0").orElseThrow();
    assertThat(rp0.pciBridge().devices()).containsExactly(blk0);
    assertThat(blk0.bus()).isEqualTo(1);
    assertThat(blk0.id().vendor()).isEqualTo(0x1af4);
    assertThat(blk0.regions()).isNotEmpty();
    assertThat(root.allDevices()).extracting(PciDevice::qdevId).contains("rp0", "rp1", "blk0");
  }

  @Test
  void queryPciBeforeFirmwareHidesDevicesBehindRootPorts() {
    PciBus root = new QueryPci().result(Golden.returned("query-pci-prelaunch.json")).get(0);
    assertThat(root.find("rp0").orElseThrow().pciBridge().bus().secondary()).isZero();
    assertThat(root.find("blk0")).isEmpty();
  }

  @Test
  void queryHotpluggableCpus() {
    List<HotpluggableCpu> cpus =
        new QueryHotpluggableCpus().result(Golden.returned("query-hotpluggable-cpus.json"));
    assertThat(cpus).hasSize(4);
    assertThat(cpus.get(0).props().socketId()).isEqualTo(3);
    assertThat(cpus.get(0).isPlugged()).isFalse();
    HotpluggableCpu cpu1 =
        cpus.stream().filter(c -> c.props().socketId() == 1).findFirst().orElseThrow();
    assertThat(cpu1.qomPath()).isEqualTo("/machine/peripheral/cpu1");
    assertThat(cpu1.type()).isEqualTo("qemu64-x86_64-cpu");
    assertThat(cpu1.vcpusCount()).isEqualTo(1);
    // What a hot-plug of the free slot would send:
    HotpluggableCpu free = cpus.get(0);
    DeviceAdd add = new DeviceAdd(free.type(), "cpu3", free.props().toJson());
    assertThat(Json.compact(add.arguments()))
        .isEqualTo(
            "{\"driver\":\"qemu64-x86_64-cpu\",\"id\":\"cpu3\",\"node-id\":0,"
                + "\"socket-id\":3,\"core-id\":0,\"thread-id\":0}");
  }

  @Test
  void queryCpusFast() {
    List<CpuInfoFast> cpus = new QueryCpusFast().result(Golden.returned("query-cpus-fast.json"));
    assertThat(cpus).hasSize(2);
    assertThat(cpus.get(0).cpuIndex()).isZero();
    assertThat(cpus.get(0).threadId()).isPositive();
    assertThat(cpus.get(1).qomPath()).isEqualTo("/machine/peripheral/cpu1");
    assertThat(cpus.get(1).props().socketId()).isEqualTo(1);
  }

  @Test
  void queryMemoryDevices() {
    List<MemoryDeviceInfo> mem =
        new QueryMemoryDevices().result(Golden.returned("query-memory-devices.json"));
    assertThat(mem)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.type()).isEqualTo("dimm");
              assertThat(d.id()).isEqualTo("dimm1");
              assertThat(d.address()).isEqualTo(4294967296L);
              assertThat(d.size()).isEqualTo(134217728L);
              assertThat(d.slot()).isZero();
              assertThat(d.memdev()).isEqualTo("/objects/mem1");
              assertThat(d.hotplugged()).isTrue();
            });
  }

  @Test
  void queryNamedBlockNodes() {
    List<BlockNodeInfo> nodes =
        new QueryNamedBlockNodes().result(Golden.returned("query-named-block-nodes.json"));
    assertThat(nodes)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.nodeName()).isEqualTo("null0");
              assertThat(n.driver()).isEqualTo("null-co");
              assertThat(n.readOnly()).isFalse();
              assertThat(n.raw().path("image").path("virtual-size").asLong())
                  .isEqualTo(1073741824L);
            });
    assertThat(new QueryNamedBlockNodes(true).arguments()).hasToString("{\"flat\":true}");
    assertThat(new QueryNamedBlockNodes().arguments()).isNull();
  }

  @Test
  void qomListAndGet() {
    List<QomProperty> props =
        new QomList(QomList.PERIPHERAL).result(Golden.returned("qom-list-peripheral.json"));
    assertThat(props.stream().filter(QomProperty::isChild).map(QomProperty::name))
        .containsExactlyInAnyOrder("rp0", "rp1", "blk0", "dimm1", "cpu1");
    assertThat(
            new QomGet("/machine/peripheral/rp0", "hotplug")
                .result(Golden.returned("qom-get.json"))
                .asBoolean())
        .isTrue();
  }

  @Test
  void argumentsAreWhatQemuExpects() {
    assertThat(DeviceAdd.of("virtio-blk-pci", "blk0", Map.of("bus", "rp0")).arguments())
        .hasToString("{\"driver\":\"virtio-blk-pci\",\"id\":\"blk0\",\"bus\":\"rp0\"}");
    assertThat(NetdevAdd.of("tap", "net0", Map.of("fd", "tap0")).arguments())
        .hasToString("{\"type\":\"tap\",\"id\":\"net0\",\"fd\":\"tap0\"}");
    assertThat(ObjectAdd.of("memory-backend-ram", "mem1", Map.of("size", 134217728)).arguments())
        .hasToString("{\"qom-type\":\"memory-backend-ram\",\"id\":\"mem1\",\"size\":134217728}");
    assertThat(new BlockdevDel("drive-1").arguments()).hasToString("{\"node-name\":\"drive-1\"}");
    assertThat(new RemoveFd(3).arguments()).hasToString("{\"fdset-id\":3}");
    assertThat(new RemoveFd(3, 12).arguments()).hasToString("{\"fdset-id\":3,\"fd\":12}");
    assertThat(new HumanMonitorCommand("info pci").arguments())
        .hasToString("{\"command-line\":\"info pci\"}");
    assertThat(new Stop().arguments()).isNull();
    BlockdevAdd add =
        new BlockdevAdd(
            Json.object().put("driver", "null-co").put("node-name", "null0").put("size", 1 << 30));
    assertThat(add.nodeName()).isEqualTo("null0");
  }

  @Test
  void commandsCopyTheirJsonSoLaterChangesDoNotLeakIn() {
    var props = Json.object().put("bus", "rp0");
    DeviceAdd add = new DeviceAdd("virtio-blk-pci", "blk0", props);
    props.put("bus", "rp1");
    add.arguments().put("bus", "rp2");
    assertThat(add.arguments().path("bus").asString()).isEqualTo("rp0");
  }

  @Test
  void badCommandsAreRefusedBeforeSending() {
    assertThatThrownBy(() -> Execute.of("query status\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeviceAdd("x", "y", Json.object().put("id", "z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlockdevAdd(Json.object().put("node-name", "n")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commandsAreDescribedForMessages() {
    assertThat(
            CommandText.describe(
                DeviceAdd.of("virtio-blk-pci", "drive-1", Map.of("bus", "pcie.0"))))
        .isEqualTo("device_add driver=virtio-blk-pci id=drive-1 bus=pcie.0");
    assertThat(CommandText.describe(new QueryStatus())).isEqualTo("query-status");
    String longOne =
        CommandText.describe(
            Execute.of("x").commandName(), Json.object().put("k", "v".repeat(500)));
    assertThat(longOne).hasSize(163).endsWith("...");
  }

  @Test
  void encodesCommandsCompactly() {
    assertThat(
            new String(
                Json.encodeCommand("query-status", null, 7),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"execute\":\"query-status\",\"id\":7}\n");
    assertThat(
            new String(
                Json.encodeCommand("qom-list", new QomList("/machine/peripheral").arguments(), 12),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/peripheral\"},\"id\":12}\n");
  }
}
