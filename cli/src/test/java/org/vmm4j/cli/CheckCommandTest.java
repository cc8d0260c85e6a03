package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.core.host.KvmUsability;
import org.vmm4j.core.host.KvmVerdict;
import org.vmm4j.testing.host.FakeHost;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code vmm4j check} in process on a fake host (fake /dev, /proc and QEMU; fake KVM probes). */
class CheckCommandTest {
  @TempDir Path dir;

  private CliRun check(FakeHost host, KvmUsability probe, String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "check";
    System.arraycopy(args, 0, argv, 1, args.length);
    return ContextRun.context()
        .hostCheck(progress -> FakeHostChecks.check(host).kvmProbe(probe))
        .run(argv);
  }

  private static final KvmUsability HANGS =
      (qemu, deadline) ->
          KvmVerdict.unusable(
              "the KVM probe guest did not print its first line within "
                  + HostCheck.seconds(deadline)
                  + " (it hangs under KVM)",
              "no agent line within 4000 ms (the guest hangs); console: (nothing)",
              deadline,
              false);

  @Test
  void reportOfAHostWithoutKvm() {
    FakeHost host = FakeHost.in(dir).devices(HostCheck.DEV_TUN);
    CliRun r = check(host, null);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            String.join(
                "\n",
                "QEMU          " + host.qemuPath() + ": " + FakeHost.VERSION_LINE,
                "seccomp       yes (-sandbox)",
                "machines      q35 pc microvm (4 types in all)",
                "KVM           absent (/dev/kvm)",
                "/dev/net/tun  usable: /dev/net/tun is present, read/write",
                "vhost-net     absent (/dev/vhost-net)",
                "vhost-vsock   absent (/dev/vhost-vsock)",
                "hugepages     not usable: no hugetlbfs is mounted; 0 of 0 reserved 2048 kB pages"
                    + " free",
                "host          2 CPUs, 24002 MiB",
                "accelerator   tcg: /dev/kvm is absent",
                ""));
  }

  @Test
  void aKvmThatHangsFallsBackToTcgWithExitZeroAndTheDetailWithVerbose() {
    FakeHost host = FakeHost.in(dir).devices(HostCheck.DEV_KVM);
    CliRun r = check(host, HANGS);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "KVM           unusable: the KVM probe guest did not print its first line within 4 s"
                + " (it hangs under KVM)\n")
        .contains(
            "accelerator   tcg: the KVM probe guest did not print its first line within 4 s"
                + " (it hangs under KVM)\n")
        .doesNotContain("probe:");
    CliRun verbose =
        ContextRun.context()
            .hostCheck(progress -> FakeHostChecks.check(host).kvmProbe(HANGS))
            .run("--verbose", "check");
    assertThat(verbose.out())
        .contains(
            "\n              probe: no agent line within 4000 ms (the guest hangs); console:"
                + " (nothing)\n");
  }

  @Test
  void aKvmWhoseProbeGuestBootsIsTheAcceleratorAndProgressGoesToStderr() {
    FakeHost host = FakeHost.in(dir).devices(HostCheck.DEV_KVM);
    CliRun r =
        ContextRun.context()
            .hostCheck(
                progress ->
                    FakeHostChecks.check(host)
                        .kvmProbe(
                            (qemu, deadline) -> {
                              progress.accept("test guest: building");
                              return KvmVerdict.usable(
                                  "probe guest booted in 0.42 s", Duration.ofMillis(420), false);
                            }))
            .run("check");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEqualTo("vmm4j: test guest: building\n");
    assertThat(r.out())
        .contains("KVM           usable: probe guest booted in 0.42 s\n")
        .endsWith("accelerator   kvm: probe guest booted in 0.42 s\n");
  }

  @Test
  void jsonIsOneDocumentWithEveryItem() throws Exception {
    FakeHost host =
        FakeHost.in(dir)
            .devices(HostCheck.DEV_KVM, HostCheck.DEV_VHOST_VSOCK)
            .proc("cpuinfo", "processor : 0\nflags : fpu hypervisor\n");
    CliRun r = check(host, HANGS, "--json");
    assertThat(r.exitCode()).isZero();
    JsonNode j = JsonMapper.builder().build().readTree(r.out());
    assertThat(j.get("qemu").get("path").asString()).isEqualTo(host.qemuPath().toString());
    assertThat(j.get("qemu").get("version").asString()).isEqualTo("7.2.22");
    assertThat(j.get("qemu").get("seccomp").asBoolean()).isTrue();
    assertThat(j.get("qemu").get("machines").size()).isEqualTo(4);
    JsonNode kvm = j.get("kvm");
    assertThat(kvm.get("present").asBoolean()).isTrue();
    assertThat(kvm.get("usable").asBoolean()).isFalse();
    assertThat(kvm.get("status").asString()).isEqualTo("unusable");
    assertThat(kvm.get("probe").get("elapsedMillis").asLong()).isEqualTo(4000);
    assertThat(kvm.get("probe").get("detail").asString()).startsWith("no agent line within");
    assertThat(j.get("tun").get("status").asString()).isEqualTo("absent");
    assertThat(j.get("vhostVsock").get("usable").asBoolean()).isTrue();
    assertThat(j.get("vhostNet").get("reason").asString()).isEqualTo("/dev/vhost-net is absent");
    assertThat(j.get("hugePages").get("pageSizeKiB").asLong()).isEqualTo(2048);
    assertThat(j.get("host").get("cpus").asInt()).isEqualTo(1);
    assertThat(j.get("host").get("nested").asBoolean()).isTrue();
    assertThat(j.get("accelerator").asString()).isEqualTo("tcg");
    assertThat(j.get("acceleratorReason").asString()).startsWith("tcg: the KVM probe guest");
  }

  @Test
  void withoutKvmTheJsonProbeIsNull() throws Exception {
    CliRun r = check(FakeHost.in(dir), null, "--json");
    JsonNode j = JsonMapper.builder().build().readTree(r.out());
    assertThat(j.get("kvm").get("probe").isNull()).isTrue();
    assertThat(j.get("kvm").get("status").asString()).isEqualTo("absent");
  }

  @Test
  void noUsableQemuIsExitOneAfterTheReport() throws Exception {
    FakeHost host = FakeHost.in(dir);
    Files.delete(host.qemuPath());
    Path missing = host.qemuPath();
    CliRun r = check(host, null);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("QEMU          not usable: " + missing + " does not exist\n")
        .contains("accelerator   tcg: /dev/kvm is absent\n");
    assertThat(r.err()).isEqualTo("vmm4j check: no usable QEMU: " + missing + " does not exist\n");

    CliRun json = check(host, null, "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode j = JsonMapper.builder().build().readTree(json.out());
    assertThat(j.get("qemu").get("usable").asBoolean()).isFalse();
    assertThat(j.get("qemu").get("path").isNull()).isTrue();
  }

  @Test
  void qemuOptionPicksTheBinary() throws Exception {
    FakeHost host = FakeHost.in(dir);
    Path other = dir.resolve("other-qemu");
    Files.copy(host.qemuPath(), other);
    CliRun r = check(host, null, "--qemu", other.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("QEMU          " + other + ": ");
  }
}
