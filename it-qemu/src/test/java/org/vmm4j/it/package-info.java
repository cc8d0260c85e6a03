/**
 * Integration tests against a real qemu-system-x86_64 and a real guest kernel (KVM where usable,
 * TCG otherwise). Test classes end in IT and run with Failsafe.
 */
package org.vmm4j.it;
