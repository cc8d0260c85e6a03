package org.vmm4j.core.hotplug;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.core.MachineType;
import org.vmm4j.devices.BlockIndexes;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A {@link FakeQmpServer} (strict: an unscripted command fails the test) with the device model
 * ({@code device_add}/{@code device_del}/{@code qom-list}), a client, and a context on q35 with one
 * pci-bridge (slot 2) and two root ports (slots 3 and 4). {@link #sent()} gives the commands after
 * negotiation as {@code name {arguments}} lines, compact JSON in the order sent.
 */
final class HotplugHarness implements AutoCloseable {
  static final Duration SHORT = Duration.ofMillis(300);
  static final GuestMemory SHARED = new GuestMemory(GuestMemory.MEMFD, "", true, false);
  static final GuestMemory PLAIN = new GuestMemory(GuestMemory.RAM, "", false, false);

  final FakeQmpServer fake;
  final QmpClient qmp;
  final HotplugContext ctx;

  private HotplugHarness(MachineType machine, List<PciBridge> bridges, GuestMemory memory) {
    fake = FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
    fake.on("blockdev-add");
    fake.on("blockdev-del");
    fake.on("chardev-add").reply("{}");
    fake.on("chardev-remove");
    fake.on("netdev_add");
    fake.on("netdev_del");
    fake.on("object-add");
    fake.on("object-del");
    qmp = QmpClient.connect(fake.socketPath());
    ctx =
        new HotplugContext(
            "sb1",
            qmp,
            machine,
            PciTopology.of("sb1", bridges),
            BlockIndexes.empty("sb1"),
            Optional.ofNullable(memory),
            HotplugTimeouts.defaults()
                .withCommand(Duration.ofSeconds(5))
                .withDeviceDeleted(SHORT)
                .withCpuEject(SHORT));
  }

  /** The context with a command deadline of 500 ms. */
  HotplugContext shortCommands() {
    return ctx.withTimeouts(ctx.timeouts().withCommand(Duration.ofMillis(500)));
  }

  static HotplugHarness q35() {
    return q35(SHARED);
  }

  static HotplugHarness q35(GuestMemory memory) {
    return new HotplugHarness(
        MachineType.Q35,
        List.of(PciBridge.pciBridge(0), PciBridge.rootPort("rp0", 3), PciBridge.rootPort("rp1", 4)),
        memory);
  }

  static HotplugHarness pc() {
    return new HotplugHarness(MachineType.PC, List.of(PciBridge.pciBridge(0)), PLAIN);
  }

  /** The commands sent after {@code qmp_capabilities}: {@code name {args}}. */
  List<String> sent() {
    return fake.received().stream()
        .filter(c -> !c.name().equals("qmp_capabilities"))
        .map(HotplugHarness::line)
        .toList();
  }

  /** The names of the commands sent after {@code qmp_capabilities}. */
  List<String> names() {
    return fake.received().stream()
        .map(ReceivedQmpCommand::name)
        .filter(n -> !n.equals("qmp_capabilities"))
        .toList();
  }

  static String line(ReceivedQmpCommand c) {
    return c.arguments().isEmpty() ? c.name() : c.name() + " " + c.arguments();
  }

  /** Makes the device model's qom-list answer with {@code ids} listed, whatever happened. */
  void peripheralLists(String... ids) {
    fake.on("qom-list")
        .answer(
            c -> {
              ArrayNode list = JsonNodeFactory.instance.arrayNode();
              for (String id : ids) {
                list.addObject().put("name", id).put("type", "child<virtio-blk-pci>");
              }
              return list;
            });
  }

  @Override
  public void close() {
    qmp.close();
    fake.close();
  }
}
