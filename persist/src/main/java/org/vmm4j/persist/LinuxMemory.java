package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxMemory}.
 *
 * <p>Go type: {@code specs.LinuxMemory}. Built from Go zero values with {@link #builder()}.
 */
public record LinuxMemory(
    @GoField(value = "limit", type = GoType.INT64, omitEmpty = true) Long limit,
    @GoField(value = "reservation", type = GoType.INT64, omitEmpty = true) Long reservation,
    @GoField(value = "swap", type = GoType.INT64, omitEmpty = true) Long swap,
    @GoField(value = "kernel", type = GoType.INT64, omitEmpty = true) Long kernel,
    @GoField(value = "kernelTCP", type = GoType.INT64, omitEmpty = true) Long kernelTcp,
    @GoField(value = "swappiness", type = GoType.UINT64, omitEmpty = true) Long swappiness,
    @GoField(value = "disableOOMKiller", omitEmpty = true) Boolean disableOomKiller) {

  /** A builder starting from Go zero values (what Go writes for a zero {@code LinuxMemory}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.limit = limit;
    b.reservation = reservation;
    b.swap = swap;
    b.kernel = kernel;
    b.kernelTcp = kernelTcp;
    b.swappiness = swappiness;
    b.disableOomKiller = disableOomKiller;
    return b;
  }

  /** Builds {@link LinuxMemory} values; every field starts at its Go zero value. */
  public static final class Builder {
    private Long limit;
    private Long reservation;
    private Long swap;
    private Long kernel;
    private Long kernelTcp;
    private Long swappiness;
    private Boolean disableOomKiller;

    private Builder() {}

    public Builder limit(Long limit) {
      this.limit = limit;
      return this;
    }

    public Builder reservation(Long reservation) {
      this.reservation = reservation;
      return this;
    }

    public Builder swap(Long swap) {
      this.swap = swap;
      return this;
    }

    public Builder kernel(Long kernel) {
      this.kernel = kernel;
      return this;
    }

    public Builder kernelTcp(Long kernelTcp) {
      this.kernelTcp = kernelTcp;
      return this;
    }

    public Builder swappiness(Long swappiness) {
      this.swappiness = swappiness;
      return this;
    }

    public Builder disableOomKiller(Boolean disableOomKiller) {
      this.disableOomKiller = disableOomKiller;
      return this;
    }

    public LinuxMemory build() {
      return new LinuxMemory(
          limit, reservation, swap, kernel, kernelTcp, swappiness, disableOomKiller);
    }
  }
}
