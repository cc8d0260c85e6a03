package org.vmm4j.persist;

import java.util.List;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxBlockIO}.
 *
 * <p>Go type: {@code specs.LinuxBlockIO}. Built from Go zero values with {@link #builder()}.
 */
public record LinuxBlockIo(
    @GoField(value = "weight", type = GoType.UINT16, omitEmpty = true) Long weight,
    @GoField(value = "leafWeight", type = GoType.UINT16, omitEmpty = true) Long leafWeight,
    @GoField(value = "weightDevice", omitEmpty = true) List<LinuxWeightDevice> weightDevice,
    @GoField(value = "throttleReadBpsDevice", omitEmpty = true)
        List<LinuxThrottleDevice> throttleReadBpsDevice,
    @GoField(value = "throttleWriteBpsDevice", omitEmpty = true)
        List<LinuxThrottleDevice> throttleWriteBpsDevice,
    @GoField(value = "throttleReadIOPSDevice", omitEmpty = true)
        List<LinuxThrottleDevice> throttleReadIopsDevice,
    @GoField(value = "throttleWriteIOPSDevice", omitEmpty = true)
        List<LinuxThrottleDevice> throttleWriteIopsDevice) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxBlockIo {
    weightDevice = Copies.list(weightDevice);
    throttleReadBpsDevice = Copies.list(throttleReadBpsDevice);
    throttleWriteBpsDevice = Copies.list(throttleWriteBpsDevice);
    throttleReadIopsDevice = Copies.list(throttleReadIopsDevice);
    throttleWriteIopsDevice = Copies.list(throttleWriteIopsDevice);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code LinuxBlockIO}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.weight = weight;
    b.leafWeight = leafWeight;
    b.weightDevice = weightDevice;
    b.throttleReadBpsDevice = throttleReadBpsDevice;
    b.throttleWriteBpsDevice = throttleWriteBpsDevice;
    b.throttleReadIopsDevice = throttleReadIopsDevice;
    b.throttleWriteIopsDevice = throttleWriteIopsDevice;
    return b;
  }

  /** Builds {@link LinuxBlockIo} values; every field starts at its Go zero value. */
  public static final class Builder {
    private Long weight;
    private Long leafWeight;
    private List<LinuxWeightDevice> weightDevice;
    private List<LinuxThrottleDevice> throttleReadBpsDevice;
    private List<LinuxThrottleDevice> throttleWriteBpsDevice;
    private List<LinuxThrottleDevice> throttleReadIopsDevice;
    private List<LinuxThrottleDevice> throttleWriteIopsDevice;

    private Builder() {}

    public Builder weight(Long weight) {
      this.weight = weight;
      return this;
    }

    public Builder leafWeight(Long leafWeight) {
      this.leafWeight = leafWeight;
      return this;
    }

    public Builder weightDevice(List<LinuxWeightDevice> weightDevice) {
      this.weightDevice = weightDevice;
      return this;
    }

    public Builder throttleReadBpsDevice(List<LinuxThrottleDevice> throttleReadBpsDevice) {
      this.throttleReadBpsDevice = throttleReadBpsDevice;
      return this;
    }

    public Builder throttleWriteBpsDevice(List<LinuxThrottleDevice> throttleWriteBpsDevice) {
      this.throttleWriteBpsDevice = throttleWriteBpsDevice;
      return this;
    }

    public Builder throttleReadIopsDevice(List<LinuxThrottleDevice> throttleReadIopsDevice) {
      this.throttleReadIopsDevice = throttleReadIopsDevice;
      return this;
    }

    public Builder throttleWriteIopsDevice(List<LinuxThrottleDevice> throttleWriteIopsDevice) {
      this.throttleWriteIopsDevice = throttleWriteIopsDevice;
      return this;
    }

    public LinuxBlockIo build() {
      return new LinuxBlockIo(
          weight,
          leafWeight,
          weightDevice,
          throttleReadBpsDevice,
          throttleWriteBpsDevice,
          throttleReadIopsDevice,
          throttleWriteIopsDevice);
    }
  }
}
