package org.vmm4j.persist;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Expected objects of the files that Kata 1.13's own Go types wrote ({@code golden/go}). */
final class GoldenSamples {
  private GoldenSamples() {}

  static void put(Map<String, Object> m) {
    m.put("go/sandbox-sample", sandbox());
    m.put("go/container-sample", container());
  }

  /** The container that Kata wrote as {@code go/container-sample}. */
  static ContainerState container() {
    return ContainerState.builder()
        .state("ready")
        .deviceMaps(List.of())
        .mounts(
            List.of(
                Mount.builder()
                    .source("shm")
                    .destination("/dev/shm")
                    .type("tmpfs")
                    .options(List.of("nosuid", "size=65536k"))
                    .build()))
        .process(
            new ContainerProcess(
                "t-1",
                900,
                OffsetDateTime.of(2021, 4, 1, 8, 0, 0, 500_000_000, ZoneOffset.ofHours(2))))
        .bundlePath("/run/b/pod-a")
        .build();
  }

  /** The sandbox that Kata wrote as {@code go/sandbox-sample}. */
  static SandboxState sandbox() {
    return SandboxState.builder()
        .persistVersion(2)
        .state("ready")
        .guestMemoryBlockSizeMb(128)
        .sandboxContainer("pod-a")
        .cgroupPaths(Map.of())
        .devices(List.of(device()))
        .hypervisorState(
            HypervisorState.builder()
                .pid(777)
                .type("qemu")
                .blockIndexMap(Set.of(0L))
                .uuid("0f0e0d0c-0b0a-4908-8706-050403020100")
                .bridges(
                    List.of(
                        new Bridge(Map.of(), "pci", "pci-bridge-0", 2),
                        new Bridge(Map.of(2L, "tap0_kata"), "pci", "pci-bridge-1", 3)))
                .hotpluggedVcpus(List.of())
                .build())
        .agentState(new AgentState(777, "/run/vc/vm/pod-a/kata.sock"))
        .network(
            new NetworkInfo("/var/run/netns/pod-a", 0, false, List.of(NetworkEndpoint.of(veth()))))
        .config(config())
        .build();
  }

  static DeviceState device() {
    return DeviceState.builder()
        .id("blk-a")
        .type("block")
        .refCount(1)
        .attachCount(1)
        .devType("b")
        .major(7)
        .minor(3)
        .driverOptions(Map.of("block-driver", "virtio-scsi"))
        .blockDrive(
            BlockDrive.builder()
                .file("/var/lib/disk-a.img")
                .format("qcow2")
                .id("drive-0011223344556677")
                .scsiAddr("0:0")
                .virtPath("/dev/sda")
                .build())
        .build();
  }

  static VethEndpoint veth() {
    return new VethEndpoint(
        new NetworkInterfacePair(
            new TapInterface(
                "veth-1", "br0_kata", new NetworkInterface("tap0_kata", "0a:58:c0:a8:07:0b", null)),
            new NetworkInterface(
                "eth0",
                "0a:58:c0:a8:07:0a",
                List.of(
                    NetlinkAddr.builder()
                        .ipNet(new IpNet(NetIp.parse("192.168.7.10"), IpMask.cidr(24, 32)))
                        .build())),
            2));
  }

  private static SandboxConfig config() {
    return SandboxConfig.builder()
        .hypervisorType("qemu")
        .hypervisorConfig(
            HypervisorConfig.builder()
                .numVcpus(1)
                .defaultMaxVcpus(2)
                .memorySize(512)
                .defaultBridges(2)
                .msize9p(8192)
                .memSlots(10)
                .kernelPath("/opt/k/vmlinux")
                .initrdPath("/opt/k/initrd.img")
                .hypervisorPath("/usr/bin/qemu-system-x86_64")
                .blockDeviceDriver("virtio-scsi")
                .hypervisorMachineType("pc")
                .entropySource("/dev/urandom")
                .sharedFs("virtio-9p")
                .enableAnnotations(List.of())
                .build())
        .agentType("kata")
        .kataAgentConfig(new KataAgentConfig(true, false))
        .proxyType("kataBuiltInProxy")
        .proxyConfig(new ProxyConfig("", false))
        .shimType("kataShim")
        .networkConfig(new NetworkConfig("/var/run/netns/pod-a", false, false, 2))
        .stateful(true)
        .containerConfigs(
            List.of(
                new ContainerConfig(
                    "pod-a",
                    Map.of("io.kubernetes.cri.sandbox-id", "pod-a"),
                    "/run/k/pod-a/rootfs",
                    LinuxResources.builder().build())))
        .build();
  }
}
