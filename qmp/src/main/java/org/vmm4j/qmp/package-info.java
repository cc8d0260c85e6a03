/**
 * A QMP client for QEMU 7.2 and later: {@link org.vmm4j.qmp.QmpClient} (connection, negotiation,
 * commands with deadlines routed by id, events, file-descriptor passing), the typed commands
 * ({@link org.vmm4j.qmp.Command} and its records, {@link org.vmm4j.qmp.Execute} for any other),
 * their typed results, and one exception family rooted at {@link org.vmm4j.qmp.QmpException}.
 *
 * <p>Module {@code org.vmm4j.testing} holds {@code FakeQmpServer}, a scriptable QMP server on a
 * real unix socket, and {@code TestQemu}, which starts a real QEMU for integration tests.
 */
package org.vmm4j.qmp;
