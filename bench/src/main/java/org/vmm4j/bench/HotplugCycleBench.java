package org.vmm4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.vmm4j.core.MachineType;
import org.vmm4j.core.hotplug.BlockDriver;
import org.vmm4j.core.hotplug.BlockHotplug;
import org.vmm4j.core.hotplug.BlockRequest;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.core.hotplug.PluggedBlock;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.BlockIndexes;
import org.vmm4j.devices.DeviceManager;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * virtio-blk hotplug + unplug cycles (blockdev-add, device_add, device_del and its DEVICE_DELETED,
 * blockdev-del) through vmm4j's {@link BlockHotplug}, against the same QMP lines sent by a raw
 * client ({@link RawLineClient}), with 0, 8 and 24 other disks plugged. Each client has its own
 * identical QEMU ({@link BenchQemu}: q35, {@code -S}, TCG, no guest, native PCIe hotplug on 26 root
 * ports), so neither reads the other's events. A third variant adds what the wiring will do: the
 * device manager and a crash-safe {@link FsStore} save of the sandbox state after the plug and
 * after the unplug.
 *
 * <p>The raw lines are captured from the flow itself (run once on a FakeQmpServer whose topology is
 * a copy of the real one), so both send the same bytes except the id. The variants alternate cycle
 * by cycle in rotating order (a shared host drifts a lot within seconds); {@code blocks} runs each
 * variant's cycles back to back instead. Run (after {@code mvn -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -cp bench/target/vmm4j-bench.jar org.vmm4j.bench.HotplugCycleBench \
 *     [CYCLES [ROUNDS [STORE_PARENT [interleaved|blocks]]]]
 * </pre>
 *
 * defaults 30 cycles per variant per round, 6 rounds, the state store under {@code /dev/shm} (a
 * tmpfs, as Kata's {@code /run/vc} is on a host; give a directory on disk to see the fsyncs).
 * Target: vmm4j within 1.3x of raw.
 */
public final class HotplugCycleBench {
  static final int[] OTHERS = {0, 8, 24};
  static final String SID = "bench";
  static final String[] NAMES = {"raw", "vmm4j", "vmm4j+save"};

  private final Path dir;
  private final PciTopology topology = PciTopology.of(SID, BenchQemu.ports());
  private final BlockIndexes indexes = BlockIndexes.empty(SID);
  private final BlockHotplug flow;
  private final RawLineClient raw;
  private final DeviceManager manager = new DeviceManager(SID, "virtio-blk");
  private final FsStore store;
  private final SandboxState base = SampleStates.sandbox(SID, 0, 0);
  private final Path cycled;
  private final boolean blocks;
  private int plugged;

  private HotplugCycleBench(
      Path dir, QmpClient qmp, RawLineClient raw, Path storeRoot, boolean blocks) {
    this.dir = dir;
    this.flow = new BlockHotplug(context(qmp, topology, indexes));
    this.raw = raw;
    this.store = new FsStore(storeRoot);
    this.cycled = dir.resolve("cycled.raw");
    this.blocks = blocks;
  }

  static HotplugContext context(QmpClient qmp, PciTopology t, BlockIndexes i) {
    return new HotplugContext(
        SID, qmp, MachineType.Q35, t, i, Optional.empty(), HotplugTimeouts.defaults());
  }

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    Path storeParent = Path.of(args.length > 2 ? args[2] : "/dev/shm");
    boolean blocks = args.length > 3 && args[3].equals("blocks");
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "hp-bench");
    Path storeRoot = Files.createTempDirectory(storeParent, "hp-bench-store");
    try (BenchQemu qemu = BenchQemu.start(dir);
        QmpClient qmp = qemu.connect();
        RawLineClient raw = RawLineClient.connect(qemu.rawSocket)) {
      System.out.printf(
          "QEMU pid %d: q35, -S, TCG, native PCIe hotplug, %d root ports, a QMP socket per"
              + " client; %d cycles per variant per round, %d rounds, %s; state store %s%n",
          qemu.process.pid(),
          BenchQemu.PORTS,
          cycles,
          rounds,
          blocks ? "variants in blocks" : "variants interleaved cycle by cycle",
          storeRoot);
      new HotplugCycleBench(dir, qmp, raw, storeRoot, blocks).run(cycles, rounds);
    } finally {
      delete(dir);
      delete(storeRoot);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void run(int cycles, int rounds) throws Exception {
    file(cycled);
    List<double[]> summary = new ArrayList<>();
    for (int others : OTHERS) {
      plugOthers(others);
      List<String> lines = captureLines();
      measure(cycles * 2, lines); // warm-up, discarded
      double[][] ms = new double[3][rounds];
      for (int r = 0; r < rounds; r++) {
        double[] round = measure(cycles, lines);
        for (int v = 0; v < 3; v++) {
          ms[v][r] = round[v];
        }
        System.out.printf(
            Locale.ROOT,
            "  %2d others, round %d: raw %.2f ms  vmm4j %.2f ms  vmm4j+save %.2f ms per cycle%n",
            others,
            r + 1,
            ms[0][r],
            ms[1][r],
            ms[2][r]);
      }
      double[] s = {others, median(ms[0]), median(ms[1]), median(ms[2])};
      summary.add(s);
    }
    report(summary);
  }

  private static void report(List<double[]> summary) {
    System.out.println("summary (median over rounds of the mean ms per cycle):");
    System.out.println("others     raw   vmm4j   ratio  +save   ratio");
    for (double[] s : summary) {
      System.out.printf(
          Locale.ROOT,
          "%6.0f %7.2f %7.2f %7.3f %6.2f %7.3f%n",
          s[0],
          s[1],
          s[2],
          s[2] / s[1],
          s[3],
          s[3] / s[1]);
    }
    double[] first = summary.get(0);
    double[] last = summary.get(summary.size() - 1);
    System.out.printf(
        Locale.ROOT,
        "flatness (24 others / 0 others): raw %.3f, vmm4j %.3f, vmm4j+save %.3f%n",
        last[1] / first[1],
        last[2] / first[2],
        last[3] / first[3]);
  }

  /** Plugs other disks (through the flow and the manager) until {@code count} are plugged. */
  private void plugOthers(int count) throws IOException {
    for (; plugged < count; plugged++) {
      Path f = dir.resolve("other" + plugged + ".raw");
      file(f);
      BlockRequest r =
          BlockRequest.of(
              "drive-o" + plugged, f.toString(), BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT);
      String id = manager.newDevice(HostDevice.block(f.toString(), 0, 0, false)).id();
      manager.attach(id, d -> new Attachment.Block(flow.plug(r).toBlockDrive()));
    }
  }

  private BlockRequest cycledRequest() {
    return BlockRequest.of(
        "drive-c", cycled.toString(), BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT);
  }

  /** The flow's command lines for one cycle in the current topology, ids cut off. */
  private List<String> captureLines() {
    try (FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
        QmpClient c = QmpClient.connect(fake.socketPath())) {
      fake.on("blockdev-add");
      fake.on("blockdev-del");
      PciTopology t = PciTopology.restore(SID, topology.toPersisted());
      BlockIndexes i = BlockIndexes.restore(SID, indexes.toPersisted());
      BlockHotplug f = new BlockHotplug(context(c, t, i));
      f.unplug(f.plug(cycledRequest()));
      List<String> lines = new ArrayList<>();
      for (ReceivedQmpCommand cmd : fake.received()) {
        if (!cmd.name().equals("qmp_capabilities")) {
          lines.add(cmd.line().substring(0, cmd.line().lastIndexOf(",\"id\":")));
        }
      }
      if (lines.size() != 4) {
        throw new IllegalStateException("expected 4 commands per cycle: " + lines);
      }
      return lines;
    }
  }

  /**
   * Mean milliseconds per cycle of each variant (0 raw, 1 vmm4j, 2 vmm4j + manager + save), over
   * {@code cycles} cycles each: interleaved cycle by cycle in rotating order, or in blocks.
   */
  private double[] measure(int cycles, List<String> lines) throws IOException {
    long[] nanos = new long[3];
    if (blocks) {
      for (int v = 0; v < 3; v++) {
        for (int i = 0; i < cycles; i++) {
          nanos[v] += cycle(v, lines);
        }
      }
    } else {
      for (int i = 0; i < cycles; i++) {
        for (int k = 0; k < 3; k++) {
          int v = (i + k) % 3;
          nanos[v] += cycle(v, lines);
        }
      }
    }
    return new double[] {nanos[0] / 1e6 / cycles, nanos[1] / 1e6 / cycles, nanos[2] / 1e6 / cycles};
  }

  private long cycle(int variant, List<String> lines) throws IOException {
    long t0 = System.nanoTime();
    switch (variant) {
      case 0 -> rawCycle(lines);
      case 1 -> flow.unplug(flow.plug(cycledRequest()));
      case 2 -> savedCycle();
      default -> throw new AssertionError(variant);
    }
    return System.nanoTime() - t0;
  }

  private void rawCycle(List<String> lines) throws IOException {
    raw.send(lines.get(0), null);
    raw.send(lines.get(1), null);
    raw.send(lines.get(2), "virtio-drive-c");
    raw.send(lines.get(3), null);
  }

  private void savedCycle() {
    String id = manager.newDevice(HostDevice.block(cycled.toString(), 0, 0, false)).id();
    manager.attach(id, d -> new Attachment.Block(flow.plug(cycledRequest()).toBlockDrive()));
    save();
    manager.detach(
        id,
        d -> flow.unplug(PluggedBlock.fromBlockDrive(((Attachment.Block) d.attachment()).drive())));
    manager.removeDevice(id);
    save();
  }

  private void save() {
    HypervisorState hs =
        base.hypervisorState().toBuilder()
            .bridges(topology.toPersisted())
            .blockIndexMap(indexes.toPersisted())
            .build();
    store.save(
        base.toBuilder().devices(manager.toDeviceStates()).hypervisorState(hs).build(), Map.of());
  }

  private static void file(Path p) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
