package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.RecoveredPath;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.BlockdevAdd;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sandbox Kata 1.13 started and left running is restored by vmm4j: QEMU runs the command line
 * Kata builds for pc with one pci-bridge (Kata 1.13's devices in its order, in QEMU 7.2's syntax;
 * the golden {@code pc-default.txt}), a disk is hot-plugged with Kata's raw QMP ({@code
 * blockdev-add}, then {@code device_add virtio-blk-pci} on bridge slot 1), and the {@code
 * persist.json} Kata writes for that is on disk: the bridge with the drive id in {@code
 * DeviceAddr}, the disk's {@code DeviceState} with {@code PCIPath} {@code {}}. vmm4j restores it,
 * recovers the path from QEMU and saves it, plugs and unplugs a disk of its own (the next slot, the
 * next index, new ids), unplugs Kata's disk (its slot freed) and stops the sandbox.
 *
 * <p>The one departure from Kata's command line: {@code -global
 * PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off}, so that the bridge's SHPC, not ACPI, handles
 * hotplug and a {@code device_del} completes without a guest (the halting kernel has none).
 */
class KataRestoreIT {
  static final String DRIVE = "drive-5f0c2e8a91b3d4e7";

  Path root;
  FsStore store;
  Process qemu;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-kata");
    store = new FsStore(root.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    if (qemu != null) {
      qemu.destroyForcibly();
    }
    Dirs.deleteTree(root);
  }

  @Test
  void vmm4jRestoresAKataSandboxRecoversItsDiskPathAndHotplugsNextToIt() throws Exception {
    String id = "kata1";
    UUID uuid = UUID.randomUUID();
    TestAssets assets = TestAssets.create(root.resolve("assets"));
    HaltKernel.write(assets.kernel());
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    Files.createDirectories(paths.vmDir());
    Files.createDirectories(paths.sharedDir());
    qemu =
        new ProcessBuilder(kataArgv(id, uuid, assets, paths))
            .redirectErrorStream(true)
            .redirectOutput(paths.vmDir().resolve("qemu-output.log").toFile())
            .start();
    Path kataDisk = disk("kata.img");
    try (QmpClient kata =
        QmpClient.connectWhenListening(
            paths.qmpSocket(), QmpOptions.defaults(), Duration.ofSeconds(20), qemu::isAlive)) {
      kataHotplug(kata, kataDisk);
    }
    HypervisorConfig hv = kataConfig(assets);
    store.save(kataState(id, uuid, qemu.pid(), hv, kataDisk), Map.of());
    String onDisk = Files.readString(store.sandboxDir(id).resolve("persist.json"));
    assertThat(onDisk).contains("\"PCIPath\":{}").contains("\"DeviceAddr\":{\"1\":\"" + DRIVE);

    try (Sandbox sb = Sandbox.restore(store, id)) {
      Reconciliation r = sb.reconcile();
      assertThat(r.recovered())
          .containsExactly(
              new RecoveredPath("kata-disk-0", "virtio-" + DRIVE, PciPath.parse("02/01")));
      assertThat(r.leftovers()).isEmpty();
      assertThat(r.missing()).isEmpty();
      assertThat(r.agrees()).isTrue();
      SandboxState saved = store.load(id).sandbox();
      assertThat(saved.devices().get(0).blockDrive().pciPath()).isEqualTo(PciPath.parse("02/01"));
      assertThat(bridgeSlots(saved)).containsExactlyEntriesOf(Map.of(1L, "virtio-" + DRIVE));
      assertThat(sb.reconcile().recovered()).isEmpty(); // saved: nothing left to recover

      Device mine = sb.devices().plugDisk(DiskSpec.raw(disk("mine.img")));
      assertThat(mine.pciPath()).isEqualTo(PciPath.parse("02/02"));
      String qemuId = mine.qemuId();
      assertThat(qemuId).isNotEqualTo("virtio-" + DRIVE);
      assertThat(peripheral(sb)).contains("virtio-" + DRIVE, qemuId);
      assertThat(store.load(id).sandbox().hypervisorState().blockIndexMap())
          .containsExactlyInAnyOrder(0L, 1L);
      sb.devices().unplug(mine.id());
      assertThat(peripheral(sb)).doesNotContain(qemuId).contains("virtio-" + DRIVE);
      SandboxState after = store.load(id).sandbox();
      assertThat(after.devices()).extracting(DeviceState::id).containsExactly("kata-disk-0");
      assertThat(bridgeSlots(after)).containsExactlyEntriesOf(Map.of(1L, "virtio-" + DRIVE));
      assertThat(after.hypervisorState().blockIndexMap()).containsExactly(0L);

      sb.devices().unplug("kata-disk-0"); // Kata's own disk: its slot, keyed by QEMU id, is freed
      assertThat(peripheral(sb)).doesNotContain("virtio-" + DRIVE);
      SandboxState empty = store.load(id).sandbox();
      assertThat(bridgeSlots(empty)).isEmpty();
      assertThat(empty.hypervisorState().blockIndexMap()).isEmpty();
      assertThat(sb.reconcile().agrees()).isTrue();

      assertThat(sb.stop()).isIn(StopOutcome.QUIT, StopOutcome.SIGTERM);
    }
    assertThat(qemu.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(store.load(id).sandbox().state()).isEqualTo(Sandbox.STATE_STOPPED);
  }

  /** Kata 1.13's QEMU command line for pc, 1 vCPU of 4, 256 MiB, one pci-bridge, virtio-blk. */
  static List<String> kataArgv(String id, UUID uuid, TestAssets a, SandboxPaths p) {
    String vm = p.vmDir().toString();
    return List.of(
        HaltedSandbox.QEMU.toString(),
        "-name",
        "sandbox-" + id,
        "-uuid",
        uuid.toString(),
        "-machine",
        "pc,accel=tcg",
        "-cpu",
        "max",
        "-qmp",
        "unix:" + vm + "/qmp.sock,server=on,wait=off",
        "-m",
        "256M,slots=10,maxmem=5120M",
        "-device",
        "pci-bridge,bus=pci.0,id=pci-bridge-0,chassis_nr=1,shpc=on,addr=2,romfile=",
        "-device",
        "virtio-serial-pci,disable-modern=false,id=serial0,romfile=,max_ports=2",
        "-device",
        "virtconsole,chardev=charconsole0,id=console0",
        "-chardev",
        "socket,id=charconsole0,path=" + vm + "/console.sock,server=on,wait=off",
        "-object",
        "rng-random,id=rng0,filename=/dev/urandom",
        "-device",
        "virtio-rng-pci,rng=rng0,romfile=",
        "-device",
        "virtserialport,chardev=charch0,id=channel0,name=agent.channel.0",
        "-chardev",
        "socket,id=charch0,path=" + vm + "/kata.sock,server=on,wait=off",
        "-device",
        "virtio-9p-pci,disable-modern=false,fsdev=extra-9p-kataShared,"
            + "mount_tag=kataShared,romfile=",
        "-fsdev",
        "local,id=extra-9p-kataShared,path="
            + p.sharedDir()
            + ",security_model=none,multidevs=remap",
        "-rtc",
        "base=utc,driftfix=slew,clock=host",
        "-global",
        "PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off",
        "-vga",
        "none",
        "-no-user-config",
        "-nodefaults",
        "-display",
        "none",
        "-no-reboot",
        "-object",
        "memory-backend-ram,id=dimm1,size=256M",
        "-numa",
        "node,memdev=dimm1",
        "-overcommit",
        "mem-lock=off",
        "-kernel",
        a.kernel().toString(),
        "-initrd",
        a.initrd().toString(),
        "-append",
        "tsc=reliable no_timer_check console=hvc0 pci=lastbus=0 iommu=off quiet panic=1"
            + " nr_cpus=4 agent.use_vsock=false",
        "-pidfile",
        vm + "/pid",
        "-smp",
        "1,cores=1,threads=1,sockets=4,maxcpus=4");
  }

  /** Kata's {@code hotplugAddBlockDevice} for virtio-blk on a pci-bridge, over raw QMP. */
  static void kataHotplug(QmpClient qmp, Path file) {
    ObjectNode blockdev = JsonNodeFactory.instance.objectNode();
    blockdev.put("driver", "raw").put("read-only", false).put("node-name", DRIVE);
    blockdev.putObject("file").put("driver", "file").put("filename", file.toString());
    qmp.call(new BlockdevAdd(blockdev));
    ObjectNode dev = JsonNodeFactory.instance.objectNode();
    dev.put("drive", DRIVE).put("addr", "01").put("bus", "pci-bridge-0");
    dev.put("share-rw", "on").put("romfile", "");
    qmp.call(new DeviceAdd("virtio-blk-pci", "virtio-" + DRIVE, dev));
  }

  static HypervisorConfig kataConfig(TestAssets a) {
    return initrdConfig(a)
        .editKata(
            k ->
                k.hypervisorMachineType("pc")
                    .numVcpus(1)
                    .defaultMaxVcpus(4)
                    .memorySize(256)
                    .memSlots(10)
                    .defaultBridges(1)
                    .blockDeviceDriver("virtio-blk"))
        .editLive(l -> l.accelerator(Accelerator.TCG));
  }

  /** What Kata 1.13's {@code persist.go} saves for it: PCIPath {} (PciPath has no marshaller). */
  static SandboxState kataState(String id, UUID uuid, long pid, HypervisorConfig hv, Path disk) {
    SandboxState base = SampleStates.sandbox(id, 0, 0);
    DeviceState d =
        DeviceState.builder()
            .id("kata-disk-0")
            .type("block")
            .refCount(1)
            .attachCount(1)
            .devType("b")
            .major(7)
            .minor(0)
            .blockDrive(
                BlockDrive.builder()
                    .file(disk.toString())
                    .format("raw")
                    .id(DRIVE)
                    .index(0)
                    .pciPath(PciPath.NIL)
                    .virtPath("/dev/vda")
                    .build())
            .build();
    HypervisorState hs =
        HypervisorState.builder()
            .pid(pid)
            .type("qemu")
            .blockIndexMap(Set.of(0L))
            .uuid(uuid.toString())
            .bridges(List.of(new Bridge(Map.of(1L, DRIVE), "pci", "pci-bridge-0", 2)))
            .build();
    return base.toBuilder()
        .devices(List.of(d))
        .hypervisorState(hs)
        .agentState(new AgentState(0, "unix:///run/vc/vm/" + id + "/kata.sock"))
        .network(new NetworkInfo("", 0, false, null))
        .config(base.config().toBuilder().hypervisorConfig(hv.toPersisted()).build())
        .build();
  }

  private Path disk(String name) throws IOException {
    Path f = root.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(1 << 20);
    }
    return f;
  }

  private static Map<Long, String> bridgeSlots(SandboxState s) {
    return s.hypervisorState().bridges().get(0).deviceAddr();
  }

  private static Set<String> peripheral(Sandbox sb) {
    Set<String> ids = new java.util.TreeSet<>();
    sb.qmp().call(new org.vmm4j.qmp.QomList(org.vmm4j.qmp.QomList.PERIPHERAL)).stream()
        .filter(org.vmm4j.qmp.QomProperty::isChild)
        .forEach(p -> ids.add(p.name()));
    return ids;
  }
}
