package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of {@code add-fd}: the fd set, and QEMU's number for the descriptor (use {@code
 * /dev/fdset/FDSET} as a file name).
 */
public record AddFdInfo(@JsonProperty("fdset-id") int fdsetId, int fd) {}
