package org.vmm4j.testing.persist;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerProcess;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorConfig;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.IpMask;
import org.vmm4j.persist.IpNet;
import org.vmm4j.persist.KataAgentConfig;
import org.vmm4j.persist.LinuxResources;
import org.vmm4j.persist.Mount;
import org.vmm4j.persist.NetIp;
import org.vmm4j.persist.NetlinkAddr;
import org.vmm4j.persist.NetworkConfig;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.NetworkInterface;
import org.vmm4j.persist.NetworkInterfacePair;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.ProxyConfig;
import org.vmm4j.persist.RootfsState;
import org.vmm4j.persist.SandboxConfig;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.TapInterface;
import org.vmm4j.persist.VethEndpoint;

/**
 * Realistic persisted states for tests and benchmarks: a q35 sandbox with block devices on
 * pci-bridges, veth endpoints with addresses, and running containers, as Kata 1.13's schema holds
 * them.
 */
public final class SampleStates {
  private SampleStates() {}

  /** A running sandbox with {@code devices} block devices and {@code endpoints} veth endpoints. */
  public static SandboxState sandbox(String sid, int devices, int endpoints) {
    List<DeviceState> devs = new ArrayList<>();
    Set<Long> indexes = new HashSet<>();
    Map<Long, String> bridge0 = new LinkedHashMap<>();
    Map<Long, String> bridge1 = new LinkedHashMap<>();
    for (int i = 0; i < devices; i++) {
      devs.add(blockDevice(i));
      indexes.add((long) i);
      (i < 30 ? bridge0 : bridge1).put((long) (i % 30) + 1, "virtio-drive-" + i);
    }
    List<NetworkEndpoint> eps = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      eps.add(NetworkEndpoint.of(veth(i)));
    }
    return SandboxState.builder()
        .persistVersion(PersistCodec.CURRENT_PERSIST_VERSION)
        .state("running")
        .guestMemoryBlockSizeMb(128)
        .sandboxContainer(sid)
        .cgroupPath("/vc/" + sid)
        .cgroupPaths(Map.of())
        .devices(devs)
        .hypervisorState(
            HypervisorState.builder()
                .pid(4242)
                .type("qemu")
                .blockIndexMap(indexes)
                .uuid("0f0e0d0c-0b0a-4908-8706-050403020100")
                .bridges(
                    List.of(
                        new Bridge(bridge0, "pci", "pci-bridge-0", 2),
                        new Bridge(bridge1, "pci", "pci-bridge-1", 3)))
                .hotpluggedVcpus(List.of(new CpuDevice("cpu-1")))
                .hotpluggedMemory(512)
                .build())
        .agentState(new AgentState(4242, "/run/vc/vm/" + sid + "/kata.sock"))
        .network(new NetworkInfo("/var/run/netns/" + sid, 0, false, eps))
        .config(config(sid))
        .build();
  }

  /** A running container whose process started at a time derived from {@code n}. */
  public static ContainerState container(String cid, long n) {
    return ContainerState.builder()
        .state("running")
        .rootfs(new RootfsState("", "overlay"))
        .cgroupPath("/vc/" + cid)
        .deviceMaps(List.of(new DeviceMap("blk-0", "/dev/xvda", 0660L | (1L << 26), 0, 6)))
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
                cid + "-" + n,
                (int) (1000 + n % 30000),
                OffsetDateTime.of(
                    2021, 4, 1, 8, 0, 0, (int) (n % 1000) * 1_000_000, ZoneOffset.ofHours(2))))
        .bundlePath("/run/containerd/io.containerd.runtime.v2.task/k8s.io/" + cid)
        .build();
  }

  private static DeviceState blockDevice(int i) {
    return DeviceState.builder()
        .id("blk-" + i)
        .type("block")
        .refCount(1)
        .attachCount(1)
        .devType("b")
        .major(7)
        .minor(i)
        .driverOptions(Map.of("block-driver", "virtio-blk"))
        .blockDrive(
            BlockDrive.builder()
                .file("/var/lib/vmm4j/disk-" + i + ".img")
                .format("raw")
                .id(String.format("drive-%016x", 0x1000L + i))
                .index(i)
                .pciPath(PciPath.of(i < 30 ? 2 : 3, i % 30 + 1))
                .virtPath("/dev/vd" + (char) ('a' + i % 26))
                .build())
        .build();
  }

  private static VethEndpoint veth(int i) {
    return new VethEndpoint(
        new NetworkInterfacePair(
            new TapInterface(
                String.format("9f6f0c57-6a3b-4a38-b0c5-%012x", i),
                "br" + i + "_kata",
                new NetworkInterface(
                    "tap" + i + "_kata", String.format("0a:58:0a:58:00:%02x", i), null)),
            new NetworkInterface(
                "eth" + i,
                String.format("02:42:ac:11:00:%02x", i),
                List.of(
                    NetlinkAddr.builder()
                        .ipNet(new IpNet(NetIp.parse("10.88." + i + ".5"), IpMask.cidr(16, 32)))
                        .label("eth" + i)
                        .broadcast(NetIp.parse("10.88.255.255"))
                        .preferedLft(4294967295L)
                        .validLft(4294967295L)
                        .build())),
            2));
  }

  private static SandboxConfig config(String sid) {
    return SandboxConfig.builder()
        .hypervisorType("qemu")
        .hypervisorConfig(
            HypervisorConfig.builder()
                .numVcpus(1)
                .defaultMaxVcpus(4)
                .memorySize(2048)
                .defaultBridges(2)
                .msize9p(8192)
                .memSlots(10)
                .kernelPath("/usr/share/kata-containers/vmlinux.container")
                .initrdPath("/usr/share/kata-containers/kata-containers-initrd.img")
                .hypervisorPath("/usr/bin/qemu-system-x86_64")
                .blockDeviceDriver("virtio-blk")
                .hypervisorMachineType("q35")
                .entropySource("/dev/urandom")
                .sharedFs("virtio-9p")
                .enableAnnotations(List.of(".*"))
                .build())
        .agentType("kata")
        .kataAgentConfig(new KataAgentConfig(true, false))
        .proxyType("kataBuiltInProxy")
        .proxyConfig(new ProxyConfig("", false))
        .shimType("kataShim")
        .networkConfig(new NetworkConfig("/var/run/netns/" + sid, false, false, 2))
        .stateful(true)
        .containerConfigs(
            List.of(
                new ContainerConfig(
                    sid,
                    Map.of(
                        "io.kubernetes.cri.sandbox-id",
                        sid,
                        "io.kubernetes.cri.container-type",
                        "sandbox"),
                    "/run/kata-containers/shared/containers/" + sid + "/rootfs",
                    LinuxResources.builder().build())))
        .build();
  }
}
