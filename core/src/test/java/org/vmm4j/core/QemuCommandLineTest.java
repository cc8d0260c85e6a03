package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.AssetConfigs.imageConfig;
import static org.vmm4j.core.AssetConfigs.initrdConfig;
import static org.vmm4j.core.AssetConfigs.paths;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.testing.qemu.TestAssets;

/** Properties of the command line beyond the golden files: Kata's strings, decisions, errors. */
class QemuCommandLineTest {
  static final HostCapabilities KVM = new HostCapabilities(true, true, false, false, 1000);
  static final HostCapabilities TCG = new HostCapabilities(false, true, false, false, 1000);

  @TempDir Path dir;
  TestAssets a;

  @BeforeEach
  void assets() {
    a = TestAssets.create(dir);
  }

  private QemuCommandLine build(HypervisorConfig b, HostCapabilities host) {
    return build(b, host, paths(a));
  }

  private QemuCommandLine build(HypervisorConfig b, HostCapabilities host, SandboxPaths paths) {
    LaunchContext ctx =
        new LaunchContext("abc", UUID.randomUUID(), paths, host, GoldenCases.sequentialIds());
    return QemuCommandLine.build(ConfigLoader.validate(b, 4), ctx);
  }

  /** The values that follow each occurrence of {@code option}. */
  private static List<String> values(QemuCommandLine cmd, String option) {
    List<String> out = new ArrayList<>();
    List<String> argv = cmd.argv();
    for (int i = 0; i < argv.size() - 1; i++) {
      if (argv.get(i).equals(option)) {
        out.add(argv.get(i + 1));
      }
    }
    return out;
  }

  /**
   * Kata 1.13's representative default command line (pc, image on nvdimm, virtio-scsi, 9p, serial
   * agent) in QEMU 7.2's syntax: the same devices in the same order and the same kernel line, plus
   * memhp_default_state before the katautils parameters.
   */
  @Test
  void katas113RepresentativeCommandLine() {
    String v = a.vmDir().toString();
    List<KernelParam> katautils =
        KernelParam.parse(
            "systemd.unit=kata-containers.target systemd.mask=systemd-networkd.service"
                + " systemd.mask=systemd-networkd.socket scsi_mod.scan=none");
    QemuCommandLine cmd =
        build(
            imageConfig(a)
                .editKata(
                    k ->
                        k.cpuFeatures("pmu=off")
                            .entropySource("/dev/urandom")
                            .mlock(true)
                            .defaultMaxVcpus(4))
                .editLive(l -> l.kernelParams(katautils)),
            KVM);
    assertThat(values(cmd, "-machine")).containsExactly("pc,accel=kvm,kernel_irqchip=on,nvdimm=on");
    assertThat(values(cmd, "-cpu")).containsExactly("host,pmu=off");
    assertThat(values(cmd, "-m")).containsExactly("2048M,slots=10,maxmem=2024M");
    assertThat(values(cmd, "-device"))
        .containsExactly(
            "pci-bridge,bus=pci.0,id=pci-bridge-0,chassis_nr=1,shpc=on,addr=2,romfile=",
            "virtio-serial-pci,disable-modern=false,id=serial0,romfile=,max_ports=2",
            "virtconsole,chardev=charconsole0,id=console0",
            "nvdimm,id=nv0,memdev=mem0",
            "virtio-scsi-pci,id=scsi0,disable-modern=false,romfile=",
            "virtio-rng-pci,rng=rng0,romfile=",
            "virtserialport,chardev=charch0,id=channel0,name=agent.channel.0",
            "virtio-9p-pci,disable-modern=false,fsdev=extra-9p-kataShared,mount_tag=kataShared,"
                + "romfile=");
    assertThat(values(cmd, "-chardev"))
        .containsExactly(
            "socket,id=charconsole0,path=" + v + "/console.sock,server=on,wait=off",
            "socket,id=charch0,path=" + v + "/kata.sock,server=on,wait=off");
    assertThat(values(cmd, "-append"))
        .containsExactly(
            "tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1"
                + " i8042.nopnp=1 i8042.noaux=1 noreplace-smp reboot=k console=hvc0 console=hvc1"
                + " cryptomgr.notests net.ifnames=0 pci=lastbus=0 iommu=off root=/dev/pmem0p1"
                + " rootflags=dax,data=ordered,errors=remount-ro ro rootfstype=ext4 quiet"
                + " systemd.show_status=false panic=1 nr_cpus=4 agent.use_vsock=false"
                + " memhp_default_state=online_movable systemd.unit=kata-containers.target"
                + " systemd.mask=systemd-networkd.service systemd.mask=systemd-networkd.socket"
                + " scsi_mod.scan=none");
    assertThat(values(cmd, "-global")).containsExactly("kvm-pit.lost_tick_policy=discard");
    assertThat(values(cmd, "-overcommit")).isEmpty();
    assertThat(cmd.argv().get(cmd.argv().size() - 2)).isEqualTo("-smp");
    assertThat(values(cmd, "-smp")).containsExactly("1,cores=1,threads=1,sockets=4,maxcpus=4");
  }

  @Test
  void alwaysStoppedNeverDaemonized() {
    QemuCommandLine cmd = build(initrdConfig(a), TCG);
    assertThat(cmd.argv()).contains("-S", "-no-user-config", "-nodefaults", "-no-reboot");
    assertThat(cmd.argv()).doesNotContain("-daemonize", "--no-reboot", "-nographic", "-realtime");
    assertThat(values(cmd, "-display")).containsExactly("none");
    assertThat(values(cmd, "-qmp"))
        .containsExactly(
            "unix:" + a.vmDir() + "/qmp.sock,server=on,wait=off",
            "unix:" + a.vmDir() + "/qmp-tools.sock,server=on,wait=off");
    assertThat(values(cmd, "-pidfile")).containsExactly(a.vmDir() + "/pid");
  }

  @Test
  void rootPortsComeRightAfterTheBridgesWithExplicitSlots() {
    QemuCommandLine cmd =
        build(
            initrdConfig(a)
                .editKata(k -> k.hypervisorMachineType("q35").defaultBridges(2).pcieRootPort(2)),
            TCG);
    assertThat(cmd.bridges())
        .containsExactly(
            PciBridge.pciBridge(0),
            PciBridge.pciBridge(1),
            PciBridge.rootPort("rp0", 4),
            PciBridge.rootPort("rp1", 5));
    assertThat(cmd.bridges().get(2).rootPortDevicePath()).hasToString("04/00");
    assertThat(cmd.bridges().get(0).devicePciPath(1)).hasToString("02/01");
    assertThat(values(cmd, "-device").subList(0, 4))
        .allMatch(d -> d.startsWith("pci-bridge,") || d.startsWith("pcie-root-port,"));
  }

  @Test
  void rootPortsAreIgnoredOffQ35() {
    QemuCommandLine cmd = build(initrdConfig(a).editKata(k -> k.pcieRootPort(2)), TCG);
    assertThat(cmd.bridges()).containsExactly(PciBridge.pciBridge(0));
    assertThat(values(cmd, "-device")).noneMatch(d -> d.startsWith("pcie-root-port"));
  }

  @Test
  void tooManyRootPortsForTheRootBus() {
    // 30 free slots - 5 bridges - 4 auto-addressed devices (serial, scsi, rng, 9p) = 21
    HypervisorConfig b =
        initrdConfig(a).editKata(k -> k.hypervisorMachineType("q35").defaultBridges(5));
    assertThat(build(b.editKata(k -> k.pcieRootPort(21)), TCG).bridges()).hasSize(26);
    assertThatThrownBy(() -> build(b.editKata(k -> k.pcieRootPort(22)), TCG))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("PCIeRootPort"))
        .hasMessageContaining("PCIeRootPort=22")
        .hasMessageContaining("at most 21");
    // A uint32 above Integer.MAX_VALUE must not wrap around to a negative count and pass.
    assertThatThrownBy(() -> build(b.editKata(k -> k.pcieRootPort(4294967295L)), TCG))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("PCIeRootPort"))
        .hasMessageContaining("PCIeRootPort=4294967295");
  }

  @Test
  void acceleratorChoice() {
    assertThat(build(initrdConfig(a), KVM).accelerator()).isEqualTo(Accelerator.KVM);
    assertThat(build(initrdConfig(a), TCG).accelerator()).isEqualTo(Accelerator.TCG);
    assertThat(
            build(initrdConfig(a).editLive(l -> l.accelerator(Accelerator.TCG)), KVM).accelerator())
        .isEqualTo(Accelerator.TCG);
    assertThat(values(build(initrdConfig(a).editKata(k -> k.cpuFeatures("pmu=off")), TCG), "-cpu"))
        .containsExactly("max");
    assertThatThrownBy(
            () -> build(initrdConfig(a).editLive(l -> l.accelerator(Accelerator.KVM)), TCG))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("Accelerator"))
        .hasMessageContaining("KVM is not usable");
  }

  @Test
  void theHostLimitsAreNotCheckedAgain() {
    // LaunchLimits refuses these before a start; the builder renders what it is given
    HypervisorConfig b = initrdConfig(a).editKata(k -> k.hypervisorMachineType("q35"));
    assertThat(values(build(b.editKata(k -> k.defaultMaxVcpus(288)), KVM), "-smp"))
        .containsExactly("1,cores=1,threads=1,sockets=288,maxcpus=288");
    assertThat(values(build(b.editKata(k -> k.defaultMaxVcpus(256)), TCG), "-smp"))
        .containsExactly("1,cores=1,threads=1,sockets=256,maxcpus=256");
  }

  @Test
  void seccompOnlyWhereQemuHasIt() {
    HostCapabilities noSeccomp = new HostCapabilities(false, false, false, false, 1000);
    assertThat(values(build(initrdConfig(a), TCG), "-sandbox"))
        .containsExactly("on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    assertThat(build(initrdConfig(a), noSeccomp).argv()).doesNotContain("-sandbox");
    assertThat(build(initrdConfig(a).editLive(l -> l.disableQemuSeccomp(true)), TCG).argv())
        .doesNotContain("-sandbox");
  }

  @Test
  void memoryLocking() {
    assertThat(
            values(
                build(initrdConfig(a).editKata(k -> k.realtime(true).mlock(true)), TCG),
                "-overcommit"))
        .containsExactly("mem-lock=on");
    assertThat(values(build(initrdConfig(a).editKata(k -> k.realtime(true)), TCG), "-overcommit"))
        .containsExactly("mem-lock=off");
    assertThat(values(build(initrdConfig(a), TCG), "-overcommit")).containsExactly("mem-lock=off");
    assertThat(values(build(initrdConfig(a).editKata(k -> k.mlock(true)), TCG), "-overcommit"))
        .isEmpty();
  }

  @Test
  void commasInPathsAreEscaped() throws Exception {
    Path odd = Files.createDirectories(dir.resolve("a,b"));
    QemuCommandLine cmd =
        build(initrdConfig(a), TCG, new SandboxPaths(odd.resolve("vm"), odd.resolve("shared")));
    assertThat(values(cmd, "-qmp").get(0))
        .isEqualTo("unix:" + dir + "/a,,b/vm/qmp.sock,server=on,wait=off");
    assertThat(values(cmd, "-fsdev").get(0)).contains("path=" + dir + "/a,,b/shared,");
  }

  @Test
  void socketPathsLongerThan107BytesAreRefused() {
    Path deep = dir.resolve("x".repeat(100));
    assertThatThrownBy(
            () -> build(initrdConfig(a), TCG, new SandboxPaths(deep.resolve("vm"), a.sharedDir())))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("vmDir"))
        .hasMessageContaining("qmp.sock")
        .hasMessageContaining("107");
  }

  @Test
  void invalidSandboxIdsAreRefused() {
    assertThatThrownBy(() -> LaunchContext.of("../x", paths(a), TCG))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"../x\"");
    assertThatThrownBy(() -> LaunchContext.of("", paths(a), TCG))
        .isInstanceOf(ConfigException.class);
    assertThat(LaunchContext.of("a.b-c_d", paths(a), TCG).ids().get()).hasSize(16);
  }

  @Test
  void microvmHasNoBridgesNoHotplugMemoryAndMmioDevices() {
    QemuCommandLine cmd =
        build(initrdConfig(a).editKata(k -> k.hypervisorMachineType("microvm")), TCG);
    assertThat(cmd.bridges()).isEmpty();
    assertThat(values(cmd, "-m")).containsExactly("2048M");
    assertThat(cmd.argv()).doesNotContain("-numa");
    assertThat(values(cmd, "-device")).noneMatch(d -> d.contains("-pci") || d.contains("romfile"));
    assertThat(cmd.memory()).isEmpty();
  }

  @Test
  void guestMemoryForVhostUser() {
    QemuCommandLine memfd = build(initrdConfig(a).editLive(l -> l.sharedMemory(true)), TCG);
    assertThat(memfd.memory().orElseThrow().vhostUserCapable()).isTrue();
    assertThat(build(initrdConfig(a), TCG).memory().orElseThrow().vhostUserCapable()).isFalse();
  }
}
