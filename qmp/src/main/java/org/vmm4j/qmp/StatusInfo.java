package org.vmm4j.qmp;

/**
 * The result of {@code query-status}.
 *
 * @param status QEMU's run state, e.g. {@code prelaunch}, {@code running}, {@code paused}, {@code
 *     shutdown}, {@code internal-error}
 * @param running whether the vCPUs run
 */
public record StatusInfo(String status, boolean running) {
  /** True while QEMU waits in {@code -S} for its first {@code cont}. */
  public boolean isPrelaunch() {
    return "prelaunch".equals(status);
  }
}
