package org.vmm4j.persist;

import java.util.List;
import java.util.Map;

/** Expected objects of the runc and OCI goldens. */
final class GoldenCgroups {
  private GoldenCgroups() {}

  static void put(Map<String, Object> m) {
    m.put(
        "Cgroup",
        new Cgroup(
            "sb",
            "kata",
            "/kata/sb",
            "",
            Map.of("cpu", "/sys/fs/cgroup/cpu/kata/sb"),
            CgroupResources.builder()
                .allowAllDevices(false)
                .allowedDevices(
                    List.of(new CgroupDevice('c', "/dev/null", 1, 3, "rwm", 438, 0, 0, true)))
                .devices(List.of(new CgroupDevice('a', "", -1, -1, "rwm", 0, 0, 0, false)))
                .memory(-1)
                .cpuShares(2)
                .cpuQuota(-1)
                .cpuPeriod(100000)
                .cpusetCpus("0-3")
                .blkioWeight(500)
                .blkioWeightDevice(List.of(new WeightDevice(8, 0, 300, 0)))
                .blkioThrottleReadBpsDevice(List.of(new ThrottleDevice(8, 0, 1048576)))
                .blkioThrottleWriteIopsDevice(List.of())
                .freezer("THAWED")
                .hugetlbLimit(List.of(new HugepageLimit("2MB", -1L)))
                .memorySwappiness(-1L)
                .netPrioIfpriomap(List.of(new IfPrioMap("eth0", 5)))
                .netClsClassid(4294967295L)
                .cpuMax("max 100000")
                .build()));
    m.put("Cgroup-noresources", new Cgroup("", "", "", "", null, null));
    m.put("CgroupResources", CgroupResources.builder().build());
    m.put("CgroupDevice", new CgroupDevice('b', "/dev/sda", 8, 0, "rw", 25008, 0, 6, true));
    m.put("WeightDevice", new WeightDevice(8, 16, 10, 65535));
    m.put("ThrottleDevice", new ThrottleDevice(253, 0, 0));
    m.put("HugepageLimit", new HugepageLimit("1GB", 1073741824L));
    m.put("IfPrioMap", new IfPrioMap("lo", -1));
    m.put("LinuxResources", LinuxResources.builder().build());
    m.put("LinuxResources-full", linuxResources());
    m.put("LinuxDeviceCgroup", new LinuxDeviceCgroup(false, "", null, null, ""));
    m.put("LinuxMemory", LinuxMemory.builder().build());
    m.put("LinuxCpu", LinuxCpu.builder().cpus("1").build());
    m.put("LinuxPids", new LinuxPids(0));
    m.put("LinuxBlockIo", LinuxBlockIo.builder().build());
    m.put("LinuxWeightDevice", new LinuxWeightDevice(0, 0, null, null));
    m.put("LinuxThrottleDevice", new LinuxThrottleDevice(1, 2, 3));
    m.put("LinuxHugepageLimit", new LinuxHugepageLimit("2MB", 2097152));
    m.put("LinuxNetwork", new LinuxNetwork(null, null));
    m.put("LinuxInterfacePriority", new LinuxInterfacePriority("lo", 0));
    m.put("LinuxRdma", new LinuxRdma(null, null));
  }

  private static LinuxResources linuxResources() {
    return LinuxResources.builder()
        .devices(List.of(new LinuxDeviceCgroup(true, "c", 10L, 200L, "rwm")))
        .memory(new LinuxMemory(1073741824L, 0L, -1L, 0L, 0L, 0L, false))
        .cpu(new LinuxCpu(0L, 200000L, 100000L, 0L, 0L, "0", "0"))
        .pids(new LinuxPids(-1))
        .blockIo(
            LinuxBlockIo.builder()
                .weight(10L)
                .leafWeight(0L)
                .weightDevice(List.of(new LinuxWeightDevice(8, 0, 500L, null)))
                .throttleReadBpsDevice(List.of(new LinuxThrottleDevice(8, 16, 0)))
                .throttleWriteIopsDevice(List.of(new LinuxThrottleDevice(8, 16, 100)))
                .build())
        .hugepageLimits(List.of(new LinuxHugepageLimit("1GB", 0)))
        .network(new LinuxNetwork(1048577L, List.of(new LinuxInterfacePriority("eth0", 1))))
        .rdma(Map.of("mlx5_0", new LinuxRdma(3L, null), "mlx4_0", new LinuxRdma(null, null)))
        .build();
  }
}
