package org.vmm4j.core.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HostException;

/**
 * Everything the host check found, each item with a reason a human can act on.
 *
 * @param qemu the QEMU binary (usable or not, and why)
 * @param kvm {@code /dev/kvm}: absent, unusable (no access, or the probe guest did not run),
 *     unknown (no probe was supplied, or it could not run) or usable (a probe guest ran)
 * @param kvmProbe what the KVM probe said, when it ran
 * @param tun {@code /dev/net/tun} (tap endpoints)
 * @param vhostNet {@code /dev/vhost-net} (vhost acceleration of virtio-net)
 * @param vhostVsock {@code /dev/vhost-vsock} (the vsock agent channel)
 * @param hugePages huge pages for hugepage-backed guest memory
 * @param resources host CPUs, memory, and whether the host is itself a guest
 * @param accelerator what vmm4j will use: {@link Accelerator#KVM} or {@link Accelerator#TCG} (never
 *     {@link Accelerator#AUTO})
 * @param acceleratorReason the accelerator and why, e.g. {@code tcg: /dev/kvm is absent} or {@code
 *     kvm: probe guest booted in 0.42 s}
 */
public record HostReport(
    QemuBinary qemu,
    HostItem kvm,
    Optional<KvmVerdict> kvmProbe,
    HostItem tun,
    HostItem vhostNet,
    HostItem vhostVsock,
    HugePages hugePages,
    HostResources resources,
    Accelerator accelerator,
    String acceleratorReason) {
  public HostReport {
    Objects.requireNonNull(qemu, "qemu");
    Objects.requireNonNull(kvm, "kvm");
    Objects.requireNonNull(kvmProbe, "kvmProbe");
    Objects.requireNonNull(tun, "tun");
    Objects.requireNonNull(vhostNet, "vhostNet");
    Objects.requireNonNull(vhostVsock, "vhostVsock");
    Objects.requireNonNull(hugePages, "hugePages");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(acceleratorReason, "acceleratorReason");
    if (accelerator == Accelerator.AUTO) {
      throw new IllegalArgumentException("the host check picks KVM or TCG, not AUTO");
    }
  }

  /** Whether a usable QEMU binary was found. */
  public boolean qemuUsable() {
    return qemu.usable();
  }

  /**
   * The QEMU binary to run.
   *
   * @throws HostException "host check: no usable QEMU: REASON" when there is none
   */
  public Path requireQemu() {
    if (!qemu.usable()) {
      throw new HostException("host check: no usable QEMU: " + qemu.problem());
    }
    return qemu.path();
  }

  /** The device items in report order: kvm, tun, vhost-net, vhost-vsock. */
  public List<HostItem> devices() {
    return List.of(kvm, tun, vhostNet, vhostVsock);
  }

  /**
   * What {@link org.vmm4j.core.internal.qemu.QemuCommandLine} takes: KVM usable only when the
   * accelerator is KVM (a probe guest ran), seccomp from the binary's {@code -help}, vhost-vsock,
   * nesting, host memory.
   */
  public HostCapabilities capabilities() {
    return new HostCapabilities(
        accelerator == Accelerator.KVM,
        qemu.seccomp(),
        vhostVsock.usable(),
        resources.nested(),
        resources.memTotalMiB());
  }
}
