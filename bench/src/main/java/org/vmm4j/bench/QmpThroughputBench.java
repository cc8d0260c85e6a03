package org.vmm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.qmp.QueryStatus;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * Sequential {@code query-status} throughput and latency of the vmm4j {@link QmpClient} against a
 * minimal raw client ({@link RawQmpClient}: plain JDK socket, no JSON library) that sends
 * byte-identical command lines with the same ids, against the same QEMU, in one run. QEMU spends ~6
 * us per byte of command text, so identical bytes make the ratio measure the clients.
 *
 * <p>Rounds alternate the order (raw first, then vmm4j first) so that drift on a shared host hits
 * both. Before measuring, it checks on a {@code FakeQmpServer} that both clients send the same
 * bytes. Run (after {@code mvn -pl bench -am package -DskipTests}):
 *
 * <pre>
 * java -cp bench/target/vmm4j-bench.jar org.vmm4j.bench.QmpThroughputBench [COMMANDS [ROUNDS]]
 * </pre>
 *
 * defaults 3000 commands per client per round, 6 rounds. Target: vmm4j at least 0.9 of the raw
 * client's throughput.
 */
public final class QmpThroughputBench {
  private static final int WARMUP = 2000;

  private QmpThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int commands = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    checkIdenticalBytes();
    Path dir = Files.createTempDirectory("qmp-bench");
    Path socket = dir.resolve("qmp.sock");
    Process qemu = startQemu(socket);
    try {
      run(socket, commands, rounds, qemu.pid());
    } finally {
      qemu.destroyForcibly();
      qemu.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static void run(Path socket, int commands, int rounds, long pid) throws Exception {
    System.out.printf(
        "QEMU pid %d, %d x query-status per client per round, %d rounds%n", pid, commands, rounds);
    measure(socket, WARMUP, false); // JIT and QEMU warm-up, discarded
    measure(socket, WARMUP, true);
    Samples raw = new Samples();
    Samples vmm4j = new Samples();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      boolean rawFirst = r % 2 == 0;
      Samples a = measure(socket, commands, !rawFirst);
      Samples b = measure(socket, commands, rawFirst);
      Samples rawRound = rawFirst ? a : b;
      Samples vmmRound = rawFirst ? b : a;
      raw.add(rawRound);
      vmm4j.add(vmmRound);
      double ratio = vmmRound.throughput() / rawRound.throughput();
      ratios.add(ratio);
      System.out.printf(
          Locale.ROOT,
          "round %d: raw %,.0f/s  vmm4j %,.0f/s  ratio %.3f%n",
          r + 1,
          rawRound.throughput(),
          vmmRound.throughput(),
          ratio);
    }
    System.out.println();
    print("raw (JDK socket, no JSON)", raw);
    print("vmm4j QmpClient", vmm4j);
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%nthroughput ratio vmm4j/raw: %.3f overall, median of rounds %.3f (min %.3f, max %.3f);"
            + " p50 latency ratio %.3f%n",
        vmm4j.throughput() / raw.throughput(),
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1],
        vmm4j.percentile(50) / raw.percentile(50));
  }

  private static void print(String name, Samples s) {
    System.out.printf(
        Locale.ROOT,
        "%-27s %,8.0f cmds/s   p50 %6.1f us   p99 %6.1f us%n",
        name,
        s.throughput(),
        s.percentile(50) / 1000.0,
        s.percentile(99) / 1000.0);
  }

  /** One client session: connect, {@code n} sequential query-status, close. */
  private static Samples measure(Path socket, int n, boolean vmm4j) throws Exception {
    long[] lat = new long[n];
    long start;
    long end;
    if (vmm4j) {
      try (QmpClient qmp = QmpClient.connect(socket, QmpOptions.defaults())) {
        QueryStatus q = new QueryStatus();
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t = System.nanoTime();
          qmp.call(q);
          lat[i] = System.nanoTime() - t;
        }
        end = System.nanoTime();
      }
    } else {
      try (RawQmpClient c = RawQmpClient.connect(socket)) {
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t = System.nanoTime();
          c.call("query-status");
          lat[i] = System.nanoTime() - t;
        }
        end = System.nanoTime();
      }
    }
    awaitRelease(socket);
    return new Samples(lat, end - start);
  }

  /** QEMU serves the next client only after it saw the previous one go; give it a moment. */
  private static void awaitRelease(Path socket) throws InterruptedException {
    Thread.sleep(20);
  }

  /** Both clients must send the same bytes, or the ratio would measure QEMU's parser. */
  private static void checkIdenticalBytes() throws Exception {
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      fake.on("query-status")
          .reply("{\"status\":\"running\",\"singlestep\":false,\"running\":true}");
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        for (int i = 0; i < 3; i++) {
          qmp.call(new QueryStatus());
        }
      }
      List<ReceivedQmpCommand> got = fake.received();
      for (ReceivedQmpCommand c : got) {
        String raw = new String(RawQmpClient.line(c.name(), c.id().asLong()), "UTF-8").strip();
        if (!raw.equals(c.line())) {
          throw new IllegalStateException("clients differ: vmm4j " + c.line() + " raw " + raw);
        }
      }
      System.out.println("command lines byte-identical, e.g. " + got.get(got.size() - 1).line());
    }
  }

  private static Process startQemu(Path socket) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "qemu-system-x86_64",
                "-machine",
                "q35",
                "-accel",
                "tcg",
                "-nodefaults",
                "-S",
                "-display",
                "none",
                "-m",
                "256M",
                "-qmp",
                "unix:" + socket + ",server=on,wait=off")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    QmpClient.connectWhenListening(
            socket, QmpOptions.defaults(), Duration.ofSeconds(10), p::isAlive)
        .close();
    awaitRelease(socket);
    return p;
  }

  /** Latencies of sequential calls and the wall time they took. */
  private static final class Samples {
    private long[] latencies = new long[0];
    private long elapsedNanos;

    Samples() {}

    Samples(long[] latencies, long elapsedNanos) {
      this.latencies = latencies;
      this.elapsedNanos = elapsedNanos;
    }

    void add(Samples s) {
      long[] all = Arrays.copyOf(latencies, latencies.length + s.latencies.length);
      System.arraycopy(s.latencies, 0, all, latencies.length, s.latencies.length);
      latencies = all;
      elapsedNanos += s.elapsedNanos;
    }

    double throughput() {
      return latencies.length / (elapsedNanos / 1e9);
    }

    double percentile(int p) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
  }
}
