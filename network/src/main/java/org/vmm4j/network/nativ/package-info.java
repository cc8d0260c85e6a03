/**
 * The JNA layer: the only code that calls libc (sockets, {@code open}/{@code ioctl}, {@code
 * setns}/{@code unshare}/{@code mount}, {@code mknod}) and sees raw descriptors. Each native call
 * carries a {@code // NATIVE:} comment (preconditions, ownership); errno becomes a typed {@link
 * org.vmm4j.network.NetlinkException} right here ({@link org.vmm4j.network.nativ.Errno}). Raw
 * descriptors are wrapped in {@link org.vmm4j.network.OwnedFd} as soon as they exist.
 */
package org.vmm4j.network.nativ;
