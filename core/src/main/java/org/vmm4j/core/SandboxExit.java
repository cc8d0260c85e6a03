package org.vmm4j.core;

import java.util.OptionalInt;

/**
 * A supervised process of a sandbox ended without vmm4j stopping it: QEMU crashed, was killed, or
 * the guest powered off; or virtiofsd died (then vmm4j stops QEMU, as Kata does).
 *
 * @param sandboxId the sandbox
 * @param process {@code "qemu"} or {@code "virtiofsd"}
 * @param pid its pid
 * @param exitStatus its exit status when this JVM is its parent (128 + n for signal n)
 * @param output the end of its output log (QEMU's own messages)
 */
public record SandboxExit(
    String sandboxId, String process, long pid, OptionalInt exitStatus, String output) {

  /** One line: {@code "sandbox ID: qemu pid 123 exited (exit status 1): <output>"}. */
  public String describe() {
    String status =
        exitStatus.isEmpty()
            ? ""
            : exitStatus.getAsInt() > 128
                ? " (killed by signal " + (exitStatus.getAsInt() - 128) + ")"
                : " (exit status " + exitStatus.getAsInt() + ")";
    return "sandbox "
        + sandboxId
        + ": "
        + process
        + " pid "
        + pid
        + " exited"
        + status
        + (output.isEmpty() ? "" : ": " + output);
  }
}
