/**
 * Test support shipped in the network test-jar for every module's tests: {@link
 * org.vmm4j.network.testing.FakeNetlinkSocket} (a scripted, recording netlink "kernel"), golden
 * captures ({@link org.vmm4j.network.testing.Golden}), namespaces for real-kernel tests ({@link
 * org.vmm4j.network.testing.TestNamespaces}, {@link org.vmm4j.network.testing.CniFixture}), a fake
 * sysfs, and a guest-NIC stand-in that reads and writes frames on tap queues ({@link
 * org.vmm4j.network.testing.Frames}).
 */
package org.vmm4j.network.testing;
