package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.ContainerState: the state of one container ({@code <sid>/<cid>/persist.json}).
 *
 * <p>Go type: {@code persistapi.ContainerState}. Built from Go zero values with {@link #builder()}.
 */
public record ContainerState(
    @GoField("State") String state,
    @GoField("Rootfs") RootfsState rootfs,
    @GoField("CgroupPath") String cgroupPath,
    @GoField("DeviceMaps") List<DeviceMap> deviceMaps,
    @GoField("Mounts") List<Mount> mounts,
    @GoField("Process") ContainerProcess process,
    @GoField("BundlePath") String bundlePath)
    implements PersistedState {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public ContainerState {
    Objects.requireNonNull(state, "State");
    Objects.requireNonNull(rootfs, "Rootfs");
    Objects.requireNonNull(cgroupPath, "CgroupPath");
    Objects.requireNonNull(process, "Process");
    Objects.requireNonNull(bundlePath, "BundlePath");
    deviceMaps = Copies.list(deviceMaps);
    mounts = Copies.list(mounts);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code ContainerState}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.state = state;
    b.rootfs = rootfs;
    b.cgroupPath = cgroupPath;
    b.deviceMaps = deviceMaps;
    b.mounts = mounts;
    b.process = process;
    b.bundlePath = bundlePath;
    return b;
  }

  /** Builds {@link ContainerState} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String state = "";
    private RootfsState rootfs = new RootfsState("", "");
    private String cgroupPath = "";
    private List<DeviceMap> deviceMaps;
    private List<Mount> mounts;
    private ContainerProcess process = new ContainerProcess("", 0, GoTime.ZERO);
    private String bundlePath = "";

    private Builder() {}

    public Builder state(String state) {
      this.state = state;
      return this;
    }

    public Builder rootfs(RootfsState rootfs) {
      this.rootfs = rootfs;
      return this;
    }

    public Builder cgroupPath(String cgroupPath) {
      this.cgroupPath = cgroupPath;
      return this;
    }

    public Builder deviceMaps(List<DeviceMap> deviceMaps) {
      this.deviceMaps = deviceMaps;
      return this;
    }

    public Builder mounts(List<Mount> mounts) {
      this.mounts = mounts;
      return this;
    }

    public Builder process(ContainerProcess process) {
      this.process = process;
      return this;
    }

    public Builder bundlePath(String bundlePath) {
      this.bundlePath = bundlePath;
      return this;
    }

    public ContainerState build() {
      return new ContainerState(state, rootfs, cgroupPath, deviceMaps, mounts, process, bundlePath);
    }
  }
}
