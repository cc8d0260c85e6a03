package org.vmm4j.persist;

import java.util.List;
import java.util.Map;
import org.vmm4j.persist.codec.GoField;

/**
 * OCI {@code specs.LinuxResources}; every field omitempty.
 *
 * <p>Go type: {@code specs.LinuxResources}. Built from Go zero values with {@link #builder()}.
 */
public record LinuxResources(
    @GoField(value = "devices", omitEmpty = true) List<LinuxDeviceCgroup> devices,
    @GoField(value = "memory", omitEmpty = true, pointer = true) LinuxMemory memory,
    @GoField(value = "cpu", omitEmpty = true, pointer = true) LinuxCpu cpu,
    @GoField(value = "pids", omitEmpty = true, pointer = true) LinuxPids pids,
    @GoField(value = "blockIO", omitEmpty = true, pointer = true) LinuxBlockIo blockIo,
    @GoField(value = "hugepageLimits", omitEmpty = true) List<LinuxHugepageLimit> hugepageLimits,
    @GoField(value = "network", omitEmpty = true, pointer = true) LinuxNetwork network,
    @GoField(value = "rdma", omitEmpty = true) Map<String, LinuxRdma> rdma) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxResources {
    devices = Copies.list(devices);
    hugepageLimits = Copies.list(hugepageLimits);
    rdma = Copies.map(rdma);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code LinuxResources}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.devices = devices;
    b.memory = memory;
    b.cpu = cpu;
    b.pids = pids;
    b.blockIo = blockIo;
    b.hugepageLimits = hugepageLimits;
    b.network = network;
    b.rdma = rdma;
    return b;
  }

  /** Builds {@link LinuxResources} values; every field starts at its Go zero value. */
  public static final class Builder {
    private List<LinuxDeviceCgroup> devices;
    private LinuxMemory memory;
    private LinuxCpu cpu;
    private LinuxPids pids;
    private LinuxBlockIo blockIo;
    private List<LinuxHugepageLimit> hugepageLimits;
    private LinuxNetwork network;
    private Map<String, LinuxRdma> rdma;

    private Builder() {}

    public Builder devices(List<LinuxDeviceCgroup> devices) {
      this.devices = devices;
      return this;
    }

    public Builder memory(LinuxMemory memory) {
      this.memory = memory;
      return this;
    }

    public Builder cpu(LinuxCpu cpu) {
      this.cpu = cpu;
      return this;
    }

    public Builder pids(LinuxPids pids) {
      this.pids = pids;
      return this;
    }

    public Builder blockIo(LinuxBlockIo blockIo) {
      this.blockIo = blockIo;
      return this;
    }

    public Builder hugepageLimits(List<LinuxHugepageLimit> hugepageLimits) {
      this.hugepageLimits = hugepageLimits;
      return this;
    }

    public Builder network(LinuxNetwork network) {
      this.network = network;
      return this;
    }

    public Builder rdma(Map<String, LinuxRdma> rdma) {
      this.rdma = rdma;
      return this;
    }

    public LinuxResources build() {
      return new LinuxResources(devices, memory, cpu, pids, blockIo, hugepageLimits, network, rdma);
    }
  }
}
