/**
 * HypervisorConfig and its validation, the QEMU command line, launching and supervising QEMU,
 * hotplug flows over QMP, and the Sandbox that ties devices, network and persisted state together.
 */
package org.vmm4j.core;
