/**
 * Test support shipped in the network test-jar for other modules' tests: {@link
 * org.vmm4j.network.testing.CniFixture}, a pod namespace set up the way a CNI plugin leaves it.
 */
package org.vmm4j.network.testing;
