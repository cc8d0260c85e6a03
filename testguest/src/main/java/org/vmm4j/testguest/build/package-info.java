/**
 * How the test guest is built (not API: use {@link org.vmm4j.testguest.TestGuest}): resolving and
 * fetching the Debian kernel package, unpacking it, choosing and ordering modules, extracting the
 * PVH {@code vmlinux}, writing the initramfs, and the cache (key, manifest, lock, atomic publish).
 */
package org.vmm4j.testguest.build;
