package org.vmm4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.VfioDiscovery;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QomList;

/**
 * Hotplug and unplug on a running {@link Sandbox} ({@link Sandbox#devices()}): disks, VFIO groups,
 * vhost-user devices, vCPUs and memory. Each operation is a transaction in {@link Sandbox#update}
 * (DESIGN decision 4): the sandbox's exclusive store lock, its state read from disk, the flows and
 * the device manager restored from that state (so that what another process plugged meanwhile is
 * respected: no slot, index or id is reused), the QMP work, and the state saved after success only
 * ({@code Devices}, {@code HypervisorState.Bridges} with {@code DeviceAddr}, {@code BlockIndexMap},
 * {@code HotpluggedVCPUs}, {@code HotpluggedMemory}). Threads of one process and processes of one
 * host are serialized by that lock; what can be found out without it (the host's files, QEMU's
 * constant properties) is looked at before it is taken.
 *
 * <p>That a vCPU was unplugged from a QEMU process is kept next to its pid in the VM directory
 * (under TCG, QEMU 7.2 crashes on a CPU plug after a CPU unplug; every controller must refuse it).
 *
 * <p>Extensions (network endpoints) use {@link #transact} for their plugs and {@link
 * #withUnplugResolver} for their unplugs.
 */
public final class SandboxDevices {
  private final Sandbox sandbox;
  private final HotplugTimeouts timeouts;
  private final List<UnplugResolver> resolvers;
  private final Profile profile;

  /** Reads the profile once per sandbox object (a QEMU process's constants). */
  private static final class Profile {
    private HotplugProfile value;

    synchronized HotplugProfile get(Sandbox s, HotplugTimeouts t) {
      if (value == null) {
        value = HotplugProfile.read(s.config(), s.accelerator(), s.qmp(), t.command());
      }
      return value;
    }
  }

  SandboxDevices(Sandbox sandbox) {
    this(sandbox, HotplugTimeouts.defaults(), BuiltInUnplugs.ALL, new Profile());
  }

  private SandboxDevices(
      Sandbox sandbox, HotplugTimeouts timeouts, List<UnplugResolver> resolvers, Profile profile) {
    this.sandbox = sandbox;
    this.timeouts = timeouts;
    this.resolvers = List.copyOf(resolvers);
    this.profile = profile;
  }

  /** The deadlines of the QMP work (10 s for {@code DEVICE_DELETED} by default). */
  public HotplugTimeouts timeouts() {
    return timeouts;
  }

  /** What the flows need of this QEMU process, read from it once per sandbox object. */
  HotplugProfile profile() {
    return profile.get(sandbox, timeouts);
  }

  /** The same sandbox's devices with other deadlines. */
  public SandboxDevices withTimeouts(HotplugTimeouts t) {
    return new SandboxDevices(sandbox, Objects.requireNonNull(t, "timeouts"), resolvers, profile);
  }

  /** The same sandbox's devices with {@code r} asked after the resolvers there are. */
  public SandboxDevices withUnplugResolver(UnplugResolver r) {
    List<UnplugResolver> all = new ArrayList<>(resolvers);
    all.add(Objects.requireNonNull(r, "resolver"));
    return new SandboxDevices(sandbox, timeouts, all, profile);
  }

  /**
   * Plugs a disk: virtio-blk on a bridge slot or root port, or a SCSI disk on {@code scsi0}.
   *
   * @return the device; its id is the {@code DeviceState} ID
   * @throws HotplugRefusedException when the file is missing, plugged already, or the sandbox has
   *     no place for it
   * @throws HotplugException when QEMU refused (every step undone)
   */
  public HotpluggedDevice plugDisk(DiskSpec disk) {
    HostDevice info = HostDeviceFacts.disk(sandbox.id(), disk.file(), disk.readOnly());
    return transact("hotplug disk " + disk.file(), s -> DevicePlugs.disk(own(s), disk, info));
  }

  /**
   * Plugs every member of a VFIO device's IOMMU group, or none.
   *
   * @return one entry per member, each with the {@code DeviceState} ID
   * @throws HotplugRefusedException when the host has no VFIO for it, or it is not found in sysfs
   */
  public List<HotpluggedDevice> plugVfio(VfioSpec vfio) {
    String sid = sandbox.id();
    if (vfio.requireVfioDevices()) {
      HostDeviceFacts.checkVfio(sid, vfio.device());
    }
    VfioGroup group;
    try {
      group = new VfioDiscovery(vfio.sysfsRoot()).discover(vfio.device());
    } catch (DevicesException e) {
      throw new HotplugRefusedException("sandbox " + sid + ": hotplug VFIO: " + e.getMessage());
    }
    HostDevice info = HostDeviceFacts.vfio(sid, group, vfio.requireVfioDevices());
    return transact(
        "hotplug VFIO device " + vfio.device(), s -> DevicePlugs.vfio(own(s), group, info));
  }

  /**
   * Plugs a vhost-user device served by a daemon on a unix socket.
   *
   * @throws HotplugRefusedException when nothing is at the socket path, or guest memory is not
   *     shared
   * @throws HotplugException when QEMU refused (every step undone); when QEMU could not connect,
   *     the message says that no daemon accepts connections there
   */
  public HotpluggedDevice plugVhostUser(VhostUserSpec spec) {
    HostDevice info = HostDeviceFacts.vhostUser(sandbox.id(), spec.kind(), spec.socket());
    try {
      return transact(
          "hotplug " + spec.kind().kataType() + " " + spec.socket(),
          s -> DevicePlugs.vhostUser(own(s), spec, info));
    } catch (HotplugException e) {
      if (e.getCause() instanceof QmpCommandException q
          && q.command().commandName().equals("chardev-add")) {
        throw new HotplugException(
            "sandbox "
                + sandbox.id()
                + ": hotplug "
                + spec.kind().kataType()
                + ": no vhost-user daemon accepts connections on "
                + spec.socket()
                + " ("
                + q.desc()
                + ")",
            e);
      }
      throw e;
    }
  }

  /**
   * Adds {@code count} vCPUs (within {@code DefaultMaxVCPUs}).
   *
   * @return one entry per vCPU ({@code cpu-N})
   * @throws HotplugRefusedException beyond the maximum, or after a vCPU unplug under TCG
   */
  public List<HotpluggedDevice> addVcpus(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("add " + count + " vCPUs: the count must be positive");
    }
    return transact("add " + count + " vCPU(s)", s -> ResourcePlugs.vcpus(own(s), count));
  }

  /**
   * Adds {@code sizeMiB} of memory: a DIMM, or with {@code VirtioMem} that much more of the
   * virtio-mem device. The guest onlines it movable, so that it can come back out.
   *
   * @return the memory device (its QEMU id)
   * @throws HotplugRefusedException beyond maxmem or the memory slots
   */
  public HotpluggedDevice addMemory(long sizeMiB) {
    if (sizeMiB <= 0) {
      throw new IllegalArgumentException("add " + sizeMiB + " MiB: the size must be positive");
    }
    return transact("add " + sizeMiB + " MiB", s -> ResourcePlugs.memory(own(s), sizeMiB));
  }

  /**
   * Unplugs {@code deviceId}: a {@code DeviceState} ID (or its QEMU device id), a hot-plugged vCPU
   * ({@code cpu-N}), a hot-plugged memory device's QEMU id, or what an added resolver knows.
   * Returns once QEMU no longer has it and the state no longer records it.
   *
   * @throws org.vmm4j.core.hotplug.DeviceStillPresentException when QEMU still has it past the
   *     deadline (the state is unchanged)
   * @throws HotplugRefusedException when neither the state nor a resolver knows {@code deviceId}
   */
  public void unplug(String deviceId) {
    Objects.requireNonNull(deviceId, "deviceId");
    transact(
        "unplug " + deviceId,
        s -> {
          for (UnplugResolver r : resolvers) {
            if (r.unplug(s, deviceId)) {
              return null;
            }
          }
          throw unknown(s, deviceId);
        });
  }

  private static HotplugRefusedException unknown(HotplugSession s, String id) {
    boolean inQemu =
        s.flows().context().qmp().call(new QomList(QomList.PERIPHERAL)).stream()
            .anyMatch(p -> p.isChild() && p.name().equals(id));
    return new HotplugRefusedException(
        "sandbox "
            + s.sandboxId()
            + ": unplug "
            + id
            + ": no such device in the state (a DeviceState ID, a hot-plugged vCPU, a"
            + " hot-plugged memory device)"
            + (inQemu
                ? "; QEMU has a device " + id + " that vmm4j did not hot-plug: it stays"
                : " nor in QEMU"));
  }

  /**
   * Runs {@code work} as one hotplug transaction: under the sandbox's exclusive store lock, on a
   * session restored from the state just read; saves the devices, the hypervisor state and the
   * session's other changes when it returns, nothing when it throws (but the vCPUs and memory QEMU
   * added or removed before the failure).
   *
   * @param operation what it does, for messages ({@code hotplug net eth1})
   * @throws HotplugException what {@code work} threw, or a malformed device state
   */
  public <T> T transact(String operation, Function<HotplugSession, T> work) {
    Objects.requireNonNull(work, "work");
    HotplugProfile p = profile();
    List<T> result = new ArrayList<>(1);
    List<RuntimeException> failure = new ArrayList<>(1);
    sandbox.update(stored -> once(operation, stored, p, work, result, failure));
    if (!failure.isEmpty()) {
      throw failure.get(0);
    }
    return result.get(0);
  }

  private <T> StoredSandbox once(
      String operation,
      StoredSandbox stored,
      HotplugProfile p,
      Function<HotplugSession, T> work,
      List<T> result,
      List<RuntimeException> failure) {
    long pid = sandbox.pid();
    boolean cpuUnplugged = CpuUnplugMarker.read(sandbox.paths().vmDir(), pid);
    DeviceSession s;
    try {
      s = DeviceSession.open(stored, sandbox.config(), p, sandbox.qmp(), timeouts, cpuUnplugged);
    } catch (DevicesException e) {
      throw new HotplugException(
          "sandbox " + sandbox.id() + ": " + operation + ": " + e.getMessage(), e);
    }
    try {
      return s.run(operation, work, result, failure);
    } finally {
      if (!cpuUnplugged && s.flows().cpuUnplugHappened()) {
        CpuUnplugMarker.write(sandbox.paths().vmDir(), pid);
      }
    }
  }

  private static DeviceSession own(HotplugSession s) {
    return (DeviceSession) s;
  }
}
