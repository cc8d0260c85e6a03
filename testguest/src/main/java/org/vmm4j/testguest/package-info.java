/**
 * The test guest: builds a Debian kernel and a busybox initramfs with a small agent, talks to that
 * agent, and probes whether KVM can actually run a guest.
 */
package org.vmm4j.testguest;
