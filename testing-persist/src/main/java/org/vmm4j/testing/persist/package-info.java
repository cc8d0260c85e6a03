/**
 * Realistic persisted sandbox and container states in Kata 1.13's schema ({@link
 * org.vmm4j.testing.persist.SampleStates}), for tests that need a store with something in it and
 * for the persistence benchmarks.
 */
package org.vmm4j.testing.persist;
