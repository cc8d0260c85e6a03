package org.vmm4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.Mount;
import org.vmm4j.persist.RootfsState;

/**
 * The container operations of {@link SandboxContainers}: what the host has, looked at before the
 * lock ({@link #prepare}), then inside one hotplug session the disks' uses (a new reference and an
 * attach each: the first attach plugs, later ones count) and the container's records ({@link
 * #create}), or their release ({@link #remove}, in {@link ContainerRemoval}).
 */
final class ContainerPlugs {
  private ContainerPlugs() {}

  /** A disk a container uses: its rootfs, a block mount or a device. */
  record DiskUse(String what, DiskSpec disk, HostDevice info) {}

  /** A spec checked against the host: its disk uses in the order their ids are recorded. */
  record Prepared(ContainerSpec spec, List<DiskUse> disks) {}

  /**
   * Checks the spec and looks at the host: the id, the rootfs (a directory, or a file or block
   * device), the block mounts' sources and the devices' host paths.
   *
   * @throws ContainerException naming what is wrong
   */
  static Prepared prepare(String sid, ContainerSpec spec) {
    String op = "sandbox " + sid + ": create container " + spec.id();
    try {
      Ids.checkContainerId(spec.id());
    } catch (InvalidNameException e) {
      throw new ContainerException("sandbox " + sid + ": create container: " + e.getMessage(), e);
    }
    List<DiskUse> disks = new ArrayList<>();
    if (spec.rootfs() instanceof ContainerRootfs.Disk d) {
      disks.add(disk(sid, op, "rootfs", d.source(), d.readOnly()));
    } else if (!Files.isDirectory(spec.rootfs().source())) {
      throw new ContainerException(
          op + ": rootfs " + spec.rootfs().source() + ": no such directory");
    }
    for (ContainerMount m : spec.mounts()) {
      checkAbsolute(op, "mount destination", m.destination());
      if (m.block()) {
        disks.add(disk(sid, op, "mount " + m.destination(), Path.of(m.source()), m.readOnly()));
      }
    }
    for (ContainerDevice d : spec.devices()) {
      checkAbsolute(op, "device container path", d.containerPath());
      disks.add(disk(sid, op, "device " + d.containerPath(), d.hostPath(), false));
    }
    return new Prepared(spec, disks);
  }

  private static void checkAbsolute(String op, String what, String path) {
    if (!path.startsWith("/")) {
      throw new ContainerException(op + ": " + what + " \"" + path + "\" is not absolute");
    }
  }

  private static DiskUse disk(String sid, String op, String what, Path source, boolean ro) {
    Path real;
    try {
      real = InputFiles.requireRegularOrBlockDevice(source);
    } catch (NoSuchFileException e) {
      throw new ContainerException(
          op + ": " + what + " " + source + ": no such block device or image file");
    } catch (InputFileException e) {
      throw new ContainerException(op + ": " + what + " " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ContainerException(op + ": " + what + " " + source + ": " + e.getMessage(), e);
    }
    HostDevice info = HostDeviceFacts.disk(sid, real, ro);
    return new DiskUse(what, DiskSpec.raw(real).withReadOnly(ro), info);
  }

  /**
   * Creates the container in the session: each disk referenced and attached (plugged when no other
   * container has it), then its {@code ContainerState} ({@code ready}) and {@code ContainerConfig}
   * recorded. A failure detaches and dereferences what this call took, in reverse order.
   *
   * @throws ContainerException when the sandbox has a container with that id
   * @throws SaveThenThrow when the rollback could not unplug a disk it plugged: that disk stays
   *     recorded as a sandbox device, the container is not
   */
  static ContainerInfo create(DeviceSession s, Prepared p) {
    ContainerSpec spec = p.spec();
    String op = "sandbox " + s.sandboxId() + ": create container " + spec.id();
    ContainerState existing = s.stored().containers().get(spec.id());
    if (existing != null) {
      throw new ContainerException(
          op
              + ": the sandbox has a container "
              + spec.id()
              + " already ("
              + existing.state()
              + ")");
    }
    List<String> ids = new ArrayList<>();
    List<String> attached = new ArrayList<>();
    DiskUse current = null;
    try {
      for (DiskUse u : p.disks()) {
        current = u;
        ManagedDevice md = s.devices().newDevice(u.info());
        ids.add(md.id());
        DevicePlugs.attachDisk(s, md, u.disk());
        attached.add(md.id());
      }
    } catch (RuntimeException e) {
      rollback(s, op, ids, attached, named(s.sandboxId(), op, current, e));
    }
    ContainerState state = ContainerRecords.state(spec, ids);
    var config = ContainerRecords.config(spec);
    s.updateContainers(c -> ContainerRecords.with(c, spec.id(), state));
    s.updateState(st -> ContainerRecords.withConfig(st, config));
    return new ContainerInfo(spec.id(), state, config);
  }

  /** A hotplug failure with the operation and the disk use in front of its message. */
  private static RuntimeException named(String sid, String op, DiskUse u, RuntimeException e) {
    if (u == null || !(e instanceof HotplugException)) {
      return e;
    }
    String inner = e.getMessage() == null ? "" : e.getMessage();
    String own = "sandbox " + sid + ": ";
    String msg =
        op
            + ": "
            + u.what()
            + " "
            + u.disk().file()
            + ": "
            + (inner.startsWith(own) ? inner.substring(own.length()) : inner);
    if (e instanceof HotplugRefusedException) {
      HotplugRefusedException r = new HotplugRefusedException(msg);
      r.initCause(e);
      return r;
    }
    return new HotplugException(msg, e, ((HotplugException) e).leftInPlace());
  }

  private static void rollback(
      DeviceSession s, String op, List<String> ids, List<String> attached, RuntimeException e) {
    List<String> left = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      try {
        if (attached.remove(id)) {
          s.devices().detach(id, d -> BuiltInUnplugs.detach(s, d));
        }
        s.devices().removeDevice(id);
      } catch (RuntimeException r) {
        e.addSuppressed(r);
        left.add(id);
      }
    }
    if (left.isEmpty()) {
      throw e;
    }
    throw new SaveThenThrow(
        new ContainerException(
            op
                + ": "
                + e.getMessage()
                + "; the rollback could not unplug device(s) "
                + left
                + ": they stay recorded as sandbox devices (unplug them by id)",
            e));
  }

  /**
   * Removes the container in the session: each disk use detached and dereferenced (the last detach
   * unplugs it), then its records dropped. When an unplug fails after other uses were released,
   * what was released is saved (the container keeps the rest, so that a retry finishes).
   *
   * @throws ContainerException for an unknown container, or one running or paused
   * @throws SaveThenThrow when an unplug failed after other uses were released
   */
  static void remove(DeviceSession s, String cid) {
    String op = "sandbox " + s.sandboxId() + ": remove container " + cid;
    ContainerState st = s.stored().containers().get(cid);
    if (st == null) {
      throw new ContainerException(op + ": no such container");
    }
    if (st.state().equals(SandboxContainers.STATE_RUNNING)
        || st.state().equals(SandboxContainers.STATE_PAUSED)) {
      throw new ContainerException(
          op + ": it is " + st.state() + ": its process must be stopped first (by the agent)");
    }
    ContainerState[] current = {st};
    int released = 0;
    try {
      if (!st.rootfs().blockDeviceId().isEmpty()) {
        release(s, st.rootfs().blockDeviceId());
        released++;
        current[0] =
            current[0].toBuilder().rootfs(new RootfsState("", st.rootfs().fsType())).build();
      }
      List<Mount> mounts = new ArrayList<>(orEmpty(st.mounts()));
      for (Mount m : orEmpty(st.mounts())) {
        if (!m.blockDeviceId().isEmpty()) {
          release(s, m.blockDeviceId());
          released++;
          mounts.remove(m);
          current[0] = current[0].toBuilder().mounts(List.copyOf(mounts)).build();
        }
      }
      List<DeviceMap> maps = new ArrayList<>(orEmpty(st.deviceMaps()));
      for (DeviceMap d : orEmpty(st.deviceMaps())) {
        release(s, d.id());
        released++;
        maps.remove(d);
        current[0] = current[0].toBuilder().deviceMaps(List.copyOf(maps)).build();
      }
    } catch (RuntimeException e) {
      if (released == 0) {
        throw e;
      }
      s.updateContainers(c -> ContainerRecords.with(c, cid, current[0]));
      throw new SaveThenThrow(
          new ContainerException(
              op
                  + ": "
                  + e.getMessage()
                  + "; "
                  + released
                  + " of its device uses were released and saved, the container keeps the"
                  + " others: retry the removal",
              e));
    }
    s.updateContainers(c -> ContainerRecords.without(c, cid));
    s.updateState(x -> ContainerRecords.withoutConfig(x, cid));
  }

  /** One use of device {@code id} less: its last detach unplugs it. Unknown ids are skipped. */
  private static void release(DeviceSession s, String id) {
    Optional<ManagedDevice> md = s.devices().find(id);
    if (md.isEmpty()) {
      return;
    }
    if (md.get().attachCount() > 0) {
      s.devices().detach(id, d -> BuiltInUnplugs.detach(s, d));
    }
    s.devices().removeDevice(id);
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
