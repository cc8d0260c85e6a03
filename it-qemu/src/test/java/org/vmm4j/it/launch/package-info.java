/**
 * Launch, supervision, stop, reattach and the command line, through vmm4j itself: sandboxes booted
 * from a {@code HypervisorConfig} with the test guest, asked through its agent on the Kata console,
 * stopped, killed and found again from other processes.
 */
package org.vmm4j.it.launch;
