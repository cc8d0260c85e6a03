/**
 * Hotplug with the test guest, through vmm4j's own {@code Sandbox} and command line: every kind
 * plugged and unplugged on q35 and pc, what the guest sees (asked through its agent on the Kata
 * console), what QEMU reports, and the persisted state, compared after each step.
 */
package org.vmm4j.it.hotplug;
