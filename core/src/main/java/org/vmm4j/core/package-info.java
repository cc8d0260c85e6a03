/**
 * The entry points of vmm4j's API: {@link org.vmm4j.core.Sandbox} (start, restore from any process,
 * stop, delete, detach) and its views {@link org.vmm4j.core.SandboxDevices}, {@link
 * org.vmm4j.core.SandboxNetwork} and {@link org.vmm4j.core.SandboxContainers}; {@link
 * org.vmm4j.core.ConfigLoader} (JSON, Kata's {@code configuration.toml}, a whole {@code
 * persist.json}; defaults, validation, annotations); {@link org.vmm4j.core.SandboxEvents} (the
 * events of every sandbox of a store this JVM manages). What they take and give is in {@code
 * org.vmm4j.core.api}; the host check in {@code org.vmm4j.core.host}.
 *
 * <p>Every change to a running sandbox is one transaction: the sandbox's store lock, its state read
 * and its model restored once, the work, one save, the lock released. On failure the work is undone
 * in QEMU and on the host and nothing is saved; where an undo fails, what stayed is saved as it is
 * (fenced as reconcile does) and the error names it. Devices, network endpoints, containers and
 * reconcile all go through it; every kind of device unplugs through one path.
 */
package org.vmm4j.core;
