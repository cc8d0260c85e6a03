/**
 * Two controllers of one sandbox with the test guest: what one process plugged, another process (a
 * {@code vmm4j} command) unplugs, and what the guest removes by itself is finished by the
 * controller that is attached.
 */
package org.vmm4j.it.crossprocess;
