package org.vmm4j.testguest;

import java.nio.file.Path;

/**
 * A built test guest: boot {@code vmlinux} (an ELF with a PVH entry, twice as fast under TCG) or
 * {@code bzImage} with {@code -kernel}, and {@code initramfs} with {@code -initrd}.
 *
 * @param dir the cache entry holding the files (read-only by convention: never modify it)
 * @param vmlinux the uncompressed kernel (PVH ELF)
 * @param bzImage the Debian kernel as packaged
 * @param initramfs a gzip-compressed newc cpio: busybox, modules, {@code /init}, the agent
 * @param kernelVersion the kernel release, e.g. {@code 6.1.0-57-amd64}
 * @param kernelPackage the Debian package, e.g. {@code linux-image-6.1.0-57-amd64}
 * @param packageVersion the Debian package version, e.g. {@code 6.1.192-3}
 * @param cacheKey the hash of everything the build depends on
 */
public record GuestArtifacts(
    Path dir,
    Path vmlinux,
    Path bzImage,
    Path initramfs,
    String kernelVersion,
    String kernelPackage,
    String packageVersion,
    String cacheKey) {}
