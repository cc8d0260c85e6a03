package org.vmm4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.api.ContainerException;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.ContainerSpec;
import org.vmm4j.core.internal.hotplug.ContainerPlugs;
import org.vmm4j.core.internal.hotplug.ContainerRecords;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.StoredSandbox;

/**
 * The containers of a running {@link Sandbox} ({@link Sandbox#containers()}): create, list, find,
 * remove. Each container has a {@code ContainerState} in Kata 1.13's schema in the sandbox's store
 * ({@code <sid>/<cid>/persist.json}: State, Rootfs, CgroupPath, DeviceMaps, Mounts, Process,
 * BundlePath) and a {@code ContainerConfig} (ID, Annotations, RootFs) in the sandbox's {@code
 * Config.ContainerConfigs}.
 *
 * <p>The disks a container uses (a rootfs on a block device or image file, block mounts, devices)
 * are sandbox devices ({@code SandboxState.Devices}) shared by every container that uses the same
 * host device (same device number, else same real path): the first use hot-plugs it, each use
 * counts ({@code RefCount}, {@code AttachCount}), the last release unplugs it. A shared disk is
 * plugged with the first user's read-only flag.
 *
 * <p>Each create and remove is one transaction of the sandbox (see {@link Sandbox}): under the
 * sandbox's exclusive store lock, from the state just read, saved after success only; a failed
 * create unplugs what it plugged and records nothing. When QEMU does not give back a device (an
 * unplug past its deadline) the state says what is true: a rollback's leftover stays recorded as a
 * sandbox device; a removal saves what it released and keeps the container with the rest.
 *
 * <p>States are Kata's strings: {@code ready} (created), {@code running}, {@code paused}, {@code
 * stopped}. vmm4j creates containers {@code ready}; starting and stopping a container's process is
 * the guest agent's job and not done here: {@link #recordState} records the state the agent
 * reported. A running or paused container cannot be removed.
 */
public final class SandboxContainers {
  public static final String STATE_READY = ContainerInfo.STATE_READY;
  public static final String STATE_RUNNING = ContainerInfo.STATE_RUNNING;
  public static final String STATE_PAUSED = ContainerInfo.STATE_PAUSED;
  public static final String STATE_STOPPED = ContainerInfo.STATE_STOPPED;

  private final Sandbox sandbox;

  SandboxContainers(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /**
   * Creates a container ({@code ready}): its disks referenced and plugged where no other container
   * has them, its records saved.
   *
   * @throws ContainerException for an invalid or duplicate id, a missing rootfs, mount source or
   *     device, a relative container path
   * @throws org.vmm4j.core.api.HotplugException when QEMU refused a disk (what this call plugged is
   *     unplugged again; nothing is recorded)
   */
  public ContainerInfo create(ContainerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    ContainerPlugs.Prepared p = ContainerPlugs.prepare(sandbox.id(), spec);
    return sandbox.transact(tx -> ContainerPlugs.create(tx, sandbox.config(), p));
  }

  /**
   * Removes a container: its disk uses released (the last one of a disk unplugs it), its records
   * dropped.
   *
   * @throws ContainerException for an invalid id, an unknown container, one running or paused
   * @throws org.vmm4j.core.api.HotplugException when QEMU did not give a disk back (the state says
   *     what was released)
   */
  public void remove(String id) {
    checkId("remove container", id);
    sandbox.transact(
        tx -> {
          ContainerPlugs.remove(tx, id);
          return null;
        });
  }

  /**
   * Records a state the container's process reached ({@code running}, {@code paused}, {@code
   * stopped}), as the runtime learnt it from the guest agent; nothing is asked of QEMU or the
   * guest. Transitions are Kata's (ready to running or stopped, running to paused or stopped,
   * paused to running or stopped, stopped to running).
   *
   * @throws ContainerException for an invalid id, an unknown container or state, or a move Kata
   *     refuses
   */
  public ContainerInfo recordState(String id, String state) {
    checkId("record state of container", id);
    Objects.requireNonNull(state, "state");
    String op = "sandbox " + sandbox.id() + ": container " + id + ": state " + state;
    return sandbox.transact(
        tx -> {
          ContainerState st = tx.model().containers().get(id);
          if (st == null) {
            throw new ContainerException(op + ": no such container");
          }
          ContainerRecords.checkTransition(op, st.state(), state);
          ContainerState moved = st.toBuilder().state(state).build();
          tx.model().containers().put(id, moved);
          return info(tx.model().toStored(), id, moved);
        });
  }

  /** Every container the store records, by id. */
  public List<ContainerInfo> list() {
    StoredSandbox stored = sandbox.read();
    List<ContainerInfo> out = new ArrayList<>();
    stored.containers().forEach((id, st) -> out.add(info(stored, id, st)));
    return out;
  }

  /** Container {@code id}, if the store records it. */
  public Optional<ContainerInfo> find(String id) {
    checkId("find container", id);
    StoredSandbox stored = sandbox.read();
    ContainerState st = stored.containers().get(id);
    return st == null ? Optional.empty() : Optional.of(info(stored, id, st));
  }

  /**
   * Container {@code id}.
   *
   * @throws ContainerException when the store does not record it
   */
  public ContainerInfo get(String id) {
    return find(id)
        .orElseThrow(
            () ->
                new ContainerException(
                    "sandbox " + sandbox.id() + ": container " + id + ": no such container"));
  }

  private void checkId(String op, String id) {
    Objects.requireNonNull(id, "id");
    if (!Ids.isValidId(id)) {
      throw new ContainerException(
          "sandbox "
              + sandbox.id()
              + ": "
              + op
              + ": invalid container id \""
              + id
              + "\": must match "
              + Ids.ID_PATTERN);
    }
  }

  private static ContainerInfo info(StoredSandbox stored, String id, ContainerState st) {
    ContainerConfig config =
        ContainerRecords.configs(stored.sandbox()).stream()
            .filter(c -> c.id().equals(id))
            .findFirst()
            .orElse(null);
    return new ContainerInfo(id, st, config);
  }
}
