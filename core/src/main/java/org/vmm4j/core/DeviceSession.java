package org.vmm4j.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.core.hotplug.SandboxHotplug;
import org.vmm4j.devices.DeviceManager;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;

/** {@link HotplugSession} of {@link SandboxDevices}: restored from the state read, and saved. */
final class DeviceSession implements HotplugSession {
  private final StoredSandbox stored;
  private final HypervisorConfig config;
  private final HotplugProfile profile;
  private final SandboxHotplug flows;
  private final DeviceManager devices;
  private UnaryOperator<SandboxState> changes = UnaryOperator.identity();
  private UnaryOperator<Map<String, ContainerState>> containerChanges = UnaryOperator.identity();

  private DeviceSession(
      StoredSandbox stored,
      HypervisorConfig config,
      HotplugProfile profile,
      SandboxHotplug flows,
      DeviceManager devices) {
    this.stored = stored;
    this.config = config;
    this.profile = profile;
    this.flows = flows;
    this.devices = devices;
  }

  /**
   * The session of the state just read: topology, block indexes, vCPUs and memory from its {@code
   * HypervisorState}, the device manager from its {@code Devices}.
   *
   * @param cpuUnplugged whether a vCPU was unplugged from this QEMU process already
   */
  static DeviceSession open(
      StoredSandbox stored,
      HypervisorConfig config,
      HotplugProfile profile,
      QmpClient qmp,
      HotplugTimeouts timeouts,
      boolean cpuUnplugged) {
    SandboxState st = stored.sandbox();
    String sid = st.sandboxContainer();
    HypervisorState hs = st.hypervisorState();
    HotplugContext ctx =
        HotplugContext.restored(sid, qmp, profile.machine(), hs, profile.memory())
            .withTimeouts(timeouts);
    SandboxHotplug flows =
        SandboxHotplug.restored(ctx, profile.cpuLimits(), profile.memoryLimits(), hs, cpuUnplugged);
    DeviceManager devices = DeviceManager.restore(sid, blockDriver(config), st.devices());
    return new DeviceSession(stored, config, profile, flows, devices);
  }

  /** The {@code BlockDeviceDriver} the device manager records ({@code virtio-scsi} when unset). */
  static String blockDriver(HypervisorConfig c) {
    return c.kata().blockDeviceDriver().isEmpty() ? "virtio-scsi" : c.kata().blockDeviceDriver();
  }

  @Override
  public String sandboxId() {
    return stored.sandbox().sandboxContainer();
  }

  @Override
  public HypervisorConfig config() {
    return config;
  }

  @Override
  public SandboxHotplug flows() {
    return flows;
  }

  @Override
  public DeviceManager devices() {
    return devices;
  }

  @Override
  public StoredSandbox stored() {
    return stored;
  }

  @Override
  public void updateState(UnaryOperator<SandboxState> change) {
    Objects.requireNonNull(change, "change");
    UnaryOperator<SandboxState> before = changes;
    changes = s -> change.apply(before.apply(s));
  }

  @Override
  public void updateContainers(UnaryOperator<Map<String, ContainerState>> change) {
    Objects.requireNonNull(change, "change");
    UnaryOperator<Map<String, ContainerState>> before = containerChanges;
    containerChanges = c -> change.apply(before.apply(c));
  }

  /**
   * Runs {@code work} on this session: its result goes to {@code result}, its failure to {@code
   * failure} (a device manager's error as a {@link HotplugException} naming the operation).
   *
   * @return the state to save: {@link #succeeded()} after success or a {@link SaveThenThrow},
   *     {@link #failed()} after any other failure
   */
  <T> StoredSandbox run(
      String operation,
      Function<HotplugSession, T> work,
      List<T> result,
      List<RuntimeException> failure) {
    try {
      result.add(work.apply(this));
      return succeeded();
    } catch (SaveThenThrow e) {
      failure.add(e.failure());
      return succeeded();
    } catch (DevicesException e) {
      failure.add(
          new HotplugException(
              "sandbox " + sandboxId() + ": " + operation + ": " + e.getMessage(), e));
      return failed();
    } catch (RuntimeException e) {
      failure.add(e);
      return failed();
    }
  }

  HotplugProfile profile() {
    return profile;
  }

  /** The state to save after the work succeeded: devices, hypervisor state, recorded changes. */
  StoredSandbox succeeded() {
    SandboxState st = stored.sandbox();
    List<DeviceState> ds = devices.toDeviceStates();
    SandboxState next =
        st.toBuilder()
            .devices(ds.isEmpty() && st.devices() == null ? null : ds)
            .hypervisorState(flows.applyTo(st.hypervisorState()))
            .build();
    return new StoredSandbox(changes.apply(next), containerChanges.apply(stored.containers()));
  }

  /**
   * The state to save after the work failed: unchanged (nothing saved), except the vCPUs and memory
   * QEMU added or removed before the failure (each vCPU and DIMM is its own step, not undone).
   */
  StoredSandbox failed() {
    HypervisorState hs = stored.sandbox().hypervisorState();
    var vcpus = flows.cpus().hotplugged();
    long memory = flows.memory().hotpluggedMiB();
    List<?> before = hs.hotpluggedVcpus() == null ? List.of() : hs.hotpluggedVcpus();
    if (vcpus.equals(before) && memory == hs.hotpluggedMemory()) {
      return stored;
    }
    HypervisorState next = hs.toBuilder().hotpluggedVcpus(vcpus).hotpluggedMemory(memory).build();
    return new StoredSandbox(
        stored.sandbox().toBuilder().hypervisorState(next).build(), stored.containers());
  }
}
