package org.vmm4j.core.host;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.Accelerator;

/**
 * The host check: finds the QEMU binary and what it supports, looks at {@code /dev/kvm}, {@code
 * /dev/net/tun}, {@code /dev/vhost-net}, {@code /dev/vhost-vsock}, huge pages, CPUs and memory, and
 * picks the accelerator: KVM only when a {@link KvmUsability} probe saw a guest run, else TCG,
 * saying why ({@code /dev/kvm} may exist on a nested or PVM host where a guest hangs or {@code -cpu
 * host} aborts). The choice is logged at INFO.
 *
 * <pre>{@code
 * HostReport host = HostCheck.builder().kvmProbe(probe).build().run();
 * QemuCommandLine.build(config, new LaunchContext(..., host.capabilities(), ...));
 * }</pre>
 *
 * <p>Costs: file reads, three QEMU queries at once the first time a binary is seen in this JVM (~80
 * ms; remembered per binary afterwards), and the probe (which the real one caches per host boot).
 * Reusable and thread-safe; each {@link #run()} looks again.
 */
public final class HostCheck {
  /** Appended to the KVM verdict when it comes from an earlier probe of this host boot. */
  public static final String FROM_CACHE = " (probed earlier in this host boot)";

  /** The QEMU binary looked up when none is configured. */
  public static final Path DEFAULT_QEMU = Path.of("qemu-system-x86_64");

  /** How long the KVM probe guest may take to show it runs (KVM boots it in well under 1 s). */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(4);

  /** Deadline of each QEMU query ({@code -version}, {@code -help}, {@code -machine help}). */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /** Where vmm4j's hugepage-backed memory lives ({@code memory-backend-file,mem-path=}). */
  public static final Path HUGEPAGES_MOUNT = Path.of("/dev/hugepages");

  public static final Path DEV_KVM = Path.of("/dev/kvm");
  public static final Path DEV_TUN = Path.of("/dev/net/tun");
  public static final Path DEV_VHOST_NET = Path.of("/dev/vhost-net");
  public static final Path DEV_VHOST_VSOCK = Path.of("/dev/vhost-vsock");

  private static final Logger LOG = LoggerFactory.getLogger(HostCheck.class);

  private final Path qemu;
  private final Path hostRoot;
  private final List<Path> searchPath;
  private final KvmUsability kvmProbe;
  private final Duration probeTimeout;
  private final Duration commandTimeout;
  private final Predicate<Path> access;

  private HostCheck(Builder b) {
    this.qemu = b.qemu;
    this.hostRoot = b.hostRoot;
    this.searchPath = List.copyOf(b.searchPath);
    this.kvmProbe = b.kvmProbe;
    this.probeTimeout = b.probeTimeout;
    this.commandTimeout = b.commandTimeout;
    this.access = b.access;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The check of this host, with the default QEMU and no KVM probe (so: TCG). */
  public static HostCheck withoutProbe() {
    return builder().build();
  }

  /**
   * Looks at the host.
   *
   * @throws org.vmm4j.core.api.HostException when {@code /proc/meminfo} or {@code /proc/cpuinfo}
   *     cannot be read or has no {@code MemTotal}
   */
  public HostReport run() {
    HostFiles files = new HostFiles(hostRoot, access);
    String meminfo = files.proc("meminfo");
    HostResources resources = files.resources(meminfo, files.proc("cpuinfo"));
    QemuBinary binary = QemuInspector.inspect(qemu, searchPath, commandTimeout);
    HostItem dev = files.device("kvm", DEV_KVM);
    Optional<KvmVerdict> verdict =
        dev.usable() && binary.usable() && kvmProbe != null
            ? Optional.of(probe(binary.path()))
            : Optional.empty();
    HostItem kvm = kvmItem(dev, binary, verdict);
    Accelerator accel = kvm.usable() ? Accelerator.KVM : Accelerator.TCG;
    HostReport report =
        new HostReport(
            binary,
            kvm,
            verdict,
            files.device("tun", DEV_TUN),
            files.device("vhost-net", DEV_VHOST_NET),
            files.device("vhost-vsock", DEV_VHOST_VSOCK),
            files.hugePages(meminfo, files.procOrEmpty("mounts")),
            resources,
            accel,
            accel.wireName() + ": " + kvm.reason());
    log(report);
    return report;
  }

  /** {@code /dev/kvm} as the probe found it; when it did not run, as the file is, and why not. */
  private static HostItem kvmItem(HostItem dev, QemuBinary binary, Optional<KvmVerdict> verdict) {
    if (verdict.isPresent()) {
      KvmVerdict v = verdict.get();
      String reason = v.fromCache() ? v.reason() + FROM_CACHE : v.reason();
      return new HostItem(dev.name(), dev.path(), v.availability(), reason);
    }
    if (!dev.usable()) {
      return dev;
    }
    String why =
        binary.usable()
            ? "usability unknown (no probe): /dev/kvm is present, but no probe guest was booted"
                + " on it"
            : "not probed: no usable QEMU";
    return new HostItem(dev.name(), dev.path(), Availability.UNKNOWN, why);
  }

  private KvmVerdict probe(Path binary) {
    try {
      return Objects.requireNonNull(kvmProbe.probe(binary, probeTimeout), "the probe's verdict");
    } catch (RuntimeException e) {
      LOG.warn("host check: the KVM probe failed", e);
      return KvmVerdict.unknown("the KVM probe failed: " + e.getMessage(), e.toString());
    }
  }

  private static void log(HostReport r) {
    if (r.qemuUsable()) {
      LOG.info("host check: QEMU {} ({})", r.qemu().path(), r.qemu().version());
    } else {
      LOG.info("host check: no usable QEMU: {}", r.qemu().problem());
    }
    LOG.info("host check: accelerator {}", r.acceleratorReason());
    r.kvmProbe()
        .filter(v -> !v.detail().isEmpty())
        .ifPresent(v -> LOG.debug("host check: KVM probe detail: {}", v.detail()));
  }

  /** {@code 3 s}, {@code 1.5 s}, {@code 300 ms}: a deadline for messages. */
  public static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** The default search path: {@code $PATH}, then {@code /usr/bin}. */
  static List<Path> defaultSearchPath() {
    List<Path> dirs = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        dirs.add(Path.of(d));
      }
    }
    dirs.add(Path.of("/usr/bin"));
    return dirs;
  }

  /** Options of the check; every one has a default. */
  public static final class Builder {
    private Path qemu = DEFAULT_QEMU;
    private Path hostRoot = Path.of("/");
    private List<Path> searchPath = defaultSearchPath();
    private KvmUsability kvmProbe;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Predicate<Path> access = HostFiles.READ_WRITE;

    private Builder() {}

    /** Tests: how read/write access to a device file is decided (root may open anything). */
    Builder access(Predicate<Path> readWrite) {
      this.access = Objects.requireNonNull(readWrite, "access");
      return this;
    }

    /**
     * The QEMU binary: a path, or a bare name looked up on the search path (default {@link
     * #DEFAULT_QEMU}). A config's {@code path} (Kata's {@code HypervisorPath}) goes here.
     */
    public Builder qemu(Path binary) {
      this.qemu = Objects.requireNonNull(binary, "qemu");
      return this;
    }

    /** Where to look for a bare QEMU name (default: {@code $PATH}, then {@code /usr/bin}). */
    public Builder searchPath(List<Path> dirs) {
      this.searchPath = List.copyOf(dirs);
      return this;
    }

    /**
     * The root under which {@code /dev} and {@code /proc} are read (default {@code /}; tests give a
     * fake tree). Device paths in the report stay the host's ({@code /dev/kvm}).
     */
    public Builder hostRoot(Path root) {
      this.hostRoot = Objects.requireNonNull(root, "hostRoot");
      return this;
    }

    /** The probe that decides whether KVM runs a guest; none (the default) means TCG. */
    public Builder kvmProbe(KvmUsability probe) {
      this.kvmProbe = probe;
      return this;
    }

    /** How long the probe guest may take (default {@link #DEFAULT_PROBE_TIMEOUT}). */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = positive(timeout, "probeTimeout");
      return this;
    }

    /** Deadline of each QEMU query (default {@link #DEFAULT_COMMAND_TIMEOUT}). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    public HostCheck build() {
      return new HostCheck(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
