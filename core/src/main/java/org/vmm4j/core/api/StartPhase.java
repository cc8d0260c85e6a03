package org.vmm4j.core.api;

/**
 * The steps of a start, in order, as {@link SandboxOptions#startObserver()} sees them (progress
 * reports, timing, and tests that interrupt a start at a given point).
 */
public enum StartPhase {
  /** QEMU was spawned (stopped by {@code -S}); the pid is known. */
  SPAWNED,
  /** The controller's QMP connection is negotiated and QEMU's identity checked. */
  QMP_CONNECTED,
  /** The pre-{@code cont} steps are done; {@code cont} comes next. */
  BEFORE_CONT,
  /** {@code cont} answered and the state is saved: the sandbox is ready. */
  READY
}
