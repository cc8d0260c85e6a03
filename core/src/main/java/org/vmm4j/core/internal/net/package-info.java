/**
 * A sandbox's network endpoints on the QEMU side: which endpoints a namespace offers and which are
 * new ({@link org.vmm4j.core.internal.net.EndpointSelection}), wiring one up on the host and in
 * QEMU as one unit ({@link org.vmm4j.core.internal.net.EndpointAttacher}), what the persisted state
 * records and how QEMU knows each endpoint ({@link org.vmm4j.core.internal.net.RecordedEndpoints},
 * {@link org.vmm4j.core.internal.net.NetIds}), what the schema lacks to restore an interface
 * exactly ({@link org.vmm4j.core.internal.net.LinkRestoreFiles}), the endpoints of a launch ({@link
 * org.vmm4j.core.internal.net.LaunchNetwork}) and their teardown at stop ({@link
 * org.vmm4j.core.internal.net.NetworkTeardown}). Callers use {@link org.vmm4j.core.SandboxNetwork}.
 */
package org.vmm4j.core.internal.net;
