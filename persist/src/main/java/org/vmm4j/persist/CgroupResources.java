package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * runc {@code configs.Resources}.
 *
 * <p>Go type: {@code configs.Resources}. Built from Go zero values with {@link #builder()}.
 */
public record CgroupResources(
    @GoField(value = "allow_all_devices", omitEmpty = true) Boolean allowAllDevices,
    @GoField(value = "allowed_devices", omitEmpty = true) List<CgroupDevice> allowedDevices,
    @GoField(value = "denied_devices", omitEmpty = true) List<CgroupDevice> deniedDevices,
    @GoField("devices") List<CgroupDevice> devices,
    @GoField(value = "memory", type = GoType.INT64) long memory,
    @GoField(value = "memory_reservation", type = GoType.INT64) long memoryReservation,
    @GoField(value = "memory_swap", type = GoType.INT64) long memorySwap,
    @GoField(value = "kernel_memory", type = GoType.INT64) long kernelMemory,
    @GoField(value = "kernel_memory_tcp", type = GoType.INT64) long kernelMemoryTcp,
    @GoField(value = "cpu_shares", type = GoType.UINT64) long cpuShares,
    @GoField(value = "cpu_quota", type = GoType.INT64) long cpuQuota,
    @GoField(value = "cpu_period", type = GoType.UINT64) long cpuPeriod,
    @GoField(value = "cpu_rt_quota", type = GoType.INT64) long cpuRtRuntime,
    @GoField(value = "cpu_rt_period", type = GoType.UINT64) long cpuRtPeriod,
    @GoField("cpuset_cpus") String cpusetCpus,
    @GoField("cpuset_mems") String cpusetMems,
    @GoField(value = "pids_limit", type = GoType.INT64) long pidsLimit,
    @GoField(value = "blkio_weight", type = GoType.UINT16) long blkioWeight,
    @GoField(value = "blkio_leaf_weight", type = GoType.UINT16) long blkioLeafWeight,
    @GoField("blkio_weight_device") List<WeightDevice> blkioWeightDevice,
    @GoField("blkio_throttle_read_bps_device") List<ThrottleDevice> blkioThrottleReadBpsDevice,
    @GoField("blkio_throttle_write_bps_device") List<ThrottleDevice> blkioThrottleWriteBpsDevice,
    @GoField("blkio_throttle_read_iops_device") List<ThrottleDevice> blkioThrottleReadIopsDevice,
    @GoField("blkio_throttle_write_iops_device") List<ThrottleDevice> blkioThrottleWriteIopsDevice,
    @GoField("freezer") String freezer,
    @GoField("hugetlb_limit") List<HugepageLimit> hugetlbLimit,
    @GoField("oom_kill_disable") boolean oomKillDisable,
    @GoField(value = "memory_swappiness", type = GoType.UINT64) Long memorySwappiness,
    @GoField("net_prio_ifpriomap") List<IfPrioMap> netPrioIfpriomap,
    @GoField(value = "net_cls_classid_u", type = GoType.UINT32) long netClsClassid,
    @GoField(value = "cpu_weight", type = GoType.UINT64) long cpuWeight,
    @GoField("cpu_max") String cpuMax) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public CgroupResources {
    Objects.requireNonNull(cpusetCpus, "cpuset_cpus");
    Objects.requireNonNull(cpusetMems, "cpuset_mems");
    Objects.requireNonNull(freezer, "freezer");
    Objects.requireNonNull(cpuMax, "cpu_max");
    allowedDevices = Copies.list(allowedDevices);
    deniedDevices = Copies.list(deniedDevices);
    devices = Copies.list(devices);
    blkioWeightDevice = Copies.list(blkioWeightDevice);
    blkioThrottleReadBpsDevice = Copies.list(blkioThrottleReadBpsDevice);
    blkioThrottleWriteBpsDevice = Copies.list(blkioThrottleWriteBpsDevice);
    blkioThrottleReadIopsDevice = Copies.list(blkioThrottleReadIopsDevice);
    blkioThrottleWriteIopsDevice = Copies.list(blkioThrottleWriteIopsDevice);
    hugetlbLimit = Copies.list(hugetlbLimit);
    netPrioIfpriomap = Copies.list(netPrioIfpriomap);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code Resources}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowAllDevices = allowAllDevices;
    b.allowedDevices = allowedDevices;
    b.deniedDevices = deniedDevices;
    b.devices = devices;
    b.memory = memory;
    b.memoryReservation = memoryReservation;
    b.memorySwap = memorySwap;
    b.kernelMemory = kernelMemory;
    b.kernelMemoryTcp = kernelMemoryTcp;
    b.cpuShares = cpuShares;
    b.cpuQuota = cpuQuota;
    b.cpuPeriod = cpuPeriod;
    b.cpuRtRuntime = cpuRtRuntime;
    b.cpuRtPeriod = cpuRtPeriod;
    b.cpusetCpus = cpusetCpus;
    b.cpusetMems = cpusetMems;
    b.pidsLimit = pidsLimit;
    b.blkioWeight = blkioWeight;
    b.blkioLeafWeight = blkioLeafWeight;
    b.blkioWeightDevice = blkioWeightDevice;
    b.blkioThrottleReadBpsDevice = blkioThrottleReadBpsDevice;
    b.blkioThrottleWriteBpsDevice = blkioThrottleWriteBpsDevice;
    b.blkioThrottleReadIopsDevice = blkioThrottleReadIopsDevice;
    b.blkioThrottleWriteIopsDevice = blkioThrottleWriteIopsDevice;
    b.freezer = freezer;
    b.hugetlbLimit = hugetlbLimit;
    b.oomKillDisable = oomKillDisable;
    b.memorySwappiness = memorySwappiness;
    b.netPrioIfpriomap = netPrioIfpriomap;
    b.netClsClassid = netClsClassid;
    b.cpuWeight = cpuWeight;
    b.cpuMax = cpuMax;
    return b;
  }

  /** Builds {@link CgroupResources} values; every field starts at its Go zero value. */
  public static final class Builder {
    private Boolean allowAllDevices;
    private List<CgroupDevice> allowedDevices;
    private List<CgroupDevice> deniedDevices;
    private List<CgroupDevice> devices;
    private long memory;
    private long memoryReservation;
    private long memorySwap;
    private long kernelMemory;
    private long kernelMemoryTcp;
    private long cpuShares;
    private long cpuQuota;
    private long cpuPeriod;
    private long cpuRtRuntime;
    private long cpuRtPeriod;
    private String cpusetCpus = "";
    private String cpusetMems = "";
    private long pidsLimit;
    private long blkioWeight;
    private long blkioLeafWeight;
    private List<WeightDevice> blkioWeightDevice;
    private List<ThrottleDevice> blkioThrottleReadBpsDevice;
    private List<ThrottleDevice> blkioThrottleWriteBpsDevice;
    private List<ThrottleDevice> blkioThrottleReadIopsDevice;
    private List<ThrottleDevice> blkioThrottleWriteIopsDevice;
    private String freezer = "";
    private List<HugepageLimit> hugetlbLimit;
    private boolean oomKillDisable;
    private Long memorySwappiness;
    private List<IfPrioMap> netPrioIfpriomap;
    private long netClsClassid;
    private long cpuWeight;
    private String cpuMax = "";

    private Builder() {}

    public Builder allowAllDevices(Boolean allowAllDevices) {
      this.allowAllDevices = allowAllDevices;
      return this;
    }

    public Builder allowedDevices(List<CgroupDevice> allowedDevices) {
      this.allowedDevices = allowedDevices;
      return this;
    }

    public Builder deniedDevices(List<CgroupDevice> deniedDevices) {
      this.deniedDevices = deniedDevices;
      return this;
    }

    public Builder devices(List<CgroupDevice> devices) {
      this.devices = devices;
      return this;
    }

    public Builder memory(long memory) {
      this.memory = memory;
      return this;
    }

    public Builder memoryReservation(long memoryReservation) {
      this.memoryReservation = memoryReservation;
      return this;
    }

    public Builder memorySwap(long memorySwap) {
      this.memorySwap = memorySwap;
      return this;
    }

    public Builder kernelMemory(long kernelMemory) {
      this.kernelMemory = kernelMemory;
      return this;
    }

    public Builder kernelMemoryTcp(long kernelMemoryTcp) {
      this.kernelMemoryTcp = kernelMemoryTcp;
      return this;
    }

    public Builder cpuShares(long cpuShares) {
      this.cpuShares = cpuShares;
      return this;
    }

    public Builder cpuQuota(long cpuQuota) {
      this.cpuQuota = cpuQuota;
      return this;
    }

    public Builder cpuPeriod(long cpuPeriod) {
      this.cpuPeriod = cpuPeriod;
      return this;
    }

    public Builder cpuRtRuntime(long cpuRtRuntime) {
      this.cpuRtRuntime = cpuRtRuntime;
      return this;
    }

    public Builder cpuRtPeriod(long cpuRtPeriod) {
      this.cpuRtPeriod = cpuRtPeriod;
      return this;
    }

    public Builder cpusetCpus(String cpusetCpus) {
      this.cpusetCpus = cpusetCpus;
      return this;
    }

    public Builder cpusetMems(String cpusetMems) {
      this.cpusetMems = cpusetMems;
      return this;
    }

    public Builder pidsLimit(long pidsLimit) {
      this.pidsLimit = pidsLimit;
      return this;
    }

    public Builder blkioWeight(long blkioWeight) {
      this.blkioWeight = blkioWeight;
      return this;
    }

    public Builder blkioLeafWeight(long blkioLeafWeight) {
      this.blkioLeafWeight = blkioLeafWeight;
      return this;
    }

    public Builder blkioWeightDevice(List<WeightDevice> blkioWeightDevice) {
      this.blkioWeightDevice = blkioWeightDevice;
      return this;
    }

    public Builder blkioThrottleReadBpsDevice(List<ThrottleDevice> blkioThrottleReadBpsDevice) {
      this.blkioThrottleReadBpsDevice = blkioThrottleReadBpsDevice;
      return this;
    }

    public Builder blkioThrottleWriteBpsDevice(List<ThrottleDevice> blkioThrottleWriteBpsDevice) {
      this.blkioThrottleWriteBpsDevice = blkioThrottleWriteBpsDevice;
      return this;
    }

    public Builder blkioThrottleReadIopsDevice(List<ThrottleDevice> blkioThrottleReadIopsDevice) {
      this.blkioThrottleReadIopsDevice = blkioThrottleReadIopsDevice;
      return this;
    }

    public Builder blkioThrottleWriteIopsDevice(List<ThrottleDevice> blkioThrottleWriteIopsDevice) {
      this.blkioThrottleWriteIopsDevice = blkioThrottleWriteIopsDevice;
      return this;
    }

    public Builder freezer(String freezer) {
      this.freezer = freezer;
      return this;
    }

    public Builder hugetlbLimit(List<HugepageLimit> hugetlbLimit) {
      this.hugetlbLimit = hugetlbLimit;
      return this;
    }

    public Builder oomKillDisable(boolean oomKillDisable) {
      this.oomKillDisable = oomKillDisable;
      return this;
    }

    public Builder memorySwappiness(Long memorySwappiness) {
      this.memorySwappiness = memorySwappiness;
      return this;
    }

    public Builder netPrioIfpriomap(List<IfPrioMap> netPrioIfpriomap) {
      this.netPrioIfpriomap = netPrioIfpriomap;
      return this;
    }

    public Builder netClsClassid(long netClsClassid) {
      this.netClsClassid = netClsClassid;
      return this;
    }

    public Builder cpuWeight(long cpuWeight) {
      this.cpuWeight = cpuWeight;
      return this;
    }

    public Builder cpuMax(String cpuMax) {
      this.cpuMax = cpuMax;
      return this;
    }

    public CgroupResources build() {
      return new CgroupResources(
          allowAllDevices,
          allowedDevices,
          deniedDevices,
          devices,
          memory,
          memoryReservation,
          memorySwap,
          kernelMemory,
          kernelMemoryTcp,
          cpuShares,
          cpuQuota,
          cpuPeriod,
          cpuRtRuntime,
          cpuRtPeriod,
          cpusetCpus,
          cpusetMems,
          pidsLimit,
          blkioWeight,
          blkioLeafWeight,
          blkioWeightDevice,
          blkioThrottleReadBpsDevice,
          blkioThrottleWriteBpsDevice,
          blkioThrottleReadIopsDevice,
          blkioThrottleWriteIopsDevice,
          freezer,
          hugetlbLimit,
          oomKillDisable,
          memorySwappiness,
          netPrioIfpriomap,
          netClsClassid,
          cpuWeight,
          cpuMax);
    }
  }
}
