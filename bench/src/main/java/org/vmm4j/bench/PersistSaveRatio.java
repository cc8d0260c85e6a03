package org.vmm4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.SampleStates;

/**
 * One crash-safe {@link FsStore#save} of a sandbox with 64 devices and 8 network endpoints against
 * a plain truncate+write+fsync of the same bytes, measured in the same run and interleaved (a save,
 * a crash-safe write of the already encoded bytes, a plain write, again and again), so that a
 * neighbour's I/O burst hits all alike. Reports the medians and two ratios: the whole save
 * (encoding included) and the write path alone (temporary file, fsync, rename, fsync of the
 * directory: two fsyncs against one, target at most 2x); and the encoding time, both in a hot loop
 * and where a save pays it, between fsyncs. {@code scripts/bench PersistSaveRatio [ROUNDS] [DIR]};
 * the JMH version is {@link PersistSaveBenchmark}.
 */
public final class PersistSaveRatio {
  private static final int DEFAULT_ROUNDS = 400;
  private static final int WARMUP_ROUNDS = 100;
  private static final int ENCODE_WARMUP = 20_000;
  private static final int ENCODE_SAMPLES = 5_000;

  private PersistSaveRatio() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    Path base = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
    SandboxState state =
        SampleStates.sandbox("bench", PersistSaveBenchmark.DEVICES, PersistSaveBenchmark.ENDPOINTS);
    byte[] bytes = PersistCodec.encode(state);
    Path dir = Files.createTempDirectory(base, "vmm4j-bench-");
    try {
      FsStore store = new FsStore(dir.resolve("vc"));
      Path plain = dir.resolve("plain.json");
      long[] save = new long[rounds];
      long[] safeWrite = new long[rounds];
      long[] write = new long[rounds];
      long[] coldEncode = new long[rounds];
      for (int i = -WARMUP_ROUNDS; i < rounds; i++) {
        long t0 = System.nanoTime();
        store.save(state, Map.of());
        long t1 = System.nanoTime();
        store.globalWrite("encoded/persist.json", bytes);
        long t2 = System.nanoTime();
        plainWriteFsync(plain, bytes);
        long t3 = System.nanoTime();
        PersistCodec.encode(state);
        long t4 = System.nanoTime();
        if (i >= 0) {
          save[i] = t1 - t0;
          safeWrite[i] = t2 - t1;
          write[i] = t3 - t2;
          coldEncode[i] = t4 - t3;
        }
      }
      report(fs(dir), bytes.length, rounds, new long[][] {save, safeWrite, write, coldEncode});
      reportEncoding(encodeAlone(state));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The encoding in a tight loop once the JIT has compiled it (between fsyncs it runs cold). */
  private static long[] encodeAlone(SandboxState state) {
    for (int i = 0; i < ENCODE_WARMUP; i++) {
      PersistCodec.encode(state);
    }
    long[] t = new long[ENCODE_SAMPLES];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      PersistCodec.encode(state);
      t[i] = System.nanoTime() - t0;
    }
    return t;
  }

  static void plainWriteFsync(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** {@code t}: save, crash-safe write of encoded bytes, plain write, encoding between fsyncs. */
  private static void report(String fs, int size, int rounds, long[][] t) {
    double s = median(t[0]);
    double a = median(t[1]);
    double w = median(t[2]);
    System.out.printf(
        "sandbox state: %d devices, %d endpoints, %d bytes of JSON; %d interleaved rounds on %s%n",
        PersistSaveBenchmark.DEVICES, PersistSaveBenchmark.ENDPOINTS, size, rounds, fs);
    System.out.printf("crash-safe save            median %9.1f us  (p90 %9.1f)%n", s, p90(t[0]));
    System.out.printf("crash-safe write (encoded) median %9.1f us  (p90 %9.1f)%n", a, p90(t[1]));
    System.out.printf(
        "plain write+fsync          median %9.1f us  (p90 %9.1f)  baseline%n", w, p90(t[2]));
    System.out.printf(
        "ratio write path/baseline  %.2fx (two fsyncs against one: target <= 2x)%n", a / w);
    System.out.printf("ratio save/baseline        %.2fx (encoding included)%n", s / w);
    System.out.printf(
        "JSON encoding, between fsyncs (as a save pays it) median %9.1f us%n", median(t[3]));
  }

  private static void reportEncoding(long[] hot) {
    System.out.printf(
        "JSON encoding, hot loop                            median %9.1f us%n", median(hot));
  }

  private static double median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2] / 1000.0;
  }

  private static double p90(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[(int) (c.length * 0.9)] / 1000.0;
  }

  private static String fs(Path dir) {
    try {
      return dir + " (" + Files.getFileStore(dir).type() + ")";
    } catch (IOException e) {
      return dir.toString();
    }
  }
}
