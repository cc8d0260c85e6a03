/**
 * A QMP server on a real unix socket that behaves like QEMU's monitor where it matters ({@link
 * org.vmm4j.testing.qmp.FakeQmpServer}, scripted per command with {@link
 * org.vmm4j.testing.qmp.FakeQmpScript}, recording every {@link
 * org.vmm4j.testing.qmp.ReceivedQmpCommand} with the descriptors that came with it), and a real
 * stopped QEMU for integration tests ({@link org.vmm4j.testing.qmp.TestQemu}). Neither uses vmm4j's
 * QMP client: they speak QMP on the socket themselves, so they can check it.
 */
package org.vmm4j.testing.qmp;
