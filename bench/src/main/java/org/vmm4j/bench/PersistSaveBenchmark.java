package org.vmm4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.SampleStates;

/**
 * The cost of one crash-safe {@link FsStore#save} of a sandbox with 64 devices and 8 network
 * endpoints (encode, temporary file, write, fsync, rename, fsync of the directory) against the
 * baseline: a plain truncate+write+fsync of the same bytes; and the JSON encoding alone. The
 * directory is {@code -Dvmm4j.bench.dir} (default: the system temporary directory); fsync costs
 * depend on its file system.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PersistSaveBenchmark {
  static final int DEVICES = 64;
  static final int ENDPOINTS = 8;

  private SandboxState state;
  private byte[] bytes;
  private Path dir;
  private FsStore store;
  private Path plain;

  @Setup
  public void setUp() throws IOException {
    state = SampleStates.sandbox("bench", DEVICES, ENDPOINTS);
    bytes = PersistCodec.encode(state);
    Path base =
        Path.of(System.getProperty("vmm4j.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "vmm4j-bench-");
    store = new FsStore(dir.resolve("vc"));
    store.save(state, Map.of());
    plain = dir.resolve("plain.json");
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** What vmm4j does: encode, then temporary file, write, fsync, rename, fsync of the directory. */
  @Benchmark
  public void crashSafeSave() {
    store.save(state, Map.of());
  }

  /** The baseline: the same bytes, truncated and written in place, then one fsync. */
  @Benchmark
  public void plainWriteFsync() throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            plain,
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

  /** The JSON encoding on its own. */
  @Benchmark
  public byte[] encode() {
    return PersistCodec.encode(state);
  }
}
