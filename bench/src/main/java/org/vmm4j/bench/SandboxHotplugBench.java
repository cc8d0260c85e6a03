package org.vmm4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.vmm4j.core.internal.hotplug.DevicePlugs;
import org.vmm4j.core.internal.hotplug.DeviceUnplugs;
import org.vmm4j.core.internal.hotplug.HostDeviceFacts;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * virtio-blk hotplug + unplug cycles through the whole Sandbox path ({@link SandboxDevices}: the
 * store lock, the state read from disk, the flows and device manager restored from it, the QMP
 * work, the crash-safe save; twice per cycle) against the same QMP lines from a raw client ({@link
 * RawLineClient}) on the same QEMU's tools socket, with 0, 8 and 24 other disks plugged. The QEMU
 * is the sandbox's own ({@link Sandbox#start}: q35, TCG, native PCIe hotplug on root ports, the
 * {@link HaltKernel}: running, no guest), so both variants meet the same command line; the cycled
 * disk of each goes on a root port of its own. A third variant, "flow", is the plug and unplug
 * transactions on a model restored from a state in memory ({@link MemoryTx}: core's internal
 * hotplug classes, no lock, no read, no save), on a root port of its own too. The variants
 * alternate cycle by cycle. The store lives under each of the given parents in turn (a directory on
 * disk, as the CLI's {@code /run/vc} on a host without tmpfs there, and {@code /dev/shm} as a tmpfs
 * stand-in). Run (after {@code mvn -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -cp bench/target/vmm4j-bench.jar org.vmm4j.bench.SandboxHotplugBench \
 *     [CYCLES [ROUNDS [STORE_PARENT...]]]
 * </pre>
 *
 * defaults 30 cycles per variant per round, 6 rounds, {@code /tmp /dev/shm}.
 */
public final class SandboxHotplugBench {
  static final int[] OTHERS = {0, 8, 24};
  static final int PORTS = 26;
  static final String RAW_PORT = "rp" + (PORTS - 1);
  static final String FLOW_PORT = "rp" + (PORTS - 2);

  private final Path dir;
  private final SandboxDevices devices;
  private final RawLineClient raw;
  private final Path cycled;
  private final Path rawFile;
  private final Path flowFile;
  private final QmpClient qmp;
  private MemoryTx flow;
  private HostDevice flowInfo;
  private int plugged;

  private SandboxHotplugBench(Path dir, Sandbox sandbox, RawLineClient raw) {
    this.dir = dir;
    this.devices = sandbox.devices();
    this.raw = raw;
    this.cycled = dir.resolve("cycled.raw");
    this.rawFile = dir.resolve("raw.raw");
    this.flowFile = dir.resolve("flow.raw");
    this.qmp = sandbox.qmp();
  }

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    List<Path> parents = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      parents.add(Path.of(args[i]));
    }
    if (parents.isEmpty()) {
      parents = List.of(Path.of("/tmp"), Path.of("/dev/shm"));
    }
    for (Path parent : parents) {
      runWithStoreUnder(parent, cycles, rounds);
    }
  }

  private static void runWithStoreUnder(Path parent, int cycles, int rounds) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sd-bench");
    Path storeRoot = Files.createTempDirectory(parent, "sd-bench-store");
    Sandbox s = null;
    try {
      s = Sandbox.start(new FsStore(storeRoot), spec(dir));
      try (RawLineClient raw = RawLineClient.connect(s.paths().toolsQmpSocket())) {
        System.out.printf(
            "sandbox QEMU pid %d: q35, TCG, halting kernel, native PCIe hotplug, %d root ports;"
                + " %d cycles per variant per round, %d rounds, interleaved; state store %s%n",
            s.pid(), PORTS, cycles, rounds, storeRoot);
        new SandboxHotplugBench(dir, s, raw).run(cycles, rounds);
      }
    } finally {
      if (s != null) {
        s.delete();
      }
      Dirs.deleteTree(dir);
      Dirs.deleteTree(storeRoot);
    }
  }

  private static SandboxSpec spec(Path dir) throws IOException {
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
    return SandboxSpec.of("bench", RuntimeConfig.shimV2(c, false), host);
  }

  private void run(int cycles, int rounds) throws Exception {
    file(cycled);
    file(rawFile);
    file(flowFile);
    flowInfo = HostDeviceFacts.disk("bench", flowFile, false);
    flow = new MemoryTx(onePort(FLOW_PORT), qmp, dir);
    RawCycle lines = rawLines();
    List<double[]> summary = new ArrayList<>();
    for (int others : OTHERS) {
      plugOthers(others);
      measure(cycles, lines); // warm-up, discarded
      List<List<Double>> all = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (int r = 0; r < rounds; r++) {
        double[][] ms = measure(cycles, lines);
        for (int v = 0; v < 3; v++) {
          for (double x : ms[v]) {
            all.get(v).add(x);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "  %2d others, round %d: median raw %.2f ms  flow %.2f ms  sandbox %.2f ms%n",
            others,
            r + 1,
            median(ms[0]),
            median(ms[1]),
            median(ms[2]));
      }
      double[] row = new double[7];
      row[0] = others;
      for (int v = 0; v < 3; v++) {
        double[] x = all.get(v).stream().mapToDouble(Double::doubleValue).toArray();
        row[1 + v] = median(x);
        row[4 + v] = Arrays.stream(x).average().orElse(0);
      }
      summary.add(row);
    }
    report(summary);
  }

  private static void report(List<double[]> summary) {
    System.out.println("summary (ms per cycle over all rounds: median, then mean):");
    System.out.println(
        "others   raw  flow  sandbox  sandbox/raw  sandbox/flow | mean: raw  flow  sandbox"
            + "  sandbox/raw");
    for (double[] s : summary) {
      System.out.printf(
          Locale.ROOT,
          "%6.0f %6.2f %5.2f %8.2f %12.3f %13.3f | %10.2f %5.2f %8.2f %12.3f%n",
          s[0],
          s[1],
          s[2],
          s[3],
          s[3] / s[1],
          s[3] / s[2],
          s[4],
          s[5],
          s[6],
          s[6] / s[4]);
    }
    double[] first = summary.get(0);
    double[] last = summary.get(summary.size() - 1);
    System.out.printf(
        Locale.ROOT,
        "flatness of the median (24 others / 0 others): raw %.3f, flow %.3f, sandbox %.3f%n",
        last[1] / first[1],
        last[2] / first[2],
        last[3] / first[3]);
  }

  /**
   * A state of the sandbox that knows one root port, {@code port}: a disk plugged by a transaction
   * on it goes there, outside what the sandbox records.
   */
  private static SandboxState onePort(String port) {
    SandboxState base = SampleStates.sandbox("bench", 0, 0);
    PciTopology t = PciTopology.of("bench", List.of(PciBridge.rootPort(port, 2 + PORTS - 1)));
    return base.toBuilder()
        .hypervisorState(
            base.hypervisorState().toBuilder()
                .bridges(t.toPersisted())
                .blockIndexMap(Set.of())
                .build())
        .build();
  }

  private void plugOthers(int count) throws IOException {
    for (; plugged < count; plugged++) {
      Path f = dir.resolve("other" + plugged + ".raw");
      file(f);
      devices.plugDisk(onRootPort(f));
    }
  }

  /**
   * vmm4j's lines for one cycle of the raw client's disk on the last root port (captured from a
   * transaction on a FakeQmpServer), command ids cut off, and the device the raw client awaits the
   * DEVICE_DELETED of.
   */
  private RawCycle rawLines() {
    try (FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
        QmpClient c = QmpClient.connect(fake.socketPath())) {
      fake.on("blockdev-add");
      fake.on("blockdev-del");
      MemoryTx capture = new MemoryTx(onePort(RAW_PORT), c, dir);
      HostDevice info = HostDeviceFacts.disk("bench", rawFile, false);
      Device d =
          capture.run(tx -> DevicePlugs.disk(tx, MemoryTx.CONFIG, onRootPort(rawFile), info));
      capture.run(tx -> DeviceUnplugs.unplug(tx, d.id()));
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

  private static DiskSpec onRootPort(Path file) {
    return DiskSpec.raw(file).withPlacement(Placement.ROOT_PORT);
  }

  /**
   * Each cycle's ms of the raw client [0], vmm4j's flow without state [1] and the Sandbox path [2],
   * the variants in rotating order cycle by cycle.
   */
  private double[][] measure(int cycles, RawCycle lines) throws IOException {
    double[][] ms = new double[3][cycles];
    for (int i = 0; i < cycles; i++) {
      for (int k = 0; k < 3; k++) {
        int v = (i + k) % 3;
        long t0 = System.nanoTime();
        if (v == 0) {
          raw.send(lines.lines().get(0), null);
          raw.send(lines.lines().get(1), null);
          raw.send(lines.lines().get(2), lines.deviceId());
          raw.send(lines.lines().get(3), null);
        } else if (v == 1) {
          flowCycle();
        } else {
          Device d = devices.plugDisk(onRootPort(cycled));
          devices.unplug(d.id());
        }
        ms[v][i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return ms;
  }

  /** The transactions on a model restored from the state in memory (no lock, no save). */
  private void flowCycle() {
    Device d =
        flow.run((Tx tx) -> DevicePlugs.disk(tx, MemoryTx.CONFIG, onRootPort(flowFile), flowInfo));
    flow.run(tx -> DeviceUnplugs.unplug(tx, d.id()));
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
