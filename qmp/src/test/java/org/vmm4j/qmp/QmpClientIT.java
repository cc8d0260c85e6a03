package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.TestQemu;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The client against a real QEMU ({@code -machine q35 -nodefaults -S}, TCG, no guest). */
class QmpClientIT {
  private static final ObjectNode NULL_DRIVE =
      Json.object().put("driver", "null-co").put("node-name", "null0").put("size", 1L << 30);

  private TestQemu qemu;
  private QmpClient qmp;

  @BeforeAll
  static void needsQemu() {
    assumeTrue(TestQemu.available(), TestQemu.MISSING);
  }

  @BeforeEach
  void start() {
    List<String> args = new ArrayList<>(TestQemu.ROOT_PORTS);
    args.addAll(TestQemu.NATIVE_PCIE_HOTPLUG);
    args.addAll(List.of("-smp", "1,maxcpus=4,sockets=4,cores=1,threads=1"));
    args.addAll(List.of("-m", "256M,slots=2,maxmem=1G"));
    qemu = TestQemu.start(args);
    qmp = TestClients.connect(qemu);
  }

  @AfterEach
  void stop() {
    if (qmp != null) {
      qmp.close();
    }
    qemu.close();
  }

  @Test
  void negotiatesAndKnowsWhoIsAtTheOtherEnd() {
    assertThat(qmp.version().major()).isGreaterThanOrEqualTo(7);
    assertThat(qmp.greeting().capabilities()).contains("oob");
    assertThat(qmp.oobEnabled()).isFalse();
    assertThat(qmp.peerPid()).hasValue(qemu.pid());
    assertThat(qmp.call(new QueryVersion())).isEqualTo(qmp.version());
    assertThat(qmp.call(new QueryStatus())).isEqualTo(new StatusInfo("prelaunch", false));
  }

  @Test
  void contAndStopSendTheirEventsBeforeTheReply() {
    try (EventSubscription resume = qmp.subscribe("RESUME");
        EventSubscription stop = qmp.subscribe("STOP")) {
      qmp.call(new Cont());
      assertThat(resume.next(Duration.ofSeconds(5)).name()).isEqualTo("RESUME");
      assertThat(qmp.call(new QueryStatus()).running()).isTrue();
      qmp.call(new Stop());
      assertThat(stop.next(Duration.ofSeconds(5)).name()).isEqualTo("STOP");
      assertThat(qmp.call(new QueryStatus()).status()).isEqualTo("paused");
    }
  }

  @Test
  void hotplugsAndUnplugsAVirtioBlkOnARootPortWaitingForDeviceDeleted() {
    qmp.call(new BlockdevAdd(NULL_DRIVE));
    ObjectNode onRp0 = Json.object().put("drive", "null0").put("bus", "rp0");
    for (int round = 0; round < 2; round++) {
      qmp.call(new DeviceAdd("virtio-blk-pci", "blk0", onRp0));
      assertThat(peripherals()).contains("blk0");
      qmp.deviceDel("blk0");
      // DEVICE_DELETED came for the device, so QEMU no longer has it and the id is free again.
      assertThat(peripherals()).doesNotContain("blk0");
    }
    qmp.call(new BlockdevDel("null0"));
    assertThat(qmp.call(new QueryNamedBlockNodes())).isEmpty();
  }

  @Test
  void refusedHotplugsKeepTheirErrorClass() {
    qmp.call(new BlockdevAdd(NULL_DRIVE));
    ObjectNode onRoot = Json.object().put("drive", "null0").put("bus", "pcie.0");
    assertThatThrownBy(() -> qmp.call(new DeviceAdd("virtio-blk-pci", "blk1", onRoot)))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> assertThat(e.errorClass()).isEqualTo(QmpErrorClass.GENERIC_ERROR))
        .hasMessageStartingWith(
            "device_add driver=virtio-blk-pci id=blk1 drive=null0 bus=pcie.0: ");
    assertThatThrownBy(() -> qmp.deviceDel("nonexistent"))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> assertThat(e.errorClass()).isEqualTo(QmpErrorClass.DEVICE_NOT_FOUND));
    assertThatThrownBy(() -> qmp.call(Execute.of("no-such-command")))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> assertThat(e.errorClass()).isEqualTo(QmpErrorClass.COMMAND_NOT_FOUND));
    assertThat(qmp.call(new QueryStatus()).status()).isEqualTo("prelaunch");
  }

  @Test
  void hotplugsCpusAndMemoryAndReadsThemBack() {
    List<HotpluggableCpu> cpus = qmp.call(new QueryHotpluggableCpus());
    assertThat(cpus).hasSize(4).filteredOn(HotpluggableCpu::isPlugged).hasSize(1);
    HotpluggableCpu free = cpus.stream().filter(c -> !c.isPlugged()).findFirst().orElseThrow();
    qmp.call(new DeviceAdd(free.type(), "cpu1", free.props().toJson()));
    assertThat(qmp.call(new QueryCpusFast())).hasSize(2);
    assertThat(qmp.call(new QueryHotpluggableCpus()))
        .filteredOn(HotpluggableCpu::isPlugged)
        .extracting(HotpluggableCpu::qomPath)
        .contains("/machine/peripheral/cpu1");

    qmp.call(new ObjectAdd("memory-backend-ram", "mem1", Json.object().put("size", 128L << 20)));
    qmp.call(new DeviceAdd("pc-dimm", "dimm1", Json.object().put("memdev", "mem1")));
    assertThat(qmp.call(new QueryMemoryDevices()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo("dimm1");
              assertThat(d.size()).isEqualTo(128L << 20);
            });
    assertThat(qmp.call(new QueryPci()).get(0).find("rp0")).isPresent();
    assertThat(qmp.call(new QomGet("/machine/peripheral/rp0", "hotplug")).asBoolean()).isTrue();
    assertThat(qmp.call(new HumanMonitorCommand("info version"))).startsWith("7.");
  }

  @Test
  void largeRepliesArriveWholeAndTheLimitHolds() {
    // ~207 KB as QEMU 7.2 sends it (with its spaces); ~186 KB re-encoded compactly. A limit of
    // 200,000 bytes refuses it, which shows the reply is over 200 KB on the wire.
    JsonNode schema = qmp.call(Execute.of("query-qmp-schema"), Duration.ofSeconds(30));
    assertThat(Json.compact(schema).length()).isGreaterThan(150_000);
    assertThat(schema.valueStream().map(e -> e.path("name").asString()))
        .contains("query-status", "device_add", "DEVICE_DELETED");
    qmp.close();
    qmp = QmpClient.connect(qemu.qmpSocket(), TestClients.OPTIONS.withMaxMessageBytes(200_000));
    assertThatThrownBy(() -> qmp.call(Execute.of("query-qmp-schema"), Duration.ofSeconds(30)))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("longer than 200000 bytes");
  }

  @Test
  void aSecondClientIsToldThatTheSocketIsHeld() {
    QmpOptions quick = QmpOptions.defaults().withConnectTimeout(Duration.ofMillis(700));
    assertThatThrownBy(() -> QmpClient.connect(qemu.qmpSocket(), quick))
        .isInstanceOf(QmpTimeoutException.class)
        .hasMessageContaining("another client probably holds the socket");
    assertThat(qmp.call(new QueryStatus()).isPrelaunch()).isTrue();
  }

  @Test
  void quitSucceedsAndTheConnectionEnds() throws Exception {
    qmp.quit();
    assertThat(qemu.awaitExit(10)).isTrue();
    assertThat(qmp.disconnected().get().getMessage()).contains("after quit");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class);
  }

  @Test
  void aKilledQemuFailsPendingCallsAndSignalsTheDisconnect() throws Exception {
    var lost = qmp.disconnected();
    qemu.process().destroyForcibly();
    assertThat(lost.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(QmpDisconnectedException.class);
    assertThat(qmp.isConnected()).isFalse();
  }

  private List<String> peripherals() {
    return qmp.call(new QomList(QomList.PERIPHERAL)).stream()
        .filter(QomProperty::isChild)
        .map(QomProperty::name)
        .toList();
  }
}
