package org.vmm4j.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.Mount;

/**
 * A container as its sandbox's store records it.
 *
 * @param id the container id
 * @param state its {@code ContainerState} ({@code <sid>/<cid>/persist.json})
 * @param config its {@code ContainerConfig} in the sandbox's {@code Config.ContainerConfigs}
 *     (annotations, rootfs path), or null when the sandbox's state has none for it
 */
public record ContainerInfo(String id, ContainerState state, ContainerConfig config) {
  /**
   * Kata's container states: created ({@code ready}), {@code running}, {@code paused}, {@code
   * stopped}.
   */
  public static final String STATE_READY = "ready";

  public static final String STATE_RUNNING = "running";
  public static final String STATE_PAUSED = "paused";
  public static final String STATE_STOPPED = "stopped";

  public ContainerInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
  }

  /**
   * The sandbox devices ({@code DeviceState} IDs) it holds, one entry per use: its rootfs, its
   * block mounts, its {@code DeviceMaps}, in that order.
   */
  public List<String> deviceIds() {
    return deviceIds(state);
  }

  /**
   * The sandbox devices a container's state holds, one entry per use (see {@link #deviceIds()}).
   */
  public static List<String> deviceIds(ContainerState s) {
    List<String> ids = new ArrayList<>();
    if (!s.rootfs().blockDeviceId().isEmpty()) {
      ids.add(s.rootfs().blockDeviceId());
    }
    for (Mount m : s.mounts() == null ? List.<Mount>of() : s.mounts()) {
      if (!m.blockDeviceId().isEmpty()) {
        ids.add(m.blockDeviceId());
      }
    }
    for (DeviceMap d : s.deviceMaps() == null ? List.<DeviceMap>of() : s.deviceMaps()) {
      ids.add(d.id());
    }
    return ids;
  }
}
