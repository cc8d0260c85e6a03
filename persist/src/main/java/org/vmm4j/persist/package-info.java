/**
 * The persisted sandbox state in Kata 1.13's schema, its Go-exact JSON codec, and the crash-safe
 * file store.
 *
 * <p><b>Schema.</b> One immutable record per Go type of Kata 1.13's {@code persistapi} ({@link
 * org.vmm4j.persist.SandboxState}, {@link org.vmm4j.persist.ContainerState}, {@link
 * org.vmm4j.persist.DeviceState}, ...) and of the library types it embeds (runc's {@code
 * configs.Cgroup} as {@link org.vmm4j.persist.Cgroup}, OCI's {@code LinuxResources}, netlink's
 * {@code Addr} as {@link org.vmm4j.persist.NetlinkAddr}). Java names follow Java conventions
 * ({@code CPUDevice} is {@code CpuDevice}, {@code VFIODev} is {@code VfioDev}, {@code Process} is
 * {@code ContainerProcess}); each component's {@code @GoField} gives the Go field and its JSON key.
 * Every Go integer is a {@code long} whose range is checked when read and written ({@code
 * uint}/{@code uint64} use all 64 bits: read values above {@code Long.MAX_VALUE} with {@code
 * Long.toUnsignedString}). Go's nil is {@code null} for slices, maps and pointers, distinct from
 * empty; Go value fields (strings, structs) are never null. Records with seven or more fields have
 * a {@code builder()} starting from Go zero values, and {@code toBuilder()}.
 *
 * <p><b>Codec.</b> {@link org.vmm4j.persist.PersistCodec} writes what Go's encoder writes, byte for
 * byte, except that a known {@link org.vmm4j.persist.PciPath} is written as its string (Kata writes
 * {@code {}}, losing the path); it reads strictly and reports {@link
 * org.vmm4j.persist.StateFormatException} with the source, the JSON path and the value.
 *
 * <p><b>Store.</b> {@link org.vmm4j.persist.FsStore}: Kata's layout, crash-safe writes, 0600 files
 * and 0700 directories, ids checked by {@link org.vmm4j.persist.Ids}, cross-process {@link
 * org.vmm4j.persist.StoreLock}s with deadlines. Every failure is a {@link
 * org.vmm4j.persist.PersistException}.
 */
package org.vmm4j.persist;
