package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.vmm4j.devices.BlockIndexes;
import org.vmm4j.devices.DeviceManager;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;

/**
 * One transaction's model of a sandbox: restored once from the state read under the sandbox's
 * exclusive store lock, changed by that transaction alone (single-threaded: the store lock
 * serialises transactions), and written back in Kata's schema by {@link #toStored()}. Every step
 * that changes QEMU or the host changes the model at the same time (and registers the undo of
 * both), so the model is always what QEMU has: after a rollback that undid everything it equals the
 * state read ({@link #changed()} is false, nothing is saved); after one that could not, it holds
 * what stayed.
 *
 * <p>What it holds, per Kata field: the devices with their counts ({@code Devices}, a {@link
 * DeviceManager}), the bridges and who holds which slot ({@code HypervisorState.Bridges}, a {@link
 * PciTopology}), the block indexes ({@code BlockIndexMap}), the network endpoints ({@code
 * NetworkInfo.Endpoints}, kept verbatim: the schema is lossy for some kinds), the hot-plugged vCPUs
 * and memory ({@code HotpluggedVCPUs}, {@code HotpluggedMemory}), and the containers' states. The
 * hot-plugged DIMMs themselves are not in Kata's schema: {@link DeviceTable} asks QEMU for them
 * when they are listed or unplugged.
 */
public final class SandboxModel {
  private final StoredSandbox stored;
  private final String sandboxId;
  private final PciTopology topology;
  private final BlockIndexes blockIndexes;
  private final DeviceManager devices;
  private final List<NetworkEndpoint> endpoints;
  private final List<String> vcpus = new ArrayList<>();
  private final Map<String, ContainerState> containers;
  private long memoryMiB;
  private boolean cpuUnplugged;
  private UnaryOperator<SandboxState> changes = UnaryOperator.identity();

  private SandboxModel(StoredSandbox stored, String blockDriver, boolean cpuUnplugged) {
    this.stored = Objects.requireNonNull(stored, "stored");
    SandboxState st = stored.sandbox();
    this.sandboxId = st.sandboxContainer();
    HypervisorState hs = st.hypervisorState();
    this.topology = PciTopology.restore(sandboxId, hs.bridges());
    this.blockIndexes = BlockIndexes.restore(sandboxId, hs.blockIndexMap());
    this.devices = DeviceManager.restore(sandboxId, blockDriver, st.devices());
    List<NetworkEndpoint> eps = st.network() == null ? null : st.network().endpoints();
    this.endpoints = eps == null ? new ArrayList<>() : new ArrayList<>(eps);
    if (hs.hotpluggedVcpus() != null) {
      hs.hotpluggedVcpus().forEach(c -> vcpus.add(c.id()));
    }
    this.memoryMiB = hs.hotpluggedMemory();
    this.containers = new TreeMap<>(stored.containers());
    this.cpuUnplugged = cpuUnplugged;
  }

  /**
   * The model of a stored sandbox.
   *
   * @param blockDriver the sandbox's {@code BlockDeviceDriver}, recorded in new block devices
   * @param cpuUnplugged whether a vCPU was unplugged from this QEMU process already (kept beside
   *     the state: the schema has no field for it)
   * @throws org.vmm4j.devices.DevicesException when the state's devices or bridges cannot be read
   */
  public static SandboxModel of(StoredSandbox stored, String blockDriver, boolean cpuUnplugged) {
    return new SandboxModel(stored, blockDriver, cpuUnplugged);
  }

  public String sandboxId() {
    return sandboxId;
  }

  /** The state as read, before this transaction. */
  public StoredSandbox stored() {
    return stored;
  }

  public PciTopology topology() {
    return topology;
  }

  public BlockIndexes blockIndexes() {
    return blockIndexes;
  }

  /** {@code Devices}: disks, VFIO groups and vhost-user devices, with their counts. */
  public DeviceManager devices() {
    return devices;
  }

  /** {@code NetworkInfo.Endpoints}, as persisted, in order (mutable). */
  public List<NetworkEndpoint> endpoints() {
    return endpoints;
  }

  /** {@code HotpluggedVCPUs}: the QEMU ids of the hot-plugged vCPUs, in order (mutable). */
  public List<String> vcpus() {
    return vcpus;
  }

  /** {@code HotpluggedMemory}: MiB added by hotplug. */
  public long memoryMiB() {
    return memoryMiB;
  }

  public void memoryMiB(long miB) {
    this.memoryMiB = miB;
  }

  /**
   * Whether a vCPU was unplugged from this QEMU process (under TCG no PCI or CPU plug may follow).
   */
  public boolean cpuUnplugged() {
    return cpuUnplugged;
  }

  public void cpuUnplugged(boolean happened) {
    this.cpuUnplugged = happened;
  }

  /** The containers' states by id (mutable). */
  public Map<String, ContainerState> containers() {
    return containers;
  }

  /**
   * Records a change of the rest of the sandbox's state (container configs, the network namespace),
   * applied after the fields above by {@link #toStored()}; changes compose in call order.
   */
  public void updateState(UnaryOperator<SandboxState> change) {
    Objects.requireNonNull(change, "change");
    UnaryOperator<SandboxState> before = changes;
    changes = s -> change.apply(before.apply(s));
  }

  /**
   * The state this model stands for, in Kata's schema. A list or map that is empty now and was nil
   * ({@code null}) when read stays nil (a device's {@code DriverOptions} too), so that an unchanged
   * model gives back exactly the state read.
   */
  public StoredSandbox toStored() {
    SandboxState st = stored.sandbox();
    HypervisorState hs = st.hypervisorState();
    List<DeviceState> ds = keepNilOptions(devices.toDeviceStates(), st.devices());
    List<CpuDevice> cpus = vcpus.stream().map(CpuDevice::new).toList();
    HypervisorState nextHs =
        hs.toBuilder()
            .bridges(orNil(topology.toPersisted(), hs.bridges()))
            .blockIndexMap(
                blockIndexes.size() == 0 && hs.blockIndexMap() == null
                    ? null
                    : blockIndexes.toPersisted())
            .hotpluggedVcpus(orNil(cpus, hs.hotpluggedVcpus()))
            .hotpluggedMemory(memoryMiB)
            .build();
    SandboxState.Builder b =
        st.toBuilder().devices(orNil(ds, st.devices())).hypervisorState(nextHs);
    NetworkInfo net = st.network();
    List<NetworkEndpoint> eps = List.copyOf(endpoints);
    if (eps.isEmpty() && (net == null || net.endpoints() == null || !net.endpoints().isEmpty())) {
      eps = null; // none: nil, as Kata's append leaves it (an empty list read stays empty)
    }
    if (net != null) {
      b.network(new NetworkInfo(net.netNsPath(), net.netmonPid(), net.netNsCreated(), eps));
    } else if (eps != null) {
      b.network(new NetworkInfo("", 0, false, eps));
    }
    return new StoredSandbox(changes.apply(b.build()), Map.copyOf(containers));
  }

  /** Whether {@link #toStored()} differs from the state read (then it is saved). */
  public boolean changed() {
    return !toStored().equals(stored);
  }

  /**
   * A device's {@code DriverOptions} that is empty now and was nil when read stays nil (Kata writes
   * a VFIO group's or a vhost-user device's nil map as {@code null}; the device manager has none).
   */
  private static List<DeviceState> keepNilOptions(List<DeviceState> now, List<DeviceState> read) {
    if (read == null) {
      return now;
    }
    Set<String> nil = new HashSet<>();
    read.stream().filter(d -> d.driverOptions() == null).forEach(d -> nil.add(d.id()));
    return now.stream()
        .map(
            d ->
                nil.contains(d.id()) && d.driverOptions() != null && d.driverOptions().isEmpty()
                    ? d.toBuilder().driverOptions(null).build()
                    : d)
        .toList();
  }

  private static <T> List<T> orNil(List<T> now, List<T> read) {
    return now.isEmpty() && read == null ? null : now;
  }
}
