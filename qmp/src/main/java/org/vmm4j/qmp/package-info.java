/**
 * A QMP client for QEMU: connection, negotiation, commands with deadlines routed by id, events, and
 * file-descriptor passing.
 */
package org.vmm4j.qmp;
