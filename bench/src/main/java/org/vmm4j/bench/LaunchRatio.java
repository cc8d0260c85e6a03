package org.vmm4j.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.api.StartPhase;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/**
 * Start to ready through vmm4j ({@link Sandbox#start}: config validation, command line, VM
 * directory, QEMU in its own session, QMP greeting and negotiation, peer check, {@code cont}, state
 * saved crash-safely, supervision started) against the baseline: the same QEMU argv spawned
 * directly by {@link ProcessBuilder}, its socket polled the same way, then greeting, {@code
 * qmp_capabilities} and {@code cont} over {@link RawQmpClient}. Rounds interleave the two (and
 * alternate which goes first) so that noise from neighbours hits both alike; QEMU is stopped after
 * each, untimed. The host capabilities are computed once (KVM probe: not part of a start). Reports
 * the medians and their ratio (target: vmm4j adds under 10%).
 *
 * <p>{@code java -cp bench/target/vmm4j-bench.jar org.vmm4j.bench.LaunchRatio [ROUNDS] [DIR]}
 */
public final class LaunchRatio {
  private static final int DEFAULT_ROUNDS = 40;
  private static final int WARMUP_ROUNDS = 10;
  private static final long POLL_NANOS = 200_000;

  private LaunchRatio() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    Path base = Path.of(args.length > 1 ? args[1] : "/run");
    GuestArtifacts guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    HostCapabilities host = host();
    HypervisorConfig config = ConfigLoader.validate(config(guest));
    Path dir = Files.createTempDirectory(base, "vmm4j-launch-");
    try {
      FsStore store = new FsStore(dir.resolve("vc"));
      long[] vmm4j = new long[rounds];
      long[] direct = new long[rounds];
      for (int i = -WARMUP_ROUNDS; i < rounds; i++) {
        // alternate which goes first, so that neither always follows the other's stop
        long v;
        long d;
        if ((i & 1) == 0) {
          v = viaVmm4j(store, "b" + (i + WARMUP_ROUNDS), config, host);
          d = directly(dir.resolve("direct"), config, host);
        } else {
          d = directly(dir.resolve("direct"), config, host);
          v = viaVmm4j(store, "b" + (i + WARMUP_ROUNDS), config, host);
        }
        if (i >= 0) {
          vmm4j[i] = v;
          direct[i] = d;
        }
      }
      report(rounds, vmm4j, direct);
    } finally {
      Dirs.deleteTree(dir);
    }
  }

  private static final java.util.List<long[]> PHASE_LOG = new java.util.ArrayList<>();

  private static long viaVmm4j(FsStore store, String id, HypervisorConfig c, HostCapabilities h) {
    SandboxSpec spec = SandboxSpec.of(id, RuntimeConfig.shimV2(c, false), h);
    long[] at = new long[StartPhase.values().length];
    SandboxOptions o =
        SandboxOptions.defaults()
            .withStartObserver((ph, pid) -> at[ph.ordinal()] = System.nanoTime());
    long t0 = System.nanoTime();
    Sandbox s = Sandbox.start(store, spec, o);
    for (int k = 0; k < at.length; k++) {
      at[k] -= t0;
    }
    PHASE_LOG.add(at);
    long t = System.nanoTime() - t0;
    s.delete();
    return t;
  }

  private static long directly(Path dir, HypervisorConfig c, HostCapabilities h)
      throws IOException, InterruptedException {
    SandboxPaths paths = SandboxPaths.under(dir, "direct");
    Files.createDirectories(paths.vmDir());
    Files.createDirectories(paths.sharedDir());
    QemuCommandLine cl =
        QemuCommandLine.build(
            c, new LaunchContext("direct", UUID.randomUUID(), paths, h, LaunchContext.randomIds()));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cl.argv())
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.qemuOutput().toFile()))
            .redirectErrorStream(true)
            .start();
    long t;
    try (RawQmpClient qmp = connect(paths.qmpSocket(), p)) {
      qmp.call("cont");
      t = System.nanoTime() - t0;
    }
    p.destroyForcibly();
    p.waitFor(5, TimeUnit.SECONDS);
    Dirs.deleteTree(dir);
    return t;
  }

  /** Polls for the socket every {@value #POLL_NANOS} ns (as vmm4j does), then connects. */
  private static RawQmpClient connect(Path socket, Process p) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      if (Files.exists(socket)) {
        try {
          return RawQmpClient.connect(socket);
        } catch (IOException e) {
          // created but not listening yet: try again
        }
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("QEMU did not listen on " + socket);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
    }
  }

  static HypervisorConfig config(GuestArtifacts guest) {
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath("/usr/bin/qemu-system-x86_64")
                .kernelPath(guest.vmlinux().toString())
                .initrdPath(guest.initramfs().toString())
                .hypervisorMachineType("q35")
                .numVcpus(1)
                .defaultMaxVcpus(2)
                .memorySize(256)
                .build())
        .editLive(l -> l.accelerator(Accelerator.TCG));
  }

  static HostCapabilities host() throws IOException {
    Process p =
        new ProcessBuilder("/usr/bin/qemu-system-x86_64", "-help")
            .redirectErrorStream(true)
            .start();
    String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new HostCapabilities(
        false,
        help.contains("-sandbox"),
        Files.exists(Path.of("/dev/vhost-vsock")),
        HostCapabilities.runningOnVmm(Files.readString(Path.of("/proc/cpuinfo"))),
        HostCapabilities.memTotalMiB(Files.readString(Path.of("/proc/meminfo"))));
  }

  private static void report(int rounds, long[] vmm4j, long[] direct) {
    double v = median(vmm4j);
    double d = median(direct);
    System.out.printf("start to ready, %d interleaved rounds (TCG, q35, test guest)%n", rounds);
    System.out.printf("vmm4j Sandbox.start  median %7.2f ms  (p90 %7.2f)%n", v, p90(vmm4j));
    for (StartPhase ph : StartPhase.values()) {
      long[] t =
          PHASE_LOG.subList(WARMUP_ROUNDS, PHASE_LOG.size()).stream()
              .mapToLong(a -> a[ph.ordinal()])
              .toArray();
      System.out.printf("  %-13s reached at median %7.2f ms%n", ph, median(t));
    }
    System.out.printf(
        "direct spawn + QMP   median %7.2f ms  (p90 %7.2f)  baseline%n", d, p90(direct));
    System.out.printf(
        "ratio vmm4j/baseline %.3f (vmm4j adds %+.1f%%; target under +10%%)%n",
        v / d, 100 * (v / d - 1));
  }

  private static double median(long[] t) {
    long[] c = t.clone();
    Arrays.sort(c);
    return c[c.length / 2] / 1e6;
  }

  private static double p90(long[] t) {
    long[] c = t.clone();
    Arrays.sort(c);
    return c[(int) (c.length * 0.9)] / 1e6;
  }
}
