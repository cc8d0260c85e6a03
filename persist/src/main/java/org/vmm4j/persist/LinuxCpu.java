package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxCPU}.
 *
 * <p>Go type: {@code specs.LinuxCPU}. Built from Go zero values with {@link #builder()}.
 */
public record LinuxCpu(
    @GoField(value = "shares", type = GoType.UINT64, omitEmpty = true) Long shares,
    @GoField(value = "quota", type = GoType.INT64, omitEmpty = true) Long quota,
    @GoField(value = "period", type = GoType.UINT64, omitEmpty = true) Long period,
    @GoField(value = "realtimeRuntime", type = GoType.INT64, omitEmpty = true) Long realtimeRuntime,
    @GoField(value = "realtimePeriod", type = GoType.UINT64, omitEmpty = true) Long realtimePeriod,
    @GoField(value = "cpus", omitEmpty = true) String cpus,
    @GoField(value = "mems", omitEmpty = true) String mems) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxCpu {
    Objects.requireNonNull(cpus, "cpus");
    Objects.requireNonNull(mems, "mems");
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code LinuxCPU}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.shares = shares;
    b.quota = quota;
    b.period = period;
    b.realtimeRuntime = realtimeRuntime;
    b.realtimePeriod = realtimePeriod;
    b.cpus = cpus;
    b.mems = mems;
    return b;
  }

  /** Builds {@link LinuxCpu} values; every field starts at its Go zero value. */
  public static final class Builder {
    private Long shares;
    private Long quota;
    private Long period;
    private Long realtimeRuntime;
    private Long realtimePeriod;
    private String cpus = "";
    private String mems = "";

    private Builder() {}

    public Builder shares(Long shares) {
      this.shares = shares;
      return this;
    }

    public Builder quota(Long quota) {
      this.quota = quota;
      return this;
    }

    public Builder period(Long period) {
      this.period = period;
      return this;
    }

    public Builder realtimeRuntime(Long realtimeRuntime) {
      this.realtimeRuntime = realtimeRuntime;
      return this;
    }

    public Builder realtimePeriod(Long realtimePeriod) {
      this.realtimePeriod = realtimePeriod;
      return this;
    }

    public Builder cpus(String cpus) {
      this.cpus = cpus;
      return this;
    }

    public Builder mems(String mems) {
      this.mems = mems;
      return this;
    }

    public LinuxCpu build() {
      return new LinuxCpu(shares, quota, period, realtimeRuntime, realtimePeriod, cpus, mems);
    }
  }
}
