package org.vmm4j.core.internal.hotplug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.ContainerDevice;
import org.vmm4j.core.api.ContainerException;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.ContainerMount;
import org.vmm4j.core.api.ContainerRootfs;
import org.vmm4j.core.api.ContainerSpec;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.Mount;
import org.vmm4j.persist.RootfsState;

/**
 * The container operations of {@link org.vmm4j.core.SandboxContainers}: what the host has, looked
 * at before the lock ({@link #prepare}), then inside one transaction the disks' uses (a new
 * reference and an attach each: the first attach plugs, later ones count) and the container's
 * records ({@link #create}), or their release ({@link #remove}).
 */
public final class ContainerPlugs {
  private ContainerPlugs() {}

  /** A disk a container uses: its rootfs, a block mount or a device. */
  public record DiskUse(String what, DiskSpec disk, HostDevice info) {}

  /** A spec checked against the host: its disk uses in the order their ids are recorded. */
  public record Prepared(ContainerSpec spec, List<DiskUse> disks) {}

  /**
   * Checks the spec and looks at the host: the id, the rootfs (a directory, or a file or block
   * device), the block mounts' sources and the devices' host paths.
   *
   * @throws ContainerException naming what is wrong
   */
  public static Prepared prepare(String sid, ContainerSpec spec) {
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
   * Creates the container in the transaction: each disk referenced and attached (plugged when no
   * other container has it), then its {@code ContainerState} ({@code ready}) and {@code
   * ContainerConfig} recorded. A failure undoes every disk this call took (the transaction's
   * rollback), naming the disk use.
   *
   * @throws ContainerException when the sandbox has a container with that id
   */
  public static ContainerInfo create(Tx tx, HypervisorConfig config, Prepared p) {
    ContainerSpec spec = p.spec();
    String op = "sandbox " + tx.sandboxId() + ": create container " + spec.id();
    tx.begin("create container " + spec.id());
    ContainerState existing = tx.model().containers().get(spec.id());
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
    for (DiskUse u : p.disks()) {
      try {
        ManagedDevice md = DevicePlugs.reference(tx, u.info());
        ids.add(md.id());
        DevicePlugs.attachDisk(tx, config, md, u.disk());
      } catch (RuntimeException e) {
        throw named(tx, op, u, e);
      }
    }
    ContainerState state = ContainerRecords.state(spec, ids);
    ContainerConfig cfg = ContainerRecords.config(spec);
    tx.model().containers().put(spec.id(), state);
    tx.model().updateState(st -> ContainerRecords.withConfig(st, cfg));
    return new ContainerInfo(spec.id(), state, cfg);
  }

  /** A failure with the operation and the disk use in front of its message. */
  private static RuntimeException named(Tx tx, String op, DiskUse u, RuntimeException e) {
    String prefix = op + ": " + u.what() + " " + u.disk().file() + ": ";
    if (e instanceof HotplugRefusedException) {
      String inner = e.getMessage() == null ? "" : e.getMessage();
      String own = "sandbox " + tx.sandboxId() + ": ";
      return new HotplugRefusedException(
          prefix + (inner.startsWith(own) ? inner.substring(own.length()) : inner), e);
    }
    // the rollback names the operation: the flow that failed, within this container's creation
    tx.begin(prefix.substring(("sandbox " + tx.sandboxId() + ": ").length()) + tx.flow());
    return e;
  }

  /**
   * Removes the container in the transaction: each disk use released (the last detach of a disk
   * unplugs it), then its records dropped. When an unplug fails after other uses were released,
   * what was released is saved (the container keeps the rest, so that a retry finishes).
   *
   * @throws ContainerException for an unknown container, or one running or paused
   */
  public static void remove(Tx tx, String cid) {
    String op = "sandbox " + tx.sandboxId() + ": remove container " + cid;
    tx.begin("remove container " + cid);
    ContainerState st = tx.model().containers().get(cid);
    if (st == null) {
      throw new ContainerException(op + ": no such container");
    }
    if (st.state().equals(ContainerInfo.STATE_RUNNING)
        || st.state().equals(ContainerInfo.STATE_PAUSED)) {
      throw new ContainerException(
          op + ": it is " + st.state() + ": its process must be stopped first (by the agent)");
    }
    ContainerState current = st;
    int released = 0;
    try {
      if (!st.rootfs().blockDeviceId().isEmpty()) {
        release(tx, st.rootfs().blockDeviceId());
        released++;
        current = current.toBuilder().rootfs(new RootfsState("", st.rootfs().fsType())).build();
        tx.model().containers().put(cid, current);
      }
      List<Mount> mounts = new ArrayList<>(orEmpty(st.mounts()));
      for (Mount m : orEmpty(st.mounts())) {
        if (!m.blockDeviceId().isEmpty()) {
          release(tx, m.blockDeviceId());
          released++;
          mounts.remove(m);
          current = current.toBuilder().mounts(List.copyOf(mounts)).build();
          tx.model().containers().put(cid, current);
        }
      }
      List<DeviceMap> maps = new ArrayList<>(orEmpty(st.deviceMaps()));
      for (DeviceMap d : orEmpty(st.deviceMaps())) {
        release(tx, d.id());
        released++;
        maps.remove(d);
        current = current.toBuilder().deviceMaps(List.copyOf(maps)).build();
        tx.model().containers().put(cid, current);
      }
    } catch (RuntimeException e) {
      if (released == 0) {
        throw e;
      }
      throw new ContainerException(
          op
              + ": "
              + e.getMessage()
              + "; "
              + released
              + " of its device uses were released and saved, the container keeps the"
              + " others: retry the removal",
          e);
    }
    tx.model().containers().remove(cid);
    tx.model().updateState(x -> ContainerRecords.withoutConfig(x, cid));
  }

  /** One use of device {@code id} less: its last detach unplugs it. Unknown ids are skipped. */
  private static void release(Tx tx, String id) {
    Optional<ManagedDevice> md = tx.model().devices().find(id);
    if (md.isEmpty()) {
      return;
    }
    if (md.get().attachCount() == 1) {
      Unplug.run(tx, DeviceTable.of(md.get(), tx.model().topology()));
      return; // forgot one reference too
    }
    if (md.get().attachCount() > 1) {
      tx.model().devices().detach(id, d -> {});
    }
    tx.model().devices().removeDevice(id);
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
