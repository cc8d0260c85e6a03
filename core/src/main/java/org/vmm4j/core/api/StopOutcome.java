package org.vmm4j.core.api;

/** How a stop ended QEMU. */
public enum StopOutcome {
  /** QEMU was already gone (or the sandbox already stopped). */
  ALREADY_GONE,
  /** QEMU exited after QMP {@code quit}. */
  QUIT,
  /** QEMU exited after SIGTERM ({@code quit} failed, was not answered, or QMP was unreachable). */
  SIGTERM,
  /** QEMU exited after SIGKILL. */
  SIGKILL
}
