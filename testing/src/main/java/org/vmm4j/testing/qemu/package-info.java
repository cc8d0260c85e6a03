/**
 * Files a QEMU configuration names, made in a test directory ({@link
 * org.vmm4j.testing.qemu.TestAssets}: a kernel QEMU loads, an initrd, a rootfs image, a stand-in
 * virtiofsd), and a kernel that only halts ({@link org.vmm4j.testing.qemu.HaltKernel}), so that a
 * real QEMU runs a sandbox with no guest operating system.
 */
package org.vmm4j.testing.qemu;
