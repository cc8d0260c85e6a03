package org.vmm4j.core.api;

/**
 * One line of {@code vmm4j list}: a sandbox as its persisted state records it.
 *
 * @param id the sandbox id
 * @param state its {@code State} ({@code running}, {@code stopped}), or {@link #EXITED} when it is
 *     recorded running but its QEMU is gone
 * @param pid QEMU's pid ({@code HypervisorState.Pid}; 0 once stopped)
 */
public record SandboxSummary(String id, String state, long pid) {
  /** Recorded running, but its QEMU is gone. */
  public static final String EXITED = "exited";
}
