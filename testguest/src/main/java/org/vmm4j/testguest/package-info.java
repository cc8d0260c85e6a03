/**
 * The test guest: builds a Debian kernel and a busybox initramfs with a small agent, talks to that
 * agent, and probes whether KVM can actually run a guest.
 *
 * <ul>
 *   <li>{@link org.vmm4j.testguest.TestGuest#ensureBuilt} gives {@link
 *       org.vmm4j.testguest.GuestArtifacts} (built once, cached, verified on use);
 *   <li>{@link org.vmm4j.testguest.AgentChannel#kernelParameter} selects where the agent listens
 *       ({@code agent=hvc0} on vmm4j's console.sock, a virtio-serial port, ttyS1);
 *   <li>{@link org.vmm4j.testguest.AgentClient} asks it, with a deadline on every call;
 *   <li>{@link org.vmm4j.testguest.KvmProbe} boots the guest with KVM to see whether KVM works.
 * </ul>
 *
 * Every failure is a {@link org.vmm4j.testguest.TestGuestException}. How the guest is built is
 * package-private: resolving and fetching the Debian kernel package ({@code AptKernelSource},
 * {@code Downloads}), unpacking it ({@code KernelTree}), choosing and ordering modules ({@code
 * Modules}), extracting the PVH {@code vmlinux} ({@code Vmlinux}, {@code Elf}), writing the
 * initramfs ({@code Cpio}, {@code GuestBuild}), and the cache ({@code GuestCache}, {@code
 * Manifest}, {@code CacheLock}); see the module's README.md for the cache layout and the agent
 * protocol.
 */
package org.vmm4j.testguest;
