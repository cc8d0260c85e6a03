package org.vmm4j.core.api;

/** Told of each {@link StartPhase} a start reaches, on the starting thread. */
@FunctionalInterface
public interface StartObserver {
  /** An observer that does nothing. */
  StartObserver NONE = (phase, pid) -> {};

  /**
   * @param phase the phase just reached
   * @param qemuPid QEMU's pid
   */
  void reached(StartPhase phase, long qemuPid);
}
