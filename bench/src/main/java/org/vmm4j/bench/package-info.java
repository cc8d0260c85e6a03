/**
 * Benchmarks. Every one reports a ratio against a baseline measured in the same run; none of them
 * is a test.
 */
package org.vmm4j.bench;
