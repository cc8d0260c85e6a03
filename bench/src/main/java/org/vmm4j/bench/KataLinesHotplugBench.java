package org.vmm4j.bench;

import static org.vmm4j.bench.KataLinesSandbox.RAW;
import static org.vmm4j.bench.KataLinesSandbox.SAVES;
import static org.vmm4j.bench.KataLinesSandbox.VMM4J;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * vmm4j's whole hotplug transaction against Kata's own QMP lines on a QEMU whose own cost hides
 * little. For each store variant a minimal sandbox ({@link KataLinesSandbox}: q35, TCG, halting
 * kernel, two root ports, native PCIe hotplug, so that QEMU needs about 10 ms per cycle) runs three
 * kinds of cycle, their order rotating cycle by cycle: vmm4j ({@code sandbox.devices().plugDisk}
 * then {@code unplug}: lock, state read, restore, QMP, crash-safe save, twice), raw (a client
 * sending Kata 1.13's four lines byte for byte on the QEMU's tools socket, waiting for each reply
 * and for {@code DEVICE_DELETED}), and saves (vmm4j's two crash-safe saves of the same states,
 * alone, through {@code FsStore} on the same file system). Rounds alternate between the variants:
 * the store on tmpfs ({@code /dev/shm}) and on disk. A cycle is timed in two halves, plug and
 * unplug.
 *
 * <p>QEMU 7.2 sends {@code DEVICE_DELETED} from its RCU thread, which wakes in 10 ms steps counted
 * from the first deferred free after it was idle ({@code device_add}'s, in a cycle run back to
 * back): a client's work between {@code device_add} and {@code device_del} is free up to the next
 * step and costs a whole step beyond it. {@code SETTLE_MS} (default 0: back to back) is an untimed
 * pause after each half, so that every {@code device_del} meets an idle RCU thread, as an unplug
 * long after its plug does.
 *
 * <p>Targets: on tmpfs vmm4j at most 1.3x raw; on disk at most vmm4j's tmpfs figure plus the saves
 * alone on disk (the fsyncs are the floor). Run (after {@code mvn -pl bench -am package
 * -DskipTests}):
 *
 * <pre>
 * java -cp bench/target/vmm4j-bench.jar org.vmm4j.bench.KataLinesHotplugBench \
 *     [CYCLES [ROUNDS [TMPFS_PARENT DISK_PARENT [SETTLE_MS]]]]
 * </pre>
 *
 * defaults 20 cycles per kind per round, 8 rounds per variant, {@code /dev/shm /var/tmp}, 0.
 */
public final class KataLinesHotplugBench {
  private static final String[] KINDS = {"vmm4j", "raw", "saves"};
  private static final int WARM_UP_CYCLES = 10;

  /** Per variant, per kind: each round's ms, [0] plug and [1] unplug half, per cycle. */
  private final List<List<List<double[][]>>> ms = new ArrayList<>();

  private final long settleMs;

  private KataLinesHotplugBench(long settleMs) {
    this.settleMs = settleMs;
  }

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path tmpfs = Path.of(args.length > 3 ? args[2] : "/dev/shm");
    Path disk = Path.of(args.length > 3 ? args[3] : "/var/tmp");
    long settle = args.length > 4 ? Long.parseLong(args[4]) : 0;
    try (KataLinesSandbox t = KataLinesSandbox.start("tmpfs", tmpfs);
        KataLinesSandbox d = KataLinesSandbox.start("disk", disk)) {
      List<KataLinesSandbox> variants = List.of(t, d);
      System.out.printf(
          "KataLinesHotplugBench: q35, TCG, halting kernel, %d root ports, native PCIe hotplug;"
              + " %d cycles per kind per round, %d rounds per variant, variants alternating;"
              + " %s%n",
          KataLinesSandbox.PORTS,
          cycles,
          rounds,
          settle > 0 ? "an untimed " + settle + " ms pause after each half" : "back to back");
      for (KataLinesSandbox v : variants) {
        System.out.println("  " + v.describe());
      }
      new KataLinesHotplugBench(settle).run(variants, cycles, rounds);
    }
  }

  private void run(List<KataLinesSandbox> variants, int cycles, int rounds) throws Exception {
    for (KataLinesSandbox v : variants) {
      v.warmUp();
      measure(v, WARM_UP_CYCLES); // discarded
      ms.add(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < variants.size(); i++) {
        KataLinesSandbox v = variants.get(i);
        double[][][] round = measure(v, cycles);
        for (int k = 0; k < KINDS.length; k++) {
          ms.get(i).get(k).add(round[k]);
        }
        System.out.printf(
            Locale.ROOT,
            "  %-5s round %d: median vmm4j %6.2f ms  raw %6.2f ms  saves %6.2f ms  ratio %.2f%n",
            v.name,
            r + 1,
            median(total(round[VMM4J])),
            median(total(round[RAW])),
            median(total(round[SAVES])),
            median(total(round[VMM4J])) / median(total(round[RAW])));
      }
    }
    report(variants);
  }

  /** Each cycle's ms per kind and half, the kinds' order rotating cycle by cycle. */
  private double[][][] measure(KataLinesSandbox v, int cycles) throws Exception {
    double[][][] out = new double[KINDS.length][2][cycles];
    for (int i = 0; i < cycles; i++) {
      for (int j = 0; j < KINDS.length; j++) {
        int k = (i + j) % KINDS.length;
        long t0 = System.nanoTime();
        v.plug(k);
        out[k][0][i] = (System.nanoTime() - t0) / 1e6;
        settle();
        long t1 = System.nanoTime();
        v.unplug(k);
        out[k][1][i] = (System.nanoTime() - t1) / 1e6;
        settle();
      }
    }
    return out;
  }

  private void settle() throws InterruptedException {
    if (settleMs > 0) {
      Thread.sleep(settleMs);
    }
  }

  private void report(List<KataLinesSandbox> variants) {
    System.out.println("summary (ms per cycle over all rounds; plug and unplug: medians):");
    System.out.println(
        "variant  kind    median    mean    plug  unplug | vmm4j/raw: median of round ratios,"
            + " of means; vmm4j - raw (median, mean)");
    double[][] medians = new double[variants.size()][];
    for (int i = 0; i < variants.size(); i++) {
      medians[i] = reportVariant(variants.get(i).name, ms.get(i));
    }
    double tmpfs = medians[0][VMM4J];
    double disk = medians[1][VMM4J];
    double saves = medians[1][SAVES];
    System.out.printf(
        Locale.ROOT,
        "tmpfs target: vmm4j/raw %.2f (of the medians) <= 1.30: %s%n",
        tmpfs / medians[0][RAW],
        tmpfs / medians[0][RAW] <= 1.3 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "disk target: vmm4j_disk %.2f ms <= vmm4j_tmpfs %.2f + saves_alone_disk %.2f = %.2f ms:"
            + " %s (excess %+.2f ms)%n",
        disk,
        tmpfs,
        saves,
        tmpfs + saves,
        disk <= tmpfs + saves ? "met" : "NOT met",
        disk - tmpfs - saves);
  }

  /** Prints one variant's rows; returns the medians of the cycles per kind over all rounds. */
  private static double[] reportVariant(String name, List<List<double[][]>> kinds) {
    double[] medians = new double[KINDS.length];
    double[] means = new double[KINDS.length];
    double[][] halves = new double[KINDS.length][2];
    for (int k = 0; k < KINDS.length; k++) {
      double[] all =
          kinds.get(k).stream()
              .map(KataLinesHotplugBench::total)
              .flatMapToDouble(Arrays::stream)
              .toArray();
      medians[k] = median(all);
      means[k] = Arrays.stream(all).average().orElse(Double.NaN);
      for (int h = 0; h < 2; h++) {
        int half = h;
        halves[k][h] =
            median(kinds.get(k).stream().flatMapToDouble(r -> Arrays.stream(r[half])).toArray());
      }
    }
    List<double[][]> v = kinds.get(VMM4J);
    List<double[][]> r = kinds.get(RAW);
    double[] roundRatios = new double[v.size()];
    for (int i = 0; i < v.size(); i++) {
      roundRatios[i] = median(total(v.get(i))) / median(total(r.get(i)));
    }
    for (int k = 0; k < KINDS.length; k++) {
      String tail =
          k != VMM4J
              ? ""
              : String.format(
                  Locale.ROOT,
                  " | %.2f, %.2f; %+.2f ms, %+.2f ms",
                  median(roundRatios),
                  means[VMM4J] / means[RAW],
                  medians[VMM4J] - medians[RAW],
                  means[VMM4J] - means[RAW]);
      System.out.printf(
          Locale.ROOT,
          "%-7s  %-5s %8.2f %7.2f %7.2f %7.2f%s%n",
          name,
          KINDS[k],
          medians[k],
          means[k],
          halves[k][0],
          halves[k][1],
          tail);
    }
    return medians;
  }

  /** Each cycle's plug + unplug. */
  private static double[] total(double[][] halves) {
    double[] t = new double[halves[0].length];
    for (int i = 0; i < t.length; i++) {
      t[i] = halves[0][i] + halves[1][i];
    }
    return t;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
