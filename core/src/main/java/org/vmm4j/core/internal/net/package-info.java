/**
 * The host side of a sandbox's network endpoints: which endpoints a namespace offers and which are
 * new ({@link org.vmm4j.core.internal.net.EndpointSelection}), the host half of one ({@link
 * org.vmm4j.core.internal.net.HostSides}, {@link org.vmm4j.core.internal.net.Attachment}), what the
 * persisted state records and how QEMU knows each endpoint ({@link
 * org.vmm4j.core.internal.net.RecordedEndpoints}, {@link org.vmm4j.core.internal.net.NetIds}), what
 * the schema lacks to restore an interface exactly ({@link
 * org.vmm4j.core.internal.net.LinkRestoreFiles}) and the teardown at stop ({@link
 * org.vmm4j.core.internal.net.NetworkTeardown}). Attaching and detaching are transactions of {@code
 * org.vmm4j.core.internal.hotplug}; callers use {@link org.vmm4j.core.SandboxNetwork}.
 */
package org.vmm4j.core.internal.net;
