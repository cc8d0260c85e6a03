/**
 * Integration tests of the test guest itself: real QEMU started directly (vmm4j's launcher comes
 * later) under TCG on q35 and pc, asking the guest's agent; the KVM probe.
 */
package org.vmm4j.it.guest;
