package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmm4j.core.api.ContainerDevice;
import org.vmm4j.core.api.ContainerException;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.ContainerMount;
import org.vmm4j.core.api.ContainerRootfs;
import org.vmm4j.core.api.ContainerSpec;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerProcess;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.GoTime;
import org.vmm4j.persist.LinuxResources;
import org.vmm4j.persist.Mount;
import org.vmm4j.persist.RootfsState;
import org.vmm4j.persist.SandboxConfig;
import org.vmm4j.persist.SandboxState;

/**
 * A container's records in Kata's schema: its {@code ContainerState} ({@code <sid>/<cid>/
 * persist.json}: State, Rootfs, CgroupPath, DeviceMaps, Mounts, Process, BundlePath) and its {@code
 * ContainerConfig} in the sandbox's {@code Config.ContainerConfigs} (ID, Annotations, RootFs,
 * Resources). Unlike Kata's {@code dumpMounts}, a mount's {@code Type} is recorded too.
 */
public final class ContainerRecords {
  private ContainerRecords() {}

  /**
   * A new container's state: {@code ready}, no process yet; {@code ids} are its disks' device ids
   * in {@link ContainerPlugs.Prepared#disks()} order (rootfs, block mounts, devices).
   */
  public static ContainerState state(ContainerSpec spec, List<String> ids) {
    int next = 0;
    RootfsState rootfs = new RootfsState("", "");
    if (spec.rootfs() instanceof ContainerRootfs.Disk d) {
      rootfs = new RootfsState(ids.get(next++), d.fsType());
    }
    List<Mount> mounts = new ArrayList<>();
    for (ContainerMount m : spec.mounts()) {
      mounts.add(
          Mount.builder()
              .source(m.source())
              .destination(m.destination())
              .type(m.type())
              .options(m.options())
              .hostPath(m.block() ? "" : m.source())
              .readOnly(m.readOnly())
              .blockDeviceId(m.block() ? ids.get(next++) : "")
              .build());
    }
    List<DeviceMap> maps = new ArrayList<>();
    for (ContainerDevice d : spec.devices()) {
      maps.add(new DeviceMap(ids.get(next++), d.containerPath(), d.fileMode(), d.uid(), d.gid()));
    }
    return ContainerState.builder()
        .state(ContainerInfo.STATE_READY)
        .rootfs(rootfs)
        .cgroupPath(spec.cgroupPath())
        .deviceMaps(maps)
        .mounts(mounts)
        .process(new ContainerProcess("", 0, GoTime.ZERO))
        .bundlePath(spec.bundlePath())
        .build();
  }

  /** The container's {@code ContainerConfig}: its annotations and rootfs path. */
  public static ContainerConfig config(ContainerSpec spec) {
    return new ContainerConfig(
        spec.id(),
        spec.annotations(),
        spec.rootfs().source().toString(),
        LinuxResources.builder().build());
  }

  public static Map<String, ContainerState> with(
      Map<String, ContainerState> all, String id, ContainerState st) {
    Map<String, ContainerState> next = new TreeMap<>(all);
    next.put(id, st);
    return next;
  }

  public static Map<String, ContainerState> without(Map<String, ContainerState> all, String id) {
    Map<String, ContainerState> next = new TreeMap<>(all);
    next.remove(id);
    return next;
  }

  /**
   * {@code st} with {@code config} in {@code Config.ContainerConfigs} (replacing one of its id).
   */
  public static SandboxState withConfig(SandboxState st, ContainerConfig config) {
    List<ContainerConfig> all = new ArrayList<>(configs(st));
    all.removeIf(c -> c.id().equals(config.id()));
    all.add(config);
    return setConfigs(st, all);
  }

  /** {@code st} without container {@code id}'s {@code ContainerConfig}. */
  public static SandboxState withoutConfig(SandboxState st, String id) {
    List<ContainerConfig> all = new ArrayList<>(configs(st));
    if (!all.removeIf(c -> c.id().equals(id))) {
      return st;
    }
    return setConfigs(st, all);
  }

  public static List<ContainerConfig> configs(SandboxState st) {
    List<ContainerConfig> c = st.config().containerConfigs();
    return c == null ? List.of() : c;
  }

  private static SandboxState setConfigs(SandboxState st, List<ContainerConfig> all) {
    SandboxConfig config = st.config().toBuilder().containerConfigs(all).build();
    return st.toBuilder().config(config).build();
  }

  /** Kata's container state transitions ({@code StateString.validTransition}). */
  private static final Map<String, List<String>> TRANSITIONS =
      Map.of(
          ContainerInfo.STATE_READY,
          List.of(ContainerInfo.STATE_RUNNING, ContainerInfo.STATE_STOPPED),
          ContainerInfo.STATE_RUNNING,
          List.of(ContainerInfo.STATE_PAUSED, ContainerInfo.STATE_STOPPED),
          ContainerInfo.STATE_PAUSED,
          List.of(ContainerInfo.STATE_RUNNING, ContainerInfo.STATE_STOPPED),
          ContainerInfo.STATE_STOPPED,
          List.of(ContainerInfo.STATE_RUNNING));

  /**
   * Refuses a move Kata refuses: ready to running or stopped, running to paused or stopped, paused
   * to running or stopped, stopped to running.
   *
   * @throws ContainerException naming both states and what {@code from} allows
   */
  public static void checkTransition(String op, String from, String to) {
    if (!TRANSITIONS.containsKey(to)) {
      throw new ContainerException(
          op + ": unknown state \"" + to + "\" (ready, running, paused, stopped)");
    }
    List<String> allowed = TRANSITIONS.getOrDefault(from, List.of());
    if (!allowed.contains(to)) {
      throw new ContainerException(
          op
              + ": cannot move from "
              + (from.isEmpty() ? "\"\"" : from)
              + " to "
              + to
              + (allowed.isEmpty()
                  ? ""
                  : " (from " + from + ": " + String.join(", ", allowed) + ")"));
    }
  }
}
