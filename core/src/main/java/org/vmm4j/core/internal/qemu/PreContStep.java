package org.vmm4j.core.internal.qemu;

/**
 * Work the launcher does over QMP after QEMU started (stopped by {@code -S}) and before {@code
 * cont}: everything that needs a file descriptor, which QEMU cannot inherit (Java's {@code
 * ProcessBuilder} closes every descriptor above 2 in the child).
 */
public sealed interface PreContStep {

  /**
   * The agent's vhost-vsock device: open {@code /dev/vhost-vsock}, reserve a free guest CID on it
   * ({@code VHOST_VSOCK_SET_GUEST_CID}, Kata's {@code FindContextID}), pass the fd with {@code
   * getfd}, then {@code device_add {"driver":"vhost-vsock-pci","id":"vsock-<cid>",
   * "guest-cid":<cid>,"vhostfd":<fdname>,"bus":<bus>}} (plus {@code "disable-modern":true} when
   * {@link #disableModern()}).
   *
   * @param bus where it goes: {@code pci.0} on pc (ACPI hotplug takes it), the dedicated root port
   *     {@code vsock-rp} on q35 ({@code pcie.0} takes no hot-plugged device)
   * @param disableModern Kata's nesting rule for virtio PCI devices
   */
  record AddVhostVsock(String bus, boolean disableModern) implements PreContStep {}
}
