package org.vmm4j.core;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.vmm4j.core.hotplug.SandboxHotplug;
import org.vmm4j.devices.DeviceManager;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;

/**
 * One hotplug transaction of a sandbox ({@link SandboxDevices#transact}), under its exclusive store
 * lock: the state as just read from disk, the flows and the device manager restored from it. When
 * the work returns, the devices ({@code Devices}), {@code HypervisorState} ({@code Bridges} with
 * {@code DeviceAddr}, {@code BlockIndexMap}, {@code HotpluggedVCPUs}, {@code HotpluggedMemory}) and
 * the changes given to {@link #updateState} and {@link #updateContainers} are saved; when it
 * throws, nothing is (except vCPUs or memory that QEMU added or removed before the failure: the
 * state says what QEMU has).
 */
public interface HotplugSession {
  /** The sandbox's id. */
  String sandboxId();

  /** The sandbox's hypervisor config (after a restore, the persisted one). */
  HypervisorConfig config();

  /**
   * The hotplug flows over this sandbox's QEMU, restored from the state just read: bridges and
   * their devices, block indexes, hot-plugged vCPUs and memory, whether a vCPU was unplugged.
   */
  SandboxHotplug flows();

  /** The devices ({@code SandboxState.Devices}) with their counts, restored from the state. */
  DeviceManager devices();

  /** The state as read under the lock, before this transaction's changes. */
  StoredSandbox stored();

  /**
   * Records a change of the rest of the sandbox's state (e.g. {@code NetworkInfo}'s endpoints),
   * applied after the devices and {@code HypervisorState} when the work succeeds; changes compose
   * in call order.
   */
  void updateState(UnaryOperator<SandboxState> change);

  /**
   * Records a change of the containers' states (by container id), applied when the work succeeds;
   * changes compose in call order.
   */
  void updateContainers(UnaryOperator<Map<String, ContainerState>> change);
}
