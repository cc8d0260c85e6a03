package org.vmm4j.testguest;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds out whether KVM can really run a guest here: {@code /dev/kvm} existing is not enough (on a
 * PVM or broken nested host, {@code -cpu host} aborts on an MSR and other models hang with no
 * output). The probe boots the test guest with the accelerator and waits, up to a short deadline,
 * for the agent's first line ({@code READY}) on the second serial port, written to a file.
 *
 * <p>Results are cached in {@code cacheDir} keyed by the host boot ({@code
 * /proc/sys/kernel/random/boot_id}), the QEMU binary and version, the guest build, the accelerator,
 * CPU model, machine and deadline. Under TCG the same probe succeeds (in ~4 s), which is how its
 * success path is tested.
 *
 * @param qemu the QEMU binary (a name is looked up on PATH by the OS)
 * @param accel {@code kvm} or {@code tcg}
 * @param cpu the {@code -cpu} model ({@code host} is what vmm4j uses with KVM)
 * @param machine the machine type
 * @param timeout how long the guest may take to say READY (KVM: well under a second)
 * @param cacheDir where results are kept; null: no cache
 */
public record KvmProbe(
    Path qemu, String accel, String cpu, String machine, Duration timeout, Path cacheDir) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Path DEV_KVM = Path.of("/dev/kvm");

  /** Deadline of {@code qemu --version} (part of the cache key). */
  public static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

  public KvmProbe {
    if (!accel.equals("kvm") && !accel.equals("tcg")) {
      throw new IllegalArgumentException("accelerator '" + accel + "' (kvm or tcg)");
    }
  }

  /** KVM with {@code -cpu host} on q35, {@link #DEFAULT_TIMEOUT}, cached under the vmm4j cache. */
  public static KvmProbe kvm(Path qemu) {
    return new KvmProbe(
        qemu,
        "kvm",
        "host",
        "q35",
        DEFAULT_TIMEOUT,
        TestGuest.vmm4jCacheRoot().resolve("kvm-probe"));
  }

  /** The same probe under TCG ({@code -cpu max}): a guest that boots shows the probe works. */
  public KvmProbe withTcg() {
    return new KvmProbe(qemu, "tcg", "max", machine, timeout, cacheDir);
  }

  public KvmProbe withCpu(String model) {
    return new KvmProbe(qemu, accel, model, machine, timeout, cacheDir);
  }

  public KvmProbe withTimeout(Duration t) {
    return new KvmProbe(qemu, accel, cpu, machine, t, cacheDir);
  }

  public KvmProbe withCacheDir(Path dir) {
    return new KvmProbe(qemu, accel, cpu, machine, timeout, dir);
  }

  /** Boots {@code guest} (or answers from the cache) and says whether it ran. */
  public KvmProbeResult probe(GuestArtifacts guest) {
    if (accel.equals("kvm") && !(Files.isReadable(DEV_KVM) && Files.isWritable(DEV_KVM))) {
      return new KvmProbeResult(
          false,
          Files.exists(DEV_KVM) ? "no access to /dev/kvm" : "no /dev/kvm",
          Duration.ZERO,
          false,
          accel,
          cpu);
    }
    Path cached = cacheDir == null ? null : cacheDir.resolve(key(guest) + ".properties");
    KvmProbeResult known = cached == null ? null : readCache(cached);
    if (known != null) {
      return known.cached();
    }
    KvmProbeResult r = ProbeBoot.run(this, guest);
    if (cached != null) {
      writeCache(cached, r);
    }
    return r;
  }

  List<String> commandLine(GuestArtifacts guest, Path dir) {
    return List.of(
        qemu.toString(),
        "-machine",
        machine,
        "-accel",
        accel,
        "-cpu",
        cpu,
        "-nodefaults",
        "-no-user-config",
        "-display",
        "none",
        "-no-reboot",
        "-m",
        "256M",
        "-smp",
        "1",
        "-kernel",
        guest.vmlinux().toString(),
        "-initrd",
        guest.initramfs().toString(),
        "-append",
        "console=ttyS0 panic=-1 agent=ttyS1",
        "-serial",
        "file:" + dir.resolve("console.log"),
        "-serial",
        "file:" + dir.resolve("agent.log"));
  }

  private String key(GuestArtifacts guest) {
    String version =
        Exec.run(List.of(qemu.toString(), "--version"), Path.of("/"), null, VERSION_TIMEOUT)
            .output()
            .lines()
            .findFirst()
            .orElse("?");
    String s =
        String.join(
            "\n",
            bootId(),
            resolvedQemu(),
            version,
            guest.cacheKey(),
            accel,
            cpu,
            machine,
            Long.toString(timeout.toMillis()));
    return HexFormat.of()
        .formatHex(Manifest.digest().digest(s.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 24);
  }

  /** The QEMU binary's real path (a bare name looked up on PATH), for the cache key. */
  private String resolvedQemu() {
    Path q = qemu;
    if (q.getParent() == null) {
      for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d).resolve(q))) {
          q = Path.of(d).resolve(q);
          break;
        }
      }
    }
    try {
      return q.toRealPath().toString();
    } catch (IOException e) {
      return q.toAbsolutePath().toString();
    }
  }

  private static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "unknown-boot";
    }
  }

  private KvmProbeResult readCache(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      return new KvmProbeResult(
          Boolean.parseBoolean(p.getProperty("usable")),
          p.getProperty("reason", ""),
          Duration.ofMillis(Long.parseLong(p.getProperty("millis"))),
          true,
          accel,
          cpu);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void writeCache(Path file, KvmProbeResult r) {
    Properties p = new Properties();
    p.setProperty("usable", Boolean.toString(r.usable()));
    p.setProperty("reason", r.reason());
    p.setProperty("millis", Long.toString(r.elapsed().toMillis()));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "probe", ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(w, String.format(Locale.ROOT, "vmm4j KVM probe (%s, -cpu %s)", r.accel(), r.cpu()));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // the next probe just boots again
    }
  }
}
