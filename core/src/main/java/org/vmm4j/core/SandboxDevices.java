package org.vmm4j.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskInUseException;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.hotplug.DevicePlugs;
import org.vmm4j.core.internal.hotplug.DeviceRecord;
import org.vmm4j.core.internal.hotplug.DeviceTable;
import org.vmm4j.core.internal.hotplug.DeviceUnplugs;
import org.vmm4j.core.internal.hotplug.HostDeviceFacts;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.SharedDisks;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.VfioDiscovery;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpCommandException;

/**
 * The devices of a running {@link Sandbox} ({@link Sandbox#devices()}): plug disks, VFIO groups,
 * vhost-user devices, vCPUs and memory; {@link #list()} every plugged thing, network endpoints
 * included; {@link #unplug} any of them by id. Each plug and unplug is one transaction of the
 * sandbox (see {@link Sandbox}): what another process plugged meanwhile is respected (no slot,
 * index or id is reused), and the state is saved before the call returns. What can be found out
 * without the lock (the host's files, QEMU's constant properties) is looked at before it is taken.
 * Deadlines come from {@link SandboxOptions#qmpOptions()}.
 */
public final class SandboxDevices {
  private final Sandbox sandbox;

  SandboxDevices(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /**
   * Plugs a disk: virtio-blk on a bridge slot or root port, or a SCSI disk on {@code scsi0}. A
   * relative path is taken from this process's working directory. The same file reached through
   * another path (a link, {@code ./x}) is the same disk.
   *
   * @return the device; its id is the {@code DeviceState} ID
   * @throws HotplugRefusedException when the file is missing, plugged already, or the sandbox has
   *     no place for it
   * @throws DiskInUseException when it would be written and another sandbox of the store has it
   *     plugged, unless {@link DiskSpec#sharedWrite()}
   * @throws HotplugException when QEMU refused (every step undone)
   */
  public Device plugDisk(DiskSpec disk) {
    DiskSpec d = disk.withFile(disk.file().toAbsolutePath());
    HostDevice info = HostDeviceFacts.disk(sandbox.id(), d.file(), d.readOnly());
    return sandbox.transact(
        tx -> {
          if (!d.readOnly() && !d.sharedWrite()) {
            SharedDisks.refuseOtherWriters(
                sandbox.store, sandbox.id(), info, d.file(), sandbox.options.lockTimeout());
          }
          return DevicePlugs.disk(tx, sandbox.config(), d, info);
        });
  }

  /**
   * Plugs every member of a VFIO device's IOMMU group, or none.
   *
   * @return the group: one QEMU device per member ({@link Device#lines()} gives one line each)
   * @throws HotplugRefusedException when the host has no VFIO for it, or it is not found in sysfs
   */
  public Device plugVfio(VfioSpec vfio) {
    String sid = sandbox.id();
    if (vfio.requireVfioDevices()) {
      HostDeviceFacts.checkVfio(sid, vfio.device());
    }
    VfioGroup group;
    try {
      group = new VfioDiscovery(vfio.sysfsRoot()).discover(vfio.device());
    } catch (DevicesException e) {
      throw new HotplugRefusedException("sandbox " + sid + ": hotplug VFIO: " + e.getMessage(), e);
    }
    HostDevice info = HostDeviceFacts.vfio(sid, group, vfio.requireVfioDevices());
    return sandbox.transact(tx -> DevicePlugs.vfio(tx, sandbox.config(), group, info));
  }

  /**
   * Plugs a vhost-user device served by a daemon on a unix socket.
   *
   * @throws HotplugRefusedException when nothing is at the socket path, or guest memory is not
   *     shared
   * @throws HotplugException when QEMU refused (every step undone); when QEMU could not connect,
   *     the message says that no daemon accepts connections there
   */
  public Device plugVhostUser(VhostUserSpec spec) {
    HostDevice info = HostDeviceFacts.vhostUser(sandbox.id(), spec.kind(), spec.socket());
    try {
      return sandbox.transact(tx -> DevicePlugs.vhostUser(tx, spec, info));
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
            e,
            e.leftInPlace());
      }
      throw e;
    }
  }

  /**
   * Adds {@code count} vCPUs (within {@code DefaultMaxVCPUs}), all or none.
   *
   * @return one device per vCPU ({@code cpu-N})
   * @throws HotplugRefusedException beyond the maximum, or after a vCPU unplug under TCG
   */
  public List<Device> addVcpus(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("add " + count + " vCPUs: the count must be positive");
    }
    return sandbox.transact(tx -> DevicePlugs.vcpus(tx, count));
  }

  /**
   * Adds {@code sizeMiB} of memory: a DIMM, or with {@code VirtioMem} that much more of the
   * virtio-mem device. The guest onlines it movable, so that it can come back out.
   *
   * @return the memory device (its QEMU id)
   * @throws HotplugRefusedException beyond maxmem or the memory slots
   */
  public Device addMemory(long sizeMiB) {
    if (sizeMiB <= 0) {
      throw new IllegalArgumentException("add " + sizeMiB + " MiB: the size must be positive");
    }
    return sandbox.transact(tx -> DevicePlugs.memory(tx, sizeMiB));
  }

  /**
   * Every plugged thing, as the store records it now (read under the shared lock, so also what
   * another process plugged): disks, VFIO groups, vhost-user devices, network endpoints, vCPUs, and
   * the memory devices QEMU has (Kata's schema keeps only their total: they are asked of QEMU).
   */
  public List<Device> list() {
    return Faults.run(
        sandbox.id(),
        () -> {
          SandboxModel m = model(sandbox.read());
          List<DeviceRecord> all = DeviceTable.plugged(m, sandbox.qmp(), deadlines());
          return all.stream().map(DeviceRecord::device).toList();
        });
  }

  /** The plugged device {@code id} (or whose QEMU device is {@code id}), if there is one. */
  public Optional<Device> find(String id) {
    Objects.requireNonNull(id, "id");
    return list().stream()
        .filter(d -> d.id().equals(id) || d.qemuDevices().stream().anyMatch(q -> q.id().equals(id)))
        .findFirst();
  }

  /**
   * Unplugs {@code id}, whatever its kind: a {@code DeviceState} ID (or its QEMU device id), a
   * network endpoint's name (its host side is given back as it was), a hot-plugged vCPU ({@code
   * cpu-N}) or memory device ({@code dimmmemN}). Returns once QEMU no longer has it and the state
   * no longer records it.
   *
   * @return the device as it was
   * @throws DeviceStillPresentException when QEMU still has it past the deadline (the state is
   *     unchanged)
   * @throws HotplugRefusedException when nothing of that id is recorded, or containers use it
   */
  public Device unplug(String id) {
    Objects.requireNonNull(id, "id");
    return sandbox.transact(tx -> DeviceUnplugs.unplug(tx, id));
  }

  private org.vmm4j.core.internal.hotplug.Deadlines deadlines() {
    return org.vmm4j.core.internal.hotplug.Deadlines.of(sandbox.options);
  }

  private SandboxModel model(StoredSandbox stored) {
    try {
      return SandboxModel.of(stored, Configs.blockDriver(sandbox.config()), false);
    } catch (DevicesException | IllegalArgumentException e) {
      throw new StateException(
          "sandbox " + sandbox.id() + ": read its devices: " + e.getMessage(), e);
    }
  }
}
