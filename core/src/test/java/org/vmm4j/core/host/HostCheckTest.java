package org.vmm4j.core.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HostException;
import org.vmm4j.testing.host.FakeHost;

/** {@link HostCheck} on a fake host: the accelerator decision and every item with its reason. */
class HostCheckTest {
  @TempDir Path dir;

  private static final KvmUsability MUST_NOT_PROBE =
      (q, d) -> {
        throw new AssertionError("the probe must not run");
      };

  @Test
  void withoutDevKvmTheAcceleratorIsTcgAndTheProbeDoesNotRun() {
    HostReport r = check(FakeHost.in(dir)).kvmProbe(MUST_NOT_PROBE).build().run();
    assertThat(r.kvm().availability()).isEqualTo(Availability.ABSENT);
    assertThat(r.kvm().present()).isFalse();
    assertThat(r.kvmProbe()).isEmpty();
    assertThat(r.accelerator()).isEqualTo(Accelerator.TCG);
    assertThat(r.acceleratorReason()).isEqualTo("tcg: /dev/kvm is absent");
    assertThat(r.capabilities().kvmUsable()).isFalse();
  }

  @Test
  void devKvmWithoutProbeIsUnknownAndFallsBackToTcg() {
    HostReport r = check(FakeHost.in(dir).devices(HostCheck.DEV_KVM)).build().run();
    assertThat(r.kvm().availability()).isEqualTo(Availability.UNKNOWN);
    assertThat(r.kvm().present()).isTrue();
    assertThat(r.accelerator()).isEqualTo(Accelerator.TCG);
    assertThat(r.acceleratorReason())
        .startsWith("tcg: usability unknown (no probe): /dev/kvm is present");
  }

  @Test
  void aGuestThatBootsMakesKvmTheAcceleratorAndTheProbeGetsTheBinaryAndDeadline() {
    FakeHost host = FakeHost.in(dir).devices(HostCheck.DEV_KVM);
    List<String> calls = new ArrayList<>();
    KvmUsability probe =
        (qemu, deadline) -> {
          calls.add(qemu + " " + deadline);
          return KvmVerdict.usable("probe guest booted in 0.42 s", Duration.ofMillis(420), false);
        };
    HostReport r = check(host).kvmProbe(probe).probeTimeout(Duration.ofSeconds(3)).build().run();
    assertThat(calls).containsExactly(host.qemuPath() + " PT3S");
    assertThat(r.accelerator()).isEqualTo(Accelerator.KVM);
    assertThat(r.acceleratorReason()).isEqualTo("kvm: probe guest booted in 0.42 s");
    assertThat(r.kvm().usable()).isTrue();
    assertThat(r.kvmProbe()).map(KvmVerdict::elapsed).contains(Duration.ofMillis(420));
    assertThat(r.capabilities().kvmUsable()).isTrue();
  }

  @Test
  void aGuestThatHangsFallsBackToTcgWithTheProbesReason() {
    KvmUsability probe =
        (qemu, deadline) ->
            KvmVerdict.unusable(
                "the KVM probe guest did not print its first line within 3 s",
                "console: (nothing)",
                Duration.ofSeconds(3),
                false);
    HostReport r = check(FakeHost.in(dir).devices(HostCheck.DEV_KVM)).kvmProbe(probe).build().run();
    assertThat(r.kvm().availability()).isEqualTo(Availability.UNUSABLE);
    assertThat(r.kvm().present()).isTrue();
    assertThat(r.acceleratorReason())
        .isEqualTo("tcg: the KVM probe guest did not print its first line within 3 s");
    assertThat(r.kvmProbe().orElseThrow().detail()).isEqualTo("console: (nothing)");
    assertThat(r.capabilities().kvmUsable()).isFalse();
  }

  @Test
  void aRememberedAnswerSaysSo() {
    KvmUsability probe =
        (qemu, deadline) ->
            KvmVerdict.usable("probe guest booted in 0.42 s", Duration.ofMillis(420), true);
    HostReport r = check(FakeHost.in(dir).devices(HostCheck.DEV_KVM)).kvmProbe(probe).build().run();
    assertThat(r.acceleratorReason())
        .isEqualTo("kvm: probe guest booted in 0.42 s (probed earlier in this host boot)");
  }

  @Test
  void aProbeThatThrowsIsUnknownNotFatal() {
    KvmUsability probe =
        (qemu, deadline) -> {
          throw new IllegalStateException("boom");
        };
    HostReport r = check(FakeHost.in(dir).devices(HostCheck.DEV_KVM)).kvmProbe(probe).build().run();
    assertThat(r.kvm().availability()).isEqualTo(Availability.UNKNOWN);
    assertThat(r.acceleratorReason()).isEqualTo("tcg: the KVM probe failed: boom");
  }

  @Test
  void devKvmWithoutAccessIsUnusableAndNotProbed() {
    HostReport r =
        check(FakeHost.in(dir).devices(HostCheck.DEV_KVM, HostCheck.DEV_TUN))
            .access(p -> !p.endsWith("kvm"))
            .kvmProbe(MUST_NOT_PROBE)
            .build()
            .run();
    assertThat(r.kvm().availability()).isEqualTo(Availability.UNUSABLE);
    assertThat(r.acceleratorReason()).isEqualTo("tcg: no read/write access to /dev/kvm");
    assertThat(r.tun().usable()).isTrue();
  }

  @Test
  void devicesAreReportedByTheirHostPaths() {
    HostReport r =
        check(FakeHost.in(dir).devices(HostCheck.DEV_TUN, HostCheck.DEV_VHOST_VSOCK)).build().run();
    assertThat(r.tun())
        .isEqualTo(
            new HostItem(
                "tun",
                Path.of("/dev/net/tun"),
                Availability.USABLE,
                "/dev/net/tun is present, read/write"));
    assertThat(r.vhostNet())
        .isEqualTo(
            new HostItem(
                "vhost-net",
                Path.of("/dev/vhost-net"),
                Availability.ABSENT,
                "/dev/vhost-net is absent"));
    assertThat(r.vhostVsock().usable()).isTrue();
    assertThat(r.devices())
        .extracting(HostItem::name)
        .containsExactly("kvm", "tun", "vhost-net", "vhost-vsock");
    assertThat(r.capabilities().vhostVsock()).isTrue();
  }

  @Test
  void qemuVersionSeccompAndMachinesComeFromItsOutput() {
    HostReport r = check(FakeHost.in(dir)).build().run();
    QemuBinary q = r.qemu();
    assertThat(q.usable()).isTrue();
    assertThat(q.path()).isEqualTo(FakeHost.in(dir).qemuPath());
    assertThat(q.versionLine()).isEqualTo(FakeHost.VERSION_LINE);
    assertThat(q.version()).isEqualTo("7.2.22");
    assertThat(q.isAtLeast(7, 2)).isTrue();
    assertThat(q.isAtLeast(7, 3)).isFalse();
    assertThat(q.isAtLeast(6, 9)).isTrue();
    assertThat(q.seccomp()).isTrue();
    assertThat(q.machines()).containsExactly("microvm", "pc", "q35", "pc-q35-7.2");
    assertThat(q.knowsMachine("q35")).isTrue();
    assertThat(r.requireQemu()).isEqualTo(q.path());
    assertThat(r.capabilities()).isEqualTo(new HostCapabilities(false, true, false, false, 24002));
  }

  @Test
  void qemuWithoutSeccompGivesNoSandbox() {
    FakeHost host = FakeHost.in(dir).qemu("QEMU emulator version 8.0.0", 0, false);
    HostReport r = check(host).build().run();
    assertThat(r.qemu().version()).isEqualTo("8.0.0");
    assertThat(r.qemu().seccomp()).isFalse();
    assertThat(r.capabilities().qemuSeccomp()).isFalse();
  }

  @Test
  void aBareNameIsFoundOnTheSearchPath() {
    FakeHost host = FakeHost.in(dir);
    HostReport r = check(host).qemu(Path.of("qemu-system-x86_64")).build().run();
    assertThat(r.qemu().requested()).isEqualTo(Path.of("qemu-system-x86_64"));
    assertThat(r.qemu().path()).isEqualTo(host.qemuPath());
  }

  @Test
  void missingQemuIsReportedAndKvmIsNotProbed() throws Exception {
    FakeHost host = FakeHost.in(dir).devices(HostCheck.DEV_KVM);
    Files.delete(host.qemuPath());
    HostReport r =
        check(host).qemu(Path.of("qemu-system-x86_64")).kvmProbe(MUST_NOT_PROBE).build().run();
    assertThat(r.qemuUsable()).isFalse();
    assertThat(r.qemu().path()).isNull();
    assertThat(r.qemu().problem())
        .isEqualTo("qemu-system-x86_64 not found in " + dir.resolve("usr/bin"));
    assertThat(r.kvm().availability()).isEqualTo(Availability.UNKNOWN);
    assertThat(r.acceleratorReason()).isEqualTo("tcg: not probed: no usable QEMU");
    assertThatThrownBy(r::requireQemu)
        .isInstanceOf(HostException.class)
        .hasMessage(
            "host check: no usable QEMU: qemu-system-x86_64 not found in "
                + dir.resolve("usr/bin"));
  }

  @Test
  void aMissingPathAndANonExecutableFileAreProblems() throws Exception {
    FakeHost host = FakeHost.in(dir);
    Path missing = dir.resolve("nope/qemu");
    assertThat(check(host).qemu(missing).build().run().qemu().problem())
        .isEqualTo(missing + " does not exist");
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    assertThat(check(host).qemu(plain).build().run().qemu().problem())
        .isEqualTo(plain + " is not an executable file");
  }

  @Test
  void aFailingVersionQueryShowsItsStatusAndOutput() {
    FakeHost host =
        FakeHost.in(dir).qemu("error while loading shared libraries: libfoo.so", 127, true);
    QemuBinary q = check(host).build().run().qemu();
    assertThat(q.usable()).isFalse();
    assertThat(q.problem())
        .isEqualTo(
            host.qemuPath()
                + " -version exited with status 127: error while loading shared libraries:"
                + " libfoo.so | Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project"
                + " developers");
  }

  @Test
  void anUnrecognisedVersionLineIsAProblem() {
    FakeHost host = FakeHost.in(dir).qemu("something else 1.0", 0, true);
    assertThat(check(host).build().run().qemu().problem())
        .isEqualTo(
            host.qemuPath()
                + " -version printed no 'QEMU emulator version' line: 'something else 1.0'");
  }

  @Test
  void aQemuThatHangsIsCutOffAtTheDeadline() {
    FakeHost host = FakeHost.in(dir).hangingQemu();
    QemuBinary q = check(host).commandTimeout(Duration.ofMillis(300)).build().run().qemu();
    assertThat(q.problem()).isEqualTo(host.qemuPath() + " -version did not finish within 300 ms");
  }

  @Test
  void resourcesComeFromProc() {
    FakeHost host =
        FakeHost.in(dir)
            .proc(
                "cpuinfo",
                "processor : 0\nflags : fpu hypervisor\n\nprocessor : 1\n\nprocessor : 2\n"
                    + "flags : fpu hypervisor\n")
            .proc("meminfo", "MemTotal: 2097152 kB\n");
    HostReport r = check(host).build().run();
    assertThat(r.resources()).isEqualTo(new HostResources(3, 2048, true));
    assertThat(r.capabilities().nested()).isTrue();
    assertThat(r.capabilities().memTotalMiB()).isEqualTo(2048);
    assertThat(r.hugePages().pageSizeKiB()).isZero();
    assertThat(r.hugePages().reason()).isEqualTo("the kernel has no huge pages (no Hugepagesize)");
  }

  @Test
  void missingMeminfoIsAnErrorNamingTheFile() throws Exception {
    FakeHost host = FakeHost.in(dir);
    Files.delete(dir.resolve("proc/meminfo"));
    assertThatThrownBy(() -> check(host).build().run())
        .isInstanceOf(HostException.class)
        .hasMessageStartingWith("host check: cannot read /proc/meminfo: no such file");
  }

  @Test
  void deadlinesAreShownInSecondsOrMilliseconds() {
    assertThat(HostCheck.seconds(Duration.ofSeconds(3))).isEqualTo("3 s");
    assertThat(HostCheck.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(HostCheck.seconds(Duration.ofMillis(300))).isEqualTo("300 ms");
  }

  /** A check of {@code host}: its root, its QEMU, its {@code usr/bin} as search path. */
  private static HostCheck.Builder check(FakeHost host) {
    return HostCheck.builder()
        .hostRoot(host.root())
        .qemu(host.qemuPath())
        .searchPath(host.searchPath());
  }
}
