/**
 * The host check: what this host offers QEMU (the QEMU binary and its version, seccomp, {@code
 * /dev/kvm} and whether a guest really runs on it, {@code /dev/net/tun}, vhost-net, vhost-vsock,
 * huge pages, CPUs and memory) and the accelerator vmm4j will use, with the reason for each answer.
 *
 * <p>{@link org.vmm4j.core.host.HostCheck} runs the check and returns a {@link
 * org.vmm4j.core.host.HostReport}; {@link org.vmm4j.core.host.HostReport#capabilities()} is what a
 * {@link org.vmm4j.core.api.SandboxSpec} takes. Whether KVM is usable is decided by a {@link
 * org.vmm4j.core.host.KvmUsability} probe supplied by the caller (the real one boots the test
 * guest, which {@code core} does not depend on); without one, KVM is "unknown" and the check picks
 * TCG, saying why.
 */
package org.vmm4j.core.host;
