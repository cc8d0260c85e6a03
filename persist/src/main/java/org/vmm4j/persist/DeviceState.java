package org.vmm4j.persist;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.DeviceState: a host device plugged into the hypervisor.
 *
 * <p>Go type: {@code persistapi.DeviceState}. Built from Go zero values with {@link #builder()}.
 */
public record DeviceState(
    @GoField("ID") String id,
    @GoField("Type") String type,
    @GoField(value = "RefCount", type = GoType.UINT) long refCount,
    @GoField(value = "AttachCount", type = GoType.UINT) long attachCount,
    @GoField("DevType") String devType,
    @GoField(value = "Major", type = GoType.INT64) long major,
    @GoField(value = "Minor", type = GoType.INT64) long minor,
    @GoField("ColdPlug") boolean coldPlug,
    @GoField("DriverOptions") Map<String, String> driverOptions,
    @GoField(value = "BlockDrive", omitEmpty = true, pointer = true) BlockDrive blockDrive,
    @GoField(value = "VFIODevs", omitEmpty = true) List<VfioDev> vfioDevs,
    @GoField(value = "VhostUserDev", omitEmpty = true, pointer = true)
        VhostUserDeviceAttrs vhostUserDev) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public DeviceState {
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(type, "Type");
    Objects.requireNonNull(devType, "DevType");
    driverOptions = Copies.map(driverOptions);
    vfioDevs = Copies.list(vfioDevs);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code DeviceState}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.type = type;
    b.refCount = refCount;
    b.attachCount = attachCount;
    b.devType = devType;
    b.major = major;
    b.minor = minor;
    b.coldPlug = coldPlug;
    b.driverOptions = driverOptions;
    b.blockDrive = blockDrive;
    b.vfioDevs = vfioDevs;
    b.vhostUserDev = vhostUserDev;
    return b;
  }

  /** Builds {@link DeviceState} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String id = "";
    private String type = "";
    private long refCount;
    private long attachCount;
    private String devType = "";
    private long major;
    private long minor;
    private boolean coldPlug;
    private Map<String, String> driverOptions;
    private BlockDrive blockDrive;
    private List<VfioDev> vfioDevs;
    private VhostUserDeviceAttrs vhostUserDev;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder refCount(long refCount) {
      this.refCount = refCount;
      return this;
    }

    public Builder attachCount(long attachCount) {
      this.attachCount = attachCount;
      return this;
    }

    public Builder devType(String devType) {
      this.devType = devType;
      return this;
    }

    public Builder major(long major) {
      this.major = major;
      return this;
    }

    public Builder minor(long minor) {
      this.minor = minor;
      return this;
    }

    public Builder coldPlug(boolean coldPlug) {
      this.coldPlug = coldPlug;
      return this;
    }

    public Builder driverOptions(Map<String, String> driverOptions) {
      this.driverOptions = driverOptions;
      return this;
    }

    public Builder blockDrive(BlockDrive blockDrive) {
      this.blockDrive = blockDrive;
      return this;
    }

    public Builder vfioDevs(List<VfioDev> vfioDevs) {
      this.vfioDevs = vfioDevs;
      return this;
    }

    public Builder vhostUserDev(VhostUserDeviceAttrs vhostUserDev) {
      this.vhostUserDev = vhostUserDev;
      return this;
    }

    public DeviceState build() {
      return new DeviceState(
          id,
          type,
          refCount,
          attachCount,
          devType,
          major,
          minor,
          coldPlug,
          driverOptions,
          blockDrive,
          vfioDevs,
          vhostUserDev);
    }
  }
}
