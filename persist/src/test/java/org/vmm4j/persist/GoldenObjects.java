package org.vmm4j.persist;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The objects that the golden files under {@code golden/types} and {@code golden/go} decode to. */
final class GoldenObjects {
  private GoldenObjects() {}

  private static final NetworkInterface EMPTY_IFACE = new NetworkInterface("", "", null);

  static Map<String, Object> all() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("AgentState", new AgentState(-1, ""));
    m.put(
        "BlockDrive",
        BlockDrive.builder()
            .file("/dev/loop0")
            .format("raw")
            .id("drive-0123456789abcdef")
            .index(27)
            .pciPath(PciPath.of(2, 1))
            .virtPath("/dev/vdab")
            .build());
    m.put(
        "BlockDrive-scsi",
        BlockDrive.builder()
            .file("/var/lib/d.img")
            .format("qcow2")
            .id("drive-ffffffffffffffff")
            .index(257)
            .scsiAddr("1:1")
            .pmem(true)
            .build());
    m.put(
        "Bridge",
        new Bridge(
            Map.of(1L, "virtio-drive-1", 10L, "tap0_kata", 2L, "vhost-user-fs"),
            "pci",
            "pci-bridge-0",
            2));
    m.put("Bridge-nil", new Bridge(null, "pcie-root-port", "rp1", 31));
    m.put(
        "BridgedMacvlanEndpoint",
        new BridgedMacvlanEndpoint(
            new NetworkInterfacePair(
                new TapInterface(
                    "9f6f0c57-6a3b-4a38-b0c5-e8cda20b3d66",
                    "br1_kata",
                    new NetworkInterface("tap1_kata", "", null)),
                new NetworkInterface("eth1", "02:42:ac:11:00:02", List.of()),
                0)));
    m.put("CpuDevice", new CpuDevice("cpu-2"));
    m.put(
        "ContainerConfig",
        new ContainerConfig(
            "c1",
            null,
            "/run/k/c1/rootfs",
            LinuxResources.builder()
                .devices(List.of(new LinuxDeviceCgroup(false, "", null, null, "rwm")))
                .memory(LinuxMemory.builder().limit(536870912L).build())
                .cpu(LinuxCpu.builder().shares(1024L).quota(-1L).cpus("0-1").build())
                .build()));
    m.put(
        "ContainerState",
        ContainerState.builder()
            .state("running")
            .rootfs(new RootfsState("blk-1", "ext4"))
            .cgroupPath("/kata/c1")
            .deviceMaps(List.of(new DeviceMap("blk-1", "/dev/xvda", 67109296L, 0, 6)))
            .process(
                new ContainerProcess(
                    "", 0, OffsetDateTime.of(2021, 5, 5, 10, 11, 12, 123456789, ZoneOffset.UTC)))
            .build());
    m.put("ContainerState-zero", ContainerState.builder().build());
    m.put("DeviceMap", new DeviceMap("vfio-1", "/dev/vfio/12", 438, 4294967295L, 1000));
    m.put(
        "DeviceState",
        DeviceState.builder()
            .id("vfio-0")
            .type("vfio")
            .refCount(1)
            .attachCount(-1L)
            .devType("c")
            .major(241)
            .coldPlug(true)
            .vfioDevs(
                List.of(
                    new VfioDev("vfio-0a", 1, "0000:01:00.0", "/sys/bus/pci/devices/0000:01:00.0")))
            .build());
    m.put(
        "DeviceState-vhost",
        DeviceState.builder()
            .id("vhu-0")
            .type("vhost-user-blk-pci")
            .devType("b")
            .major(-1)
            .driverOptions(Map.of())
            .vhostUserDev(
                new VhostUserDeviceAttrs(
                    "0123456789abcdef",
                    "/tmp/vhu.sock",
                    "vhost-user-blk-pci",
                    "",
                    PciPath.of(1, 0x1f),
                    -1))
            .build());
    m.put("HypervisorConfig", hypervisorConfig());
    m.put(
        "HypervisorState",
        HypervisorState.builder()
            .pid(1234)
            .type("qemu")
            .blockIndexMap(Set.of(0L, 1L, 2L, 10L))
            .uuid("8d4c2c11-8e0c-4f2f-a5a5-3b5c1b4a0d77")
            .bridges(
                List.of(
                    new Bridge(Map.of(1L, "virtio-drive-0"), "pci", "pci-bridge-0", 2),
                    new Bridge(Map.of(), "pcie-root-port", "rp0", 5)))
            .hotpluggedVcpus(List.of(new CpuDevice("cpu-1")))
            .hotpluggedMemory(1024)
            .hotplugVfioOnRootBus(true)
            .pcieRootPort(2)
            .build());
    m.put("HypervisorState-zero", HypervisorState.builder().build());
    m.put("IpVlanEndpoint", new IpVlanEndpoint(pair("", "", "", "", 2)));
    m.put("KataAgentConfig", new KataAgentConfig(true, true));
    m.put("MacvtapEndpoint", new MacvtapEndpoint(PciPath.NIL));
    m.put("MacvtapEndpoint-known", new MacvtapEndpoint(PciPath.of(3)));
    m.put(
        "Mount",
        Mount.builder()
            .source("/run/x")
            .destination("/etc/hosts")
            .type("bind")
            .options(List.of("rbind", "ro"))
            .hostPath("/run/kata/shared/c1-hosts")
            .readOnly(true)
            .build());
    m.put("NetworkConfig", new NetworkConfig("/var/run/netns/cni-1", true, false, 1));
    networkEndpoints(m);
    m.put("NetworkInfo", new NetworkInfo("", 0, false, null));
    m.put("NetworkInterface", networkInterface());
    m.put(
        "NetworkInterfacePair",
        new NetworkInterfacePair(
            new TapInterface("p", "br0_kata", new NetworkInterface("tap0_kata", "", null)),
            new NetworkInterface("eth0", "", null),
            3));
    m.put("NetlinkAddr", NetlinkAddr.builder().build());
    m.put(
        "NetlinkAddr-nilip",
        NetlinkAddr.builder()
            .ipNet(new IpNet(NetIp.NIL, IpMask.of(new byte[0])))
            .label("lo")
            .scope(254)
            .build());
    m.put("IpNet", new IpNet(NetIp.parse("192.168.1.1"), IpMask.cidr(24, 32)));
    m.put("PhysicalEndpoint", new PhysicalEndpoint("0000:00:1f.6", "e1000e", "0x8086 0x15bb"));
    m.put("ContainerProcess", new ContainerProcess("t", -5, GoTime.ZERO));
    m.put(
        "ContainerProcess-offset",
        new ContainerProcess(
            "",
            4194304,
            OffsetDateTime.of(
                2020, 2, 29, 23, 59, 59, 10_000_000, ZoneOffset.ofHoursMinutes(-7, -30))));
    m.put("ProxyConfig", new ProxyConfig("/usr/libexec/kata-containers/kata-proxy", true));
    m.put("RootfsState", new RootfsState("", ""));
    m.put("SandboxConfig", sandboxConfig());
    m.put("SandboxState-zero", SandboxState.builder().build());
    m.put("ShimConfig", new ShimConfig("/usr/libexec/kata-containers/kata-shim", false));
    m.put(
        "TapEndpoint",
        new TapEndpoint(
            new TapInterface("", "tap5_kata", new NetworkInterface("tap5_kata", "", null))));
    m.put("TapInterface", new TapInterface("i", "n", new NetworkInterface("t", "h", List.of())));
    m.put(
        "TuntapEndpoint",
        new TuntapEndpoint(new TuntapInterface("tt", new NetworkInterface("tt", "", null))));
    m.put("TuntapInterface", new TuntapInterface("tt", new NetworkInterface("tt", "", null)));
    m.put("VfioDev", new VfioDev("vfio-x", 0, "", ""));
    m.put("VethEndpoint", new VethEndpoint(pair("", "", "", "", 0)));
    m.put(
        "VhostUserDeviceAttrs",
        new VhostUserDeviceAttrs(
            "fs0", "/run/vc/vm/a/vhost-fs.sock", "vhost-user-fs-pci", "", PciPath.NIL, 0));
    m.put("VhostUserEndpoint", new VhostUserEndpoint("eth9", PciPath.NIL));
    GoldenCgroups.put(m);
    GoldenSamples.put(m);
    return m;
  }

  static NetworkInterfacePair pair(String id, String name, String tap, String virt, long model) {
    return new NetworkInterfacePair(
        new TapInterface(id, name, new NetworkInterface(tap, "", null)),
        new NetworkInterface(virt, "", null),
        model);
  }

  private static void networkEndpoints(Map<String, Object> m) {
    m.put(
        "NetworkEndpoint-physical",
        NetworkEndpoint.of(new PhysicalEndpoint("0000:3b:00.1", "i40e", "0x8086 0x1572")));
    m.put(
        "NetworkEndpoint-vhostuser",
        NetworkEndpoint.of(new VhostUserEndpoint("eth0", PciPath.of(2, 4))));
    m.put("NetworkEndpoint-macvtap", NetworkEndpoint.of(new MacvtapEndpoint(PciPath.NIL)));
    m.put(
        "NetworkEndpoint-tap",
        NetworkEndpoint.of(
            new TapEndpoint(
                new TapInterface(
                    "uuid-1",
                    "tap0_kata",
                    new NetworkInterface("tap0_kata", "de:ad:be:ef:00:01", null)))));
    m.put(
        "NetworkEndpoint-tuntap",
        NetworkEndpoint.of(
            new TuntapEndpoint(
                new TuntapInterface("tap2_kata", new NetworkInterface("tap2_kata", "", null)))));
    m.put(
        "NetworkEndpoint-ipvlan",
        NetworkEndpoint.of(new IpVlanEndpoint(pair("", "br3_kata", "tap3_kata", "eth3", 2))));
    m.put(
        "NetworkEndpoint-macvlan",
        NetworkEndpoint.of(
            new BridgedMacvlanEndpoint(pair("", "br4_kata", "tap4_kata", "eth4", 1))));
    m.put("NetworkEndpoint", NetworkEndpoint.builder().build());
  }

  private static NetworkInterface networkInterface() {
    return new NetworkInterface(
        "eth0",
        "0a:58:0a:58:00:05",
        List.of(
            NetlinkAddr.builder()
                .ipNet(new IpNet(NetIp.parse("10.88.0.5"), IpMask.cidr(16, 32)))
                .label("eth0")
                .flags(128)
                .broadcast(NetIp.parse("10.88.255.255"))
                .preferedLft(4294967295L)
                .validLft(4294967295L)
                .build(),
            NetlinkAddr.builder()
                .ipNet(new IpNet(NetIp.parse("fd00::5"), IpMask.cidr(64, 128)))
                .scope(253)
                .peer(new IpNet(NetIp.parse("fd00::1"), null))
                .build()));
  }

  private static HypervisorConfig hypervisorConfig() {
    return HypervisorConfig.builder()
        .numVcpus(1)
        .defaultMaxVcpus(240)
        .memorySize(4294967295L)
        .defaultBridges(1)
        .msize9p(8192)
        .memSlots(10)
        .virtioFsCacheSize(1024)
        .kernelPath("/usr/share/kata-containers/vmlinux.container")
        .imagePath("/usr/share/kata-containers/kata-containers.img")
        .machineAccelerators("nvdimm=on")
        .cpuFeatures("pmu=off")
        .hypervisorPath("/usr/bin/qemu-system-x86_64")
        .hypervisorPathList(List.of("/usr/bin/qemu-system-x86_64"))
        .hypervisorCtlPathList(List.of())
        .blockDeviceDriver("virtio-blk")
        .hypervisorMachineType("q35")
        .entropySource("/dev/urandom")
        .sharedFs("virtio-fs")
        .virtioFsDaemon("/usr/libexec/virtiofsd")
        .virtioFsDaemonList(List.of("/usr/libexec/virtiofsd"))
        .virtioFsCache("auto")
        .virtioFsExtraArgs(List.of("--thread-pool-size=1"))
        .blockDeviceCacheSet(true)
        .blockDeviceCacheDirect(true)
        .enableIoThreads(true)
        .debug(true)
        .hugePages(true)
        .mlock(true)
        .useVsock(true)
        .pcieRootPort(2)
        .disableVhostNet(true)
        .vhostUserStorePath("/var/run/kata-containers/vhost-user")
        .enableAnnotations(List.of(".*"))
        .build();
  }

  private static SandboxConfig sandboxConfig() {
    return SandboxConfig.builder()
        .agentType("noop")
        .proxyType("kataProxy")
        .proxyConfig(new ProxyConfig("/usr/libexec/kata-containers/kata-proxy", false))
        .shimType("kataShim")
        .kataShimConfig(new ShimConfig("/usr/libexec/kata-containers/kata-shim", true))
        .networkConfig(new NetworkConfig("", false, true, 0))
        .shmSize(67108864)
        .sharePidNs(true)
        .systemdCgroup(true)
        .sandboxCgroupOnly(true)
        .enableAgentPidNs(true)
        .disableGuestSeccomp(true)
        .experimental(List.of("newstore"))
        .cgroups(new Cgroup("", "", "", "", null, null))
        .build();
  }
}
