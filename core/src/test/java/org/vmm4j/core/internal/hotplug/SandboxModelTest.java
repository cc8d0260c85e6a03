package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.testing.persist.KataSamples;
import org.vmm4j.testing.persist.SampleStates;

/**
 * {@link SandboxModel}: restored once from the state read (bridges and who holds which slot, block
 * indexes, devices with their counts, endpoints, vCPUs, memory, containers), written back in Kata's
 * schema; unchanged, it gives back exactly the state read, Kata's own file byte for byte, with its
 * nil lists still nil.
 */
class SandboxModelTest {
  static SandboxState katas() throws IOException {
    return PersistCodec.decodeSandbox(KataSamples.sandboxJson(), "sandbox-sample.json");
  }

  private static SandboxModel model(SandboxState s) {
    return SandboxModel.of(new StoredSandbox(s, Map.of()), "virtio-blk", false);
  }

  @Test
  void restoresEverythingTheStateRecords() {
    StoredSandbox stored =
        new StoredSandbox(
            SampleStates.sandbox("sb1", 2, 1), Map.of("c1", SampleStates.container("c1", 1)));
    SandboxModel m = SandboxModel.of(stored, "virtio-blk", true);
    assertThat(m.sandboxId()).isEqualTo("sb1");
    assertThat(m.topology().find("virtio-drive-0")).isPresent();
    assertThat(m.topology().find("virtio-drive-1").orElseThrow().pciPath()).hasToString("02/02");
    assertThat(m.blockIndexes().toPersisted()).containsExactly(0L, 1L);
    assertThat(m.devices().devices())
        .extracting(d -> d.id() + " " + d.refCount() + "/" + d.attachCount())
        .containsExactly("blk-0 1/1", "blk-1 1/1");
    assertThat(m.endpoints()).hasSize(1);
    assertThat(m.vcpus()).containsExactly("cpu-1");
    assertThat(m.memoryMiB()).isEqualTo(512);
    assertThat(m.containers()).containsOnlyKeys("c1");
    assertThat(m.cpuUnplugged()).isTrue();
    assertThat(m.stored()).isSameAs(stored);
  }

  @Test
  void anUnchangedModelGivesBackTheStateRead() throws IOException {
    StoredSandbox sample =
        new StoredSandbox(
            SampleStates.sandbox("sb1", 2, 1), Map.of("c1", SampleStates.container("c1", 1)));
    SandboxModel m = SandboxModel.of(sample, "virtio-blk", false);
    assertThat(m.toStored()).isEqualTo(sample);
    assertThat(m.changed()).isFalse();
    // Kata's own file, written by its Go types: the same bytes back
    SandboxState kata = katas();
    SandboxModel k = model(kata);
    assertThat(k.changed()).isFalse();
    assertThat(PersistCodec.encode(k.toStored().sandbox())).isEqualTo(PersistCodec.encode(kata));
  }

  @Test
  void aNilListStaysNilAndAnEmptyOneEmpty() {
    SandboxState nil =
        SampleStates.sandbox("sb1", 0, 0).toBuilder()
            .devices(null)
            .network(new NetworkInfo("", 0, false, null))
            .hypervisorState(HypervisorState.builder().pid(1).type("qemu").build())
            .build();
    SandboxModel m = model(nil);
    assertThat(m.changed()).isFalse();
    SandboxState out = m.toStored().sandbox();
    assertThat(out.devices()).isNull();
    assertThat(out.network().endpoints()).isNull();
    assertThat(out.hypervisorState().bridges()).isNull();
    assertThat(out.hypervisorState().blockIndexMap()).isNull();
    assertThat(out.hypervisorState().hotpluggedVcpus()).isNull();
    // a change undone is no change
    m.vcpus().add("cpu-0");
    assertThat(m.changed()).isTrue();
    m.vcpus().remove("cpu-0");
    assertThat(m.changed()).isFalse();
    // empty lists read stay empty lists
    SandboxState empty = SampleStates.sandbox("sb1", 0, 0);
    assertThat(empty.devices()).isEmpty();
    assertThat(empty.network().endpoints()).isEmpty();
    assertThat(model(empty).changed()).isFalse();
    SandboxState back = model(empty).toStored().sandbox();
    assertThat(back.devices()).isEmpty();
    assertThat(back.network().endpoints()).isEmpty();
    assertThat(back.hypervisorState().blockIndexMap()).isEmpty();
  }

  /** Kata writes a device's nil DriverOptions as null (a VFIO group's, a vhost-user device's). */
  static final String KATA_VFIO =
      "{\"ID\":\"0123456789abcdef\",\"Type\":\"vfio\",\"RefCount\":1,\"AttachCount\":1,"
          + "\"DevType\":\"c\",\"Major\":243,\"Minor\":0,\"ColdPlug\":false,"
          + "\"DriverOptions\":null,\"VFIODevs\":[{\"ID\":\"vfio-0123456789abcdef0\",\"Type\":1,"
          + "\"BDF\":\"02:00.0\",\"SysfsDev\":\"/sys/bus/pci/devices/0000:02:00.0\"}]}";

  @Test
  void aDeviceWhoseDriverOptionsKataLeftNilIsUnchanged() {
    DeviceState vfio =
        PersistCodec.decodeValue(
            DeviceState.class, KATA_VFIO.getBytes(StandardCharsets.UTF_8), "vfio");
    assertThat(vfio.driverOptions()).isNull();
    SandboxState s = SampleStates.sandbox("sb1", 1, 0);
    List<DeviceState> devices = new ArrayList<>(s.devices());
    devices.add(vfio);
    SandboxState kata = s.toBuilder().devices(devices).build();
    SandboxModel m = model(kata);
    assertThat(m.changed()).isFalse();
    assertThat(m.toStored().sandbox()).isEqualTo(kata);
    // a change elsewhere keeps it nil
    m.vcpus().add("cpu-9");
    assertThat(m.toStored().sandbox().devices().get(1).driverOptions()).isNull();
    assertThat(m.toStored().sandbox().devices().get(0).driverOptions())
        .containsEntry("block-driver", "virtio-blk");
  }

  @Test
  void changesAreWrittenInKatasSchema() {
    SandboxModel m = model(SampleStates.sandbox("sb1", 0, 1));
    m.vcpus().add("cpu-2");
    m.memoryMiB(1024);
    var md = m.devices().newDevice(HostDevice.block("/img/a.raw", 0, 0, false));
    m.topology().commit(m.topology().reserve("virtio-x", Placement.PCI_BRIDGE));
    m.blockIndexes().allocate();
    m.endpoints().clear();
    m.updateState(s -> s.toBuilder().state("a").build());
    m.updateState(s -> s.toBuilder().state(s.state() + "b").build());
    m.containers().put("c9", SampleStates.container("c9", 2));
    StoredSandbox out = m.toStored();
    HypervisorState hs = out.sandbox().hypervisorState();
    assertThat(hs.hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-1"), new CpuDevice("cpu-2"));
    assertThat(hs.hotpluggedMemory()).isEqualTo(1024);
    assertThat(hs.bridges().get(0))
        .isEqualTo(new Bridge(Map.of(1L, "virtio-x"), "pci", "pci-bridge-0", 2));
    assertThat(hs.blockIndexMap()).containsExactly(0L);
    assertThat(out.sandbox().devices()).extracting(d -> d.id()).containsExactly(md.id());
    assertThat(out.sandbox().devices().get(0).refCount()).isEqualTo(1);
    assertThat(out.sandbox().state()).as("changes compose in call order").isEqualTo("ab");
    assertThat(out.sandbox().network().endpoints()).as("the last one gone: nil").isNull();
    assertThat(out.sandbox().network().netNsPath()).isEqualTo("/var/run/netns/sb1");
    assertThat(out.containers()).containsOnlyKeys("c9");
    assertThat(m.changed()).isTrue();
  }

  @Test
  void anEndpointAddedToNilEndpointsMakesTheList() {
    SandboxState one = SampleStates.sandbox("sb1", 0, 1);
    var ep = one.network().endpoints().get(0);
    SandboxModel m =
        model(one.toBuilder().network(new NetworkInfo("/var/run/netns/p", 0, true, null)).build());
    m.endpoints().add(ep);
    NetworkInfo net = m.toStored().sandbox().network();
    assertThat(net).isEqualTo(new NetworkInfo("/var/run/netns/p", 0, true, List.of(ep)));
  }

  @Test
  void aStateItCannotReadIsRefused() {
    SandboxState bad =
        SampleStates.sandbox("sb1", 0, 0).toBuilder()
            .hypervisorState(
                HypervisorState.builder()
                    .bridges(List.of(new Bridge(Map.of(), "isa", "isa-0", 2)))
                    .build())
            .build();
    assertThatThrownBy(() -> model(bad))
        .isInstanceOf(DevicesException.class)
        .hasMessageContaining("unknown Type \"isa\"");
  }
}
