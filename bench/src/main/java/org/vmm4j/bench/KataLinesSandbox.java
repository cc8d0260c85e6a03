package org.vmm4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * One store variant of {@link KataLinesHotplugBench}: a minimal sandbox QEMU ({@link
 * Sandbox#start}: q35, TCG, the {@link HaltKernel}, two root ports, native PCIe hotplug) whose
 * store lives under a given parent, a {@link RawLineClient} on its tools socket, and a second store
 * on the same file system for the saves alone. Runs the plug and the unplug half of a cycle of each
 * kind: vmm4j's transactions (through {@link SandboxDevices}, on {@code rp0}), Kata's four lines
 * (on {@code rp1}), and the two crash-safe saves vmm4j's cycle makes, of the same states.
 */
final class KataLinesSandbox implements AutoCloseable {
  /** The root ports, {@code rp0} (vmm4j's disk) and {@code rp1} (the raw client's). */
  static final int PORTS = 2;

  static final String VMM4J_PORT = "rp0";

  /** The kinds of cycle: vmm4j's transactions, Kata's lines, vmm4j's saves alone. */
  static final int VMM4J = 0;

  static final int RAW = 1;
  static final int SAVES = 2;

  /** Kata's node name for a disk (as long as vmm4j's drive ids). */
  static final String KATA_ID = "drive-00000000000000ff";

  /**
   * Kata 1.13's lines for a virtio-blk plug and unplug on root port {@code rp1}, as its QMP client
   * (govmm) writes them: Go's JSON of a map (keys sorted), no id, one command at a time.
   */
  static final List<String> KATA_LINES =
      List.of(
          "{\"arguments\":{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"FILE\"},"
              + "\"node-name\":\"ID\",\"read-only\":false},\"execute\":\"blockdev-add\"}",
          "{\"arguments\":{\"bus\":\"rp1\",\"drive\":\"ID\",\"driver\":\"virtio-blk-pci\","
              + "\"id\":\"virtio-ID\",\"romfile\":\"\",\"share-rw\":\"on\"},"
              + "\"execute\":\"device_add\"}",
          "{\"arguments\":{\"id\":\"virtio-ID\"},\"execute\":\"device_del\"}",
          "{\"arguments\":{\"node-name\":\"ID\"},\"execute\":\"blockdev-del\"}");

  final String name;
  private final Path dir;
  private final Path storeRoot;
  private final Path savesRoot;
  private final Sandbox sandbox;
  private final SandboxDevices devices;
  private final RawLineClient raw;
  private final FsStore saves;
  private final Path vmm4jDisk;
  private final List<String> kataLines;
  private SandboxState plugged;
  private SandboxState unplugged;
  private String pluggedId;

  private KataLinesSandbox(
      String name, Path dir, Path storeRoot, Path savesRoot, Sandbox sandbox, RawLineClient raw)
      throws IOException {
    this.name = name;
    this.dir = dir;
    this.storeRoot = storeRoot;
    this.savesRoot = savesRoot;
    this.sandbox = sandbox;
    this.devices = sandbox.devices();
    this.raw = raw;
    this.saves = new FsStore(savesRoot);
    this.vmm4jDisk = disk(dir.resolve("vmm4j.raw"));
    Path kataDisk = disk(dir.resolve("kata.raw"));
    this.kataLines =
        KATA_LINES.stream()
            .map(l -> l.replace("FILE", kataDisk.toString()).replace("ID", KATA_ID))
            .toList();
  }

  /** Starts the sandbox with its store (and the saves' store) under {@code parent}. */
  static KataLinesSandbox start(String name, Path parent) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "kl-bench-" + name);
    Path storeRoot = Files.createTempDirectory(parent, "kl-bench-store");
    Path savesRoot = Files.createTempDirectory(parent, "kl-bench-saves");
    Sandbox s = null;
    RawLineClient raw = null;
    try {
      s = Sandbox.start(new FsStore(storeRoot), spec(name, dir));
      raw = RawLineClient.connect(s.paths().toolsQmpSocket());
      return new KataLinesSandbox(name, dir, storeRoot, savesRoot, s, raw);
    } catch (IOException | RuntimeException e) {
      closeAll(s, raw, dir, storeRoot, savesRoot);
      throw e;
    }
  }

  private static SandboxSpec spec(String name, Path dir) {
    TestAssets assets = TestAssets.create(dir.resolve("assets"));
    HaltKernel.write(assets.kernel());
    HypervisorConfig c =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .hypervisorPath("/usr/bin/qemu-system-x86_64")
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .hypervisorMachineType("q35")
                    .pcieRootPort(PORTS)
                    .blockDeviceDriver("virtio-blk")
                    .numVcpus(1)
                    .memorySize(256)
                    .build())
            .withLive(
                LiveSettings.builder()
                    .nativePcieHotplug(true)
                    .accelerator(Accelerator.TCG)
                    .build());
    HostCapabilities host = new HostCapabilities(false, false, false, false, 4096);
    return SandboxSpec.of("kl-" + name, RuntimeConfig.shimV2(c, false), host);
  }

  /** The QEMU's pid and where the store is, for the header. */
  String describe() {
    return name + ": QEMU pid " + sandbox.pid() + ", store " + storeRoot + ", saves " + savesRoot;
  }

  /**
   * One vmm4j cycle that also records the states it saved (for the saves alone) and checks that the
   * disk went on {@link #VMM4J_PORT}, away from the raw client's port.
   */
  void warmUp() {
    Device d = devices.plugDisk(DiskSpec.raw(vmm4jDisk).withPlacement(Placement.ROOT_PORT));
    plugged = sandbox.state();
    boolean onPort =
        plugged.hypervisorState().bridges().stream()
            .filter(b -> b.id().equals(VMM4J_PORT))
            .map(Bridge::deviceAddr)
            .anyMatch(m -> m != null && !m.isEmpty());
    if (!onPort) {
      throw new IllegalStateException("vmm4j's disk is not on " + VMM4J_PORT + ": " + plugged);
    }
    devices.unplug(d.id());
    unplugged = sandbox.state();
  }

  /**
   * The plug half of a cycle of {@code kind}: vmm4j's plug transaction ({@link #VMM4J}), Kata's
   * {@code blockdev-add} and {@code device_add} ({@link #RAW}), the save of the plugged state
   * ({@link #SAVES}).
   */
  void plug(int kind) throws IOException {
    if (kind == VMM4J) {
      pluggedId = devices.plugDisk(DiskSpec.raw(vmm4jDisk).withPlacement(Placement.ROOT_PORT)).id();
    } else if (kind == RAW) {
      raw.sendLine(kataLines.get(0), null);
      raw.sendLine(kataLines.get(1), null);
    } else {
      saves.save(plugged, Map.of());
    }
  }

  /**
   * The unplug half: vmm4j's unplug transaction, Kata's {@code device_del} (waiting for {@code
   * DEVICE_DELETED} too) and {@code blockdev-del}, the save of the unplugged state.
   */
  void unplug(int kind) throws IOException {
    if (kind == VMM4J) {
      devices.unplug(pluggedId);
    } else if (kind == RAW) {
      raw.sendLine(kataLines.get(2), "virtio-" + KATA_ID);
      raw.sendLine(kataLines.get(3), null);
    } else {
      saves.save(unplugged, Map.of());
    }
  }

  private static Path disk(Path p) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    return p;
  }

  @Override
  public void close() {
    closeAll(sandbox, raw, dir, storeRoot, savesRoot);
  }

  private static void closeAll(Sandbox s, RawLineClient raw, Path... dirs) {
    try {
      if (raw != null) {
        raw.close();
      }
    } catch (IOException e) {
      // the sandbox's deletion ends the connection anyway
    }
    if (s != null) {
      s.delete();
    }
    for (Path d : dirs) {
      Dirs.deleteTree(d);
    }
  }
}
