package org.vmm4j.core.api;

/**
 * Told of a sandbox's {@link SandboxEvent}s: per sandbox ({@link SandboxOptions#withListener}, or
 * {@link Sandbox#addListener}), or for every sandbox of a store this JVM manages ({@link
 * SandboxEvents#addListener}). Called on vmm4j's event thread, in order; keep it short. An
 * exception it throws is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface SandboxListener {
  /** A listener that does nothing. */
  SandboxListener NONE = e -> {};

  void onEvent(SandboxEvent event);
}
