package org.vmm4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.DevicePlugs;
import org.vmm4j.core.internal.hotplug.DeviceUnplugs;
import org.vmm4j.core.internal.hotplug.HostDeviceFacts;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.hotplug.TxRunner;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * virtio-blk hotplug + unplug cycles (blockdev-add, device_add, device_del and its DEVICE_DELETED,
 * blockdev-del) through vmm4j's transactions, against the same QMP lines sent by a raw client
 * ({@link RawLineClient}), with 0, 8 and 24 other disks plugged. vmm4j and the raw client talk to
 * one QEMU ({@link BenchQemu}: q35, {@code -S}, TCG, no guest, native PCIe hotplug on 26 root
 * ports) on QMP sockets of their own, so neither reads the other's events. The "vmm4j" variant is a
 * plug and an unplug transaction on a model restored from a state in memory ({@link MemoryTx}: the
 * device manager and the block flow, no lock, no save); "vmm4j+save" is the real transaction
 * ({@link TxRunner}: the store lock, the state read from a crash-safe {@link FsStore}, the model,
 * the flow, the save), twice per cycle. Both use core's internal hotplug classes ({@code
 * org.vmm4j.core.internal.hotplug}), what {@code Sandbox.devices()} runs beneath the API.
 *
 * <p>The raw lines are captured from vmm4j itself (a cycle run once on a FakeQmpServer, on a copy
 * of the state), so both send the same bytes except the command id. The variants alternate cycle by
 * cycle in rotating order (a shared host drifts a lot within seconds); {@code blocks} runs each
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
  private final QmpClient qmp;
  private final RawLineClient raw;
  private final FsStore store;
  private final TxRunner runner;
  private final Path cycled;
  private final HostDevice cycledInfo;
  private final boolean blocks;
  private MemoryTx memory;
  private int plugged;

  private HotplugCycleBench(
      Path dir, BenchQemu qemu, QmpClient qmp, RawLineClient raw, Path storeRoot, boolean blocks)
      throws IOException {
    this.dir = dir;
    this.qmp = qmp;
    this.raw = raw;
    this.store = new FsStore(storeRoot);
    this.cycled = dir.resolve("cycled.raw");
    this.blocks = blocks;
    file(cycled);
    this.cycledInfo = HostDeviceFacts.disk(SID, cycled, false);
    store.save(initialState(), java.util.Map.of());
    this.runner =
        new TxRunner(
            store,
            SID,
            Duration.ofSeconds(10),
            qmp,
            () -> MemoryTx.Q35,
            Deadlines.defaults(),
            dir,
            qemu.process.pid(),
            MemoryTx.CONFIG.kata().blockDeviceDriver());
    this.memory = new MemoryTx(initialState(), qmp, dir);
  }

  /** A running sandbox on the bench QEMU's root ports, nothing plugged. */
  private static SandboxState initialState() {
    SandboxState base = SampleStates.sandbox(SID, 0, 0);
    return base.toBuilder()
        .hypervisorState(
            base.hypervisorState().toBuilder()
                .bridges(PciTopology.of(SID, BenchQemu.ports()).toPersisted())
                .blockIndexMap(Set.of())
                .build())
        .build();
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
      new HotplugCycleBench(dir, qemu, qmp, raw, storeRoot, blocks).run(cycles, rounds);
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
    List<double[]> summary = new ArrayList<>();
    for (int others : OTHERS) {
      plugOthers(others);
      RawCycle lines = captureLines();
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

  /**
   * Plugs other disks (saved transactions) until {@code count} are plugged; the state in memory
   * becomes the saved one.
   */
  private void plugOthers(int count) throws IOException {
    for (; plugged < count; plugged++) {
      Path f = dir.resolve("other" + plugged + ".raw");
      file(f);
      HostDevice info = HostDeviceFacts.disk(SID, f, false);
      runner.run(s -> {}, tx -> DevicePlugs.disk(tx, MemoryTx.CONFIG, disk(f), info), o -> {});
    }
    memory = new MemoryTx(store.load(SID).sandbox(), qmp, dir);
  }

  private static DiskSpec disk(Path file) {
    return DiskSpec.raw(file).withPlacement(Placement.ROOT_PORT);
  }

  private Device plugCycled(Tx tx) {
    return DevicePlugs.disk(tx, MemoryTx.CONFIG, disk(cycled), cycledInfo);
  }

  /**
   * vmm4j's command lines for one cycle in the current state, command ids cut off, and the id of
   * the QEMU device (the raw client waits for its DEVICE_DELETED).
   */
  private RawCycle captureLines() {
    try (FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
        QmpClient c = QmpClient.connect(fake.socketPath())) {
      fake.on("blockdev-add");
      fake.on("blockdev-del");
      MemoryTx copy = new MemoryTx(memory.state(), c, dir);
      Device d = copy.run(this::plugCycled);
      copy.run(tx -> DeviceUnplugs.unplug(tx, d.id()));
      List<String> lines = new ArrayList<>();
      for (ReceivedQmpCommand cmd : fake.received()) {
        if (!cmd.name().equals("qmp_capabilities")) {
          lines.add(cmd.line().substring(0, cmd.line().lastIndexOf(",\"id\":")));
        }
      }
      if (lines.size() != 4) {
        throw new IllegalStateException("expected 4 commands per cycle: " + lines);
      }
      return new RawCycle(lines, d.qemuId());
    }
  }

  /** The raw client's cycle: four lines, and the device whose DEVICE_DELETED the third awaits. */
  private record RawCycle(List<String> lines, String deviceId) {}

  /**
   * Mean milliseconds per cycle of each variant (0 raw, 1 vmm4j in memory, 2 saved transactions),
   * over {@code cycles} cycles each: interleaved cycle by cycle in rotating order, or in blocks.
   */
  private double[] measure(int cycles, RawCycle lines) throws IOException {
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

  private long cycle(int variant, RawCycle lines) throws IOException {
    long t0 = System.nanoTime();
    switch (variant) {
      case 0 -> rawCycle(lines);
      case 1 -> memoryCycle();
      case 2 -> savedCycle();
      default -> throw new AssertionError(variant);
    }
    return System.nanoTime() - t0;
  }

  private void rawCycle(RawCycle c) throws IOException {
    raw.send(c.lines().get(0), null);
    raw.send(c.lines().get(1), null);
    raw.send(c.lines().get(2), c.deviceId());
    raw.send(c.lines().get(3), null);
  }

  private void memoryCycle() {
    Device d = memory.run(this::plugCycled);
    memory.run(tx -> DeviceUnplugs.unplug(tx, d.id()));
  }

  private void savedCycle() {
    Device d = runner.run(s -> {}, this::plugCycled, o -> {}).result();
    runner.run(s -> {}, tx -> DeviceUnplugs.unplug(tx, d.id()), o -> {});
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
