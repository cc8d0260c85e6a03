package org.vmm4j.core;

/**
 * Told when a sandbox's QEMU (or virtiofsd) exits without vmm4j stopping it, within a second of the
 * exit. Called on a vmm4j thread (never a QMP reader thread); keep it short.
 */
@FunctionalInterface
public interface SandboxListener {
  /** A listener that does nothing. */
  SandboxListener NONE = exit -> {};

  void exited(SandboxExit exit);
}
