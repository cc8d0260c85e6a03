/**
 * HypervisorConfig and its validation, the QEMU command line, launching and supervising QEMU,
 * hotplug flows over QMP, and the Sandbox that ties devices, network and persisted state together.
 *
 * <p>Life cycle: {@link org.vmm4j.core.Sandbox#start} (a {@link org.vmm4j.core.api.SandboxSpec}:
 * id, {@link org.vmm4j.core.api.RuntimeConfig}, {@link org.vmm4j.core.api.HostCapabilities},
 * network namespace; {@link org.vmm4j.core.api.SandboxOptions}: deadlines, {@link
 * org.vmm4j.core.api.SandboxListener}, {@link org.vmm4j.core.api.StartObserver}), {@link
 * org.vmm4j.core.Sandbox#restore} from any process, {@link org.vmm4j.core.Sandbox#update} for every
 * mutating operation (store lock, re-read, work, save), {@link org.vmm4j.core.Sandbox#stop}, {@link
 * org.vmm4j.core.Sandbox#delete}, and the by-id forms the CLI uses. The implementation is in {@code
 * org.vmm4j.core.internal.vm}.
 *
 * <p>Network: {@link org.vmm4j.core.api.SandboxSpec#withNetNsPath} attaches the interfaces of a CNI
 * namespace before {@code cont}; {@link org.vmm4j.core.Sandbox#network()} ({@link
 * org.vmm4j.core.SandboxNetwork}) attaches and detaches endpoints of a running sandbox; the
 * implementation is in {@code org.vmm4j.core.internal.net}.
 *
 * <p>Containers: {@link org.vmm4j.core.Sandbox#containers()} ({@link
 * org.vmm4j.core.SandboxContainers}) creates ({@link org.vmm4j.core.api.ContainerSpec}: rootfs,
 * mounts, devices, annotations), lists, finds and removes containers, each a {@code ContainerState}
 * in Kata's schema; a disk that containers share is plugged once and counted.
 */
package org.vmm4j.core;
