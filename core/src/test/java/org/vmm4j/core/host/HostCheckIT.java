package org.vmm4j.core.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;

/** {@link HostCheck} on this host, against the real QEMU binary and /proc. */
class HostCheckIT {

  @Test
  void theRealQemuAndThisHost() throws Exception {
    HostReport r = HostCheck.withoutProbe().run();
    assumeTrue(
        r.qemuUsable(),
        "no usable qemu-system-x86_64 (install qemu-system-x86): " + r.qemu().problem());
    QemuBinary q = r.qemu();
    String[] versionOut = run(q.path().toString(), "-version").split("\n");
    assertThat(q.versionLine()).isEqualTo(versionOut[0].strip());
    assertThat(q.version()).matches("\\d+\\.\\d+(\\.\\d+)?");
    assertThat(versionOut[0]).contains(" " + q.version());
    assertThat(q.machines()).contains("q35", "pc", "microvm");
    // QEMU validates -sandbox before -version exits: accepted exactly when built with seccomp.
    boolean acceptsSandbox = exitCode(q.path().toString(), "-sandbox", "on", "-version") == 0;
    assertThat(q.seccomp()).isEqualTo(acceptsSandbox);

    assertThat(r.kvm().present()).isEqualTo(Files.exists(Path.of("/dev/kvm")));
    assertThat(r.kvm().usable()).isFalse();
    assertThat(r.accelerator()).isEqualTo(Accelerator.TCG);
    assertThat(r.tun().present()).isEqualTo(Files.exists(Path.of("/dev/net/tun")));
    assertThat(r.vhostVsock().present()).isEqualTo(Files.exists(Path.of("/dev/vhost-vsock")));
    String meminfo = Files.readString(Path.of("/proc/meminfo"));
    assertThat(r.resources().memTotalMiB()).isEqualTo(HostCapabilities.memTotalMiB(meminfo));
    assertThat(r.resources().cpus()).isPositive();

    // The second run on the same binary answers from memory (no QEMU started): same answer.
    assertThat(HostCheck.withoutProbe().run().qemu()).isEqualTo(q);
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static int exitCode(String... argv) throws Exception {
    Process p =
        new ProcessBuilder(List.of(argv))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
