package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.core.api.Reconciliation.Missing;
import org.vmm4j.core.api.Reconciliation.MissingKind;
import org.vmm4j.core.api.Reconciliation.RecoveredPath;
import org.vmm4j.persist.PciPath;

/** {@code vmm4j reconcile}: its lines, and its errors without QEMU. */
class ReconcileCommandTest {
  @TempDir Path root;

  @Test
  void printsOneLinePerFinding() {
    Reconciliation r =
        new Reconciliation(
            List.of(
                new Leftover(
                    LeftoverKind.DEVICE,
                    "virtio-drive-a",
                    "virtio-blk-pci",
                    "pci-bridge-0",
                    PciPath.parse("02/02"),
                    OptionalInt.empty(),
                    List.of("drive-a"),
                    false),
                new Leftover(
                    LeftoverKind.BLOCK_NODE,
                    "drive-b",
                    "block-node",
                    "",
                    PciPath.NIL,
                    OptionalInt.empty(),
                    List.of("drive-b"),
                    true)),
            List.of(new Missing(MissingKind.VCPU, "cpu-1", "cpu-1")),
            List.of(new RecoveredPath("d1", "virtio-drive-k", PciPath.parse("02/01"))),
            0,
            128);
    assertThat(ReconcileCommand.lines(r))
        .containsExactly(
            "recovered d1 virtio-drive-k 02/01",
            "leftover device virtio-drive-a virtio-blk-pci 02/02 fenced",
            "leftover block_node drive-b block-node - removed",
            "missing vcpu cpu-1 cpu-1",
            "memory recorded=0 qemu=128");
  }

  @Test
  void anUnknownSandboxFailsAndABadIdIsBadInput() {
    CliRun none = CliRun.in(root, "reconcile", "nope");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).startsWith("vmm4j reconcile nope: no such sandbox").hasLineCount(1);
    CliRun bad = CliRun.in(root, "reconcile", "../x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("../x").hasLineCount(1);
  }
}
