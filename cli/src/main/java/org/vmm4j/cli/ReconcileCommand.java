package org.vmm4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j reconcile ID [--remove-leftovers]}: restores the sandbox, compares QEMU with its
 * state ({@link Sandbox#reconcile}) and prints one line per finding:
 *
 * <pre>
 * recovered DEVICE-ID QEMU-ID PCI-PATH
 * leftover KIND QEMU-ID TYPE PCI-PATH fenced|removed
 * missing KIND ID QEMU-ID
 * memory recorded=N qemu=M          (only when they differ)
 * </pre>
 *
 * Exit 0 when it ran (whatever it found), 1 when the sandbox cannot be restored or QEMU fails.
 */
@Command(
    name = "reconcile",
    description = {
      "Compare a running sandbox's QEMU with its state: recover PCI paths the state lacks,"
          + " report (and fence, or with --remove-leftovers remove) devices QEMU has and the state"
          + " does not record, report recorded devices QEMU lacks.",
      "One line per finding: 'recovered DEVICE-ID QEMU-ID PCI-PATH',"
          + " 'leftover KIND QEMU-ID TYPE PCI-PATH fenced|removed', 'missing KIND ID QEMU-ID',"
          + " 'memory recorded=N qemu=M'. Exit 0 when it ran, whatever it found; 1 when the"
          + " sandbox cannot be restored or QEMU fails."
    })
final class ReconcileCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Option(
      names = "--remove-leftovers",
      description =
          "Remove leftovers from QEMU (device_del, blockdev-del) instead of fencing them.")
  boolean remove;

  @Override
  public Integer call() {
    String op = "reconcile " + id;
    SandboxErrors.checkId(op, id);
    FsStore store = new FsStore(top.stateRoot());
    try (Sandbox s =
        SandboxErrors.run(op, () -> Sandbox.restore(store, id, SandboxOptions.defaults()))) {
      Reconciliation r =
          SandboxErrors.run(
              op, () -> s.reconcile(ReconcileOptions.defaults().withRemoveLeftovers(remove)));
      lines(r).forEach(spec.commandLine().getOut()::println);
      spec.commandLine().getOut().flush();
    }
    return Vmm4j.EXIT_OK;
  }

  /** The report's lines, in the order of the class javadoc. */
  static List<String> lines(Reconciliation r) {
    List<String> out = new java.util.ArrayList<>();
    r.recovered()
        .forEach(p -> out.add("recovered " + p.deviceId() + " " + p.qemuId() + " " + p.pciPath()));
    r.leftovers()
        .forEach(
            l ->
                out.add(
                    "leftover "
                        + l.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + l.id()
                        + " "
                        + l.type()
                        + " "
                        + (l.pciPath().isNil() ? "-" : l.pciPath().toString())
                        + (l.removed() ? " removed" : " fenced")));
    r.missing()
        .forEach(
            m ->
                out.add(
                    "missing "
                        + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + m.id()
                        + " "
                        + m.qemuId()));
    if (r.recordedMemoryMiB() != r.qemuMemoryMiB()) {
      out.add("memory recorded=" + r.recordedMemoryMiB() + " qemu=" + r.qemuMemoryMiB());
    }
    return out;
  }
}
