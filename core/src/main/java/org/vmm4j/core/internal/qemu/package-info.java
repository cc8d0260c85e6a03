/**
 * Implementation of {@link org.vmm4j.core.internal.qemu.QemuCommandLine#build}: the QEMU 7.2 argv,
 * split by concern (machine, CPU and memory; kernel; PCI topology; devices; shared file system;
 * sockets and process knobs), assembled in Kata's order by {@link
 * org.vmm4j.core.internal.qemu.QemuArgvBuilder}.
 */
package org.vmm4j.core.internal.qemu;
