/**
 * Network fixtures for tests that need real namespaces: {@link
 * org.vmm4j.testing.network.CniFixture}, a pod namespace set up with {@code ip} the way a CNI
 * bridge plugin leaves it, and its snapshot taken with {@code ip -j} and {@code tc -j}.
 */
package org.vmm4j.testing.network;
