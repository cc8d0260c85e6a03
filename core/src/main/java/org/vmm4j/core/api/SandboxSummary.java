package org.vmm4j.core.api;

import java.util.Objects;

/**
 * One line of {@code vmm4j list}: a sandbox as its persisted state records it.
 *
 * @param id the sandbox id
 * @param state its {@code State} ({@code running}, {@code stopped}), {@link #EXITED} when it is
 *     recorded running but its QEMU is gone, or {@link #BROKEN} when its state cannot be read
 * @param pid QEMU's pid ({@code HypervisorState.Pid}; 0 once stopped, and 0 when {@link #BROKEN}:
 *     the pid is not known)
 * @param problem why the state cannot be read, as the store says it (naming the file and, for a
 *     malformed one, the JSON path); empty unless {@link #BROKEN}
 */
public record SandboxSummary(String id, String state, long pid, String problem) {
  /** Recorded running, but its QEMU is gone. */
  public static final String EXITED = "exited";

  /**
   * Its state cannot be read (truncated, not JSON, not Kata's schema, too large, unreadable, or a
   * path of it the store refuses: a link, another user's file): only {@code delete} acts on it, and
   * removes it unless the store refuses a path of it.
   */
  public static final String BROKEN = "broken";

  public SandboxSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(problem, "problem");
  }

  /** A sandbox whose state was read. */
  public SandboxSummary(String id, String state, long pid) {
    this(id, state, pid, "");
  }

  /** A sandbox whose state cannot be read, and why. */
  public static SandboxSummary broken(String id, String problem) {
    return new SandboxSummary(id, BROKEN, 0, problem);
  }

  /** Whether its state cannot be read. */
  public boolean isBroken() {
    return BROKEN.equals(state);
  }
}
