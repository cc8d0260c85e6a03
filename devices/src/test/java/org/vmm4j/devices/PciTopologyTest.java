package org.vmm4j.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PciPath;

class PciTopologyTest {
  private static final List<PciBridge> TWO_BRIDGES_TWO_PORTS =
      List.of(
          PciBridge.pciBridge(0),
          PciBridge.pciBridge(1),
          PciBridge.rootPort("rp0", 4),
          PciBridge.rootPort("rp1", 5));

  private final PciTopology t = PciTopology.of("sb1", TWO_BRIDGES_TWO_PORTS);

  @Test
  void kataLayoutBridgeIAtSlotTwoPlusI() {
    assertThat(PciBridge.pciBridge(0)).isEqualTo(new PciBridge(BridgeType.PCI, "pci-bridge-0", 2));
    assertThat(PciBridge.pciBridge(3).addr()).isEqualTo(5);
    assertThat(PciBridge.pciBridge(0).devicePciPath(1)).isEqualTo(PciPath.parse("02/01"));
    assertThat(PciBridge.rootPort("rp0", 4).rootPortDevicePath()).isEqualTo(PciPath.parse("04/00"));
  }

  @Test
  void lowestFreeSlotOfTheFirstBridgeWithRoom() {
    SlotReservation a = t.reserve("a", Placement.PCI_BRIDGE);
    SlotReservation b = t.reserve("b", Placement.PCI_BRIDGE);
    assertThat(a.pciPath()).hasToString("02/01");
    assertThat(a.bus()).isEqualTo("pci-bridge-0");
    assertThat(a.addr()).contains("01");
    assertThat(b.pciPath()).hasToString("02/02");
    t.release(a);
    assertThat(t.reserve("c", Placement.PCI_BRIDGE).pciPath()).hasToString("02/01");
    for (int i = 0; i < 28; i++) {
      t.reserve("fill" + i, Placement.PCI_BRIDGE);
    }
    SlotReservation next = t.reserve("next", Placement.PCI_BRIDGE);
    assertThat(next.pciPath()).hasToString("03/01");
    assertThat(next.addr()).contains("01");
  }

  @Test
  void rootPortsTakeOneDeviceAtSlotZeroWithoutAddr() {
    SlotReservation p = t.reserve("vfio-1", Placement.ROOT_PORT);
    assertThat(p.pciPath()).hasToString("04/00");
    assertThat(p.bus()).isEqualTo("rp0");
    assertThat(p.addr()).isEmpty();
    assertThat(t.reserve("vfio-2", Placement.ROOT_PORT).pciPath()).hasToString("05/00");
    assertThatThrownBy(() -> t.reserve("vfio-3", Placement.ROOT_PORT))
        .isInstanceOf(NoFreeSlotException.class)
        .hasMessage(
            "sandbox sb1: reserve a slot for vfio-3: no free slot on the root ports"
                + " (rp0 at 04, rp1 at 05: 2 of 2 slots taken)");
  }

  @Test
  void exhaustionNamesTheSandboxAndTheBridges() {
    PciTopology one = PciTopology.of("sb2", List.of(PciBridge.pciBridge(0)));
    for (int i = 1; i <= 30; i++) {
      assertThat(one.reserve("d" + i, Placement.PCI_BRIDGE).slot()).isEqualTo(i);
    }
    assertThatThrownBy(() -> one.reserve("d31", Placement.PCI_BRIDGE))
        .isInstanceOf(NoFreeSlotException.class)
        .hasMessage(
            "sandbox sb2: reserve a slot for d31: no free slot on the pci bridges"
                + " (pci-bridge-0 at 02: 30 of 30 slots taken)");
    assertThatThrownBy(() -> one.reserve("p", Placement.ROOT_PORT))
        .hasMessage(
            "sandbox sb2: reserve a slot for p: the sandbox has no root ports"
                + " (bridges: pci-bridge-0 at 02)");
    assertThat(one.freeSlots(Placement.PCI_BRIDGE)).isZero();
  }

  @Test
  void reserveOnANamedBridge() {
    assertThat(t.reserveOn("x", "rp1").pciPath()).hasToString("05/00");
    assertThatThrownBy(() -> t.reserveOn("y", "rp1")).isInstanceOf(NoFreeSlotException.class);
    assertThatThrownBy(() -> t.reserveOn("y", "nope"))
        .isInstanceOf(DeviceStateException.class)
        .hasMessageContaining("no bridge nope");
  }

  @Test
  void aDeviceHoldsOneSlotAndOnlyItsHolderReleasesIt() {
    SlotReservation a = t.reserve("a", Placement.PCI_BRIDGE);
    assertThatThrownBy(() -> t.reserve("a", Placement.ROOT_PORT))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox sb1: reserve a slot for a: it already holds 02/01 on pci-bridge-0");
    SlotReservation forged = new SlotReservation("b", a.bridge(), a.slot());
    assertThatThrownBy(() -> t.release(forged))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox sb1: release slot 02/01 on pci-bridge-0 for b: it is held by a");
    t.release(a);
    assertThatThrownBy(() -> t.release(a)).hasMessageContaining("the slot is free");
    assertThatThrownBy(() -> t.commit(a)).hasMessageContaining("the slot is free");
    assertThatThrownBy(() -> t.reserve("r", Placement.ROOT_BUS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyCommittedDevicesArePersisted() {
    SlotReservation a = t.reserve("virtio-drive-a", Placement.PCI_BRIDGE);
    SlotReservation b = t.reserve("virtio-drive-b", Placement.PCI_BRIDGE);
    SlotReservation p = t.reserve("vfio-x0", Placement.ROOT_PORT);
    t.commit(a);
    t.commit(p);
    assertThat(t.isCommitted(a)).isTrue();
    assertThat(t.isCommitted(b)).isFalse();
    assertThat(t.toPersisted().get(0).deviceAddr()).doesNotContainValue("virtio-drive-b");
    // a failed rollback may have left b's device in QEMU: its slot is fenced
    assertThat(t.commitReserved()).containsExactly(b);
    assertThat(t.isCommitted(b)).isTrue();
    assertThat(t.commitReserved()).isEmpty();
    t.release(b);
    assertThat(t.toPersisted())
        .containsExactly(
            new Bridge(Map.of(1L, "virtio-drive-a"), "pci", "pci-bridge-0", 2),
            new Bridge(Map.of(), "pci", "pci-bridge-1", 3),
            new Bridge(Map.of(0L, "vfio-x0"), "pcie-root-port", "rp0", 4),
            new Bridge(Map.of(), "pcie-root-port", "rp1", 5));
  }

  @Test
  void restoresWhatItPersistedAndKatasOwnBridges() {
    t.commit(t.reserve("a", Placement.PCI_BRIDGE));
    t.commit(t.reserve("b", Placement.PCI_BRIDGE));
    t.release(t.find("a").orElseThrow());
    t.commit(t.reserve("p", Placement.ROOT_PORT));
    PciTopology back = PciTopology.restore("sb1", t.toPersisted());
    assertThat(back.bridges()).isEqualTo(TWO_BRIDGES_TWO_PORTS);
    assertThat(back.toPersisted()).isEqualTo(t.toPersisted());
    assertThat(back.find("b").orElseThrow().pciPath()).hasToString("02/02");
    assertThat(back.reserve("c", Placement.PCI_BRIDGE).pciPath()).hasToString("02/01");
    assertThat(back.reserve("q", Placement.ROOT_PORT).pciPath()).hasToString("05/00");

    // Kata 1.13 writes "pci" bridges with DeviceAddr keys as JSON strings; nil maps
    PciTopology kata =
        PciTopology.restore(
            "k",
            List.of(
                new Bridge(Map.of(3L, "virtio-drive-x"), "pci", "pci-bridge-0", 2),
                new Bridge(null, "pcie", "pcie-bridge-0", 3)));
    assertThat(kata.find("virtio-drive-x").orElseThrow().slot()).isEqualTo(3);
    assertThat(kata.reserve("y", Placement.PCI_BRIDGE).pciPath()).hasToString("02/01");
    assertThat(PciTopology.restore("k", null).bridges()).isEmpty();
  }

  @Test
  void restoreRefusesWhatCannotBe() {
    assertThatThrownBy(() -> PciTopology.restore("k", List.of(new Bridge(null, "ccw", "c", 2))))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox k: bridge c: unknown Type \"ccw\" (known: pci, pcie, pcie-root-port)");
    assertThatThrownBy(
            () ->
                PciTopology.restore(
                    "k", List.of(new Bridge(Map.of(1L, "x"), "pcie-root-port", "rp0", 4))))
        .hasMessage("sandbox k: bridge rp0: device x at slot 1, outside 0..0");
    assertThatThrownBy(
            () ->
                PciTopology.restore(
                    "k",
                    List.of(
                        new Bridge(Map.of(1L, "x"), "pci", "pci-bridge-0", 2),
                        new Bridge(Map.of(0L, "x"), "pcie-root-port", "rp0", 4))))
        .hasMessageContaining("device x holds two slots");
  }

  @Test
  void defaultPlacementPrefersBridgesThenRootPorts() {
    assertThat(t.defaultPlacement()).isEqualTo(Placement.PCI_BRIDGE);
    PciTopology ports = PciTopology.of("s", List.of(PciBridge.rootPort("rp0", 2)));
    assertThat(ports.defaultPlacement()).isEqualTo(Placement.ROOT_PORT);
    assertThat(PciTopology.of("s", List.of()).defaultPlacement()).isEqualTo(Placement.ROOT_BUS);
  }

  @Test
  void churnNeverSharesASlotAndPersistsWhatIsKept() {
    List<PciBridge> bridges = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bridges.add(PciBridge.pciBridge(i));
    }
    for (int i = 0; i < 5; i++) {
      bridges.add(PciBridge.rootPort("rp" + i, 5 + i));
    }
    PciTopology topo = PciTopology.of("churn", bridges);
    Map<String, String> owners = new HashMap<>(); // path -> device currently there
    int exhausted = 0;
    // 16 clients take turns (transactions are serialised by the store lock)
    List<List<SlotReservation>> kept = new ArrayList<>();
    for (int me = 0; me < 16; me++) {
      kept.add(new ArrayList<>());
    }
    for (int i = 0; i < 400; i++) {
      for (int me = 0; me < 16; me++) {
        exhausted += churn(topo, owners, me, i, kept.get(me));
      }
    }
    Set<String> persisted = new HashSet<>();
    for (Bridge b : topo.toPersisted()) {
      b.deviceAddr().forEach((slot, id) -> assertThat(persisted.add(id)).isTrue());
    }
    assertThat(persisted).containsExactlyInAnyOrderElementsOf(owners.values());
    assertThat(topo.freeSlots(Placement.PCI_BRIDGE) + topo.freeSlots(Placement.ROOT_PORT))
        .isEqualTo(95 - owners.size());
    assertThat(exhausted).as("the pool is small enough that clients run out").isPositive();
  }

  /** One step of client {@code me}: reserve; commit or roll back; release an old one when full. */
  private static int churn(
      PciTopology topo, Map<String, String> owners, int me, int i, List<SlotReservation> kept) {
    Placement p = i % 3 == 0 ? Placement.ROOT_PORT : Placement.PCI_BRIDGE;
    SlotReservation r;
    try {
      r = topo.reserve("t" + me + "-" + i, p);
    } catch (NoFreeSlotException e) {
      if (!kept.isEmpty()) {
        SlotReservation old = kept.remove(0);
        assertThat(owners.remove(old.pciPath().toString())).isEqualTo(old.deviceId());
        topo.release(old);
      }
      return 1;
    }
    String prev = owners.putIfAbsent(r.pciPath().toString(), r.deviceId());
    assertThat(prev).as("slot %s given twice", r.pciPath()).isNull();
    if (i % 4 == 1) { // a failed device_add: roll back
      owners.remove(r.pciPath().toString());
      topo.release(r);
    } else {
      topo.commit(r);
      kept.add(r);
    }
    return 0;
  }

  @Test
  void refusedPlugsNameTheReasonAndReleasesGoOn() {
    PciTopology t = PciTopology.of("sb1", List.of(PciBridge.pciBridge(0)));
    SlotReservation r = t.reserve("a", Placement.PCI_BRIDGE);
    t.commit(r);
    t.refusePlugs("the VMM would crash");
    assertThatThrownBy(() -> t.reserve("b", Placement.PCI_BRIDGE))
        .isInstanceOf(PlugsRefusedException.class)
        .hasMessage("sandbox sb1: reserve a slot for b: the VMM would crash");
    assertThatThrownBy(() -> t.reserveOn("b", "pci-bridge-0"))
        .isInstanceOf(PlugsRefusedException.class);
    t.release(r);
    assertThat(t.find("a")).isEmpty();
    assertThat(t.plugsRefused()).hasValue("the VMM would crash");
  }
}
