package org.vmm4j.core.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Decides whether KVM really runs a guest on this host: {@code /dev/kvm} existing is not enough (on
 * PVM or broken nested hosts the guest hangs, or {@code -cpu host} aborts on an MSR). The real
 * probe boots the test guest ({@code org.vmm4j.testguest.KvmProbe}; the {@code cli} module adapts
 * it as {@code org.vmm4j.cli.TestGuestKvmProbe}); tests supply fakes.
 *
 * <p>{@link HostCheck} calls it only when {@code /dev/kvm} exists and is readable and writable, and
 * a usable QEMU was found. It must return within about {@code deadline} plus the time to start and
 * kill QEMU (building a guest the first time excepted), and should not throw: a probe that cannot
 * run answers {@link KvmVerdict#unknown}. An exception is reported as "unknown" too.
 */
@FunctionalInterface
public interface KvmUsability {
  /**
   * Probes KVM with this QEMU binary.
   *
   * @param qemu the QEMU binary the host check found (an absolute path)
   * @param deadline how long the probe guest may take to show it runs
   */
  KvmVerdict probe(Path qemu, Duration deadline);
}
