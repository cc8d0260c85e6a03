package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.PRETTY;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmm4j.core.host.Availability;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.core.host.HostItem;
import org.vmm4j.core.host.HostReport;
import org.vmm4j.core.host.HugePages;
import org.vmm4j.core.host.QemuBinary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j check [--json] [--qemu PATH]}: what this host offers QEMU and the accelerator vmm4j
 * will use, and why (docs/cli.md). Exit 0 even when it falls back to TCG; 1 only when there is no
 * usable QEMU. The KVM probe boots the test guest (building it first when needed, progress on
 * stderr) only when {@code /dev/kvm} exists.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the host: the QEMU binary and version, KVM (present, and usable: a probe guest boots),"
          + " /dev/net/tun, vhost-net, vhost-vsock, huge pages, and the accelerator vmm4j will use.",
      "Exit 0 even when falling back to TCG; 1 when there is no usable QEMU."
    })
final class CheckCommand implements Callable<Integer> {
  private static final List<String> MAIN_MACHINES = List.of("q35", "pc", "microvm");

  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(
      names = "--qemu",
      paramLabel = "PATH",
      description = "The QEMU binary (default: qemu-system-x86_64 on PATH, else in /usr/bin).")
  Path qemu;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HostCheck.Builder check = top.hostCheck(err);
    if (qemu != null) {
      check.qemu(qemu);
    }
    HostReport r = check.build().run();
    if (json) {
      out.println(PRETTY.writeValueAsString(HostReportJson.of(r)));
    } else {
      text(r, out);
    }
    out.flush();
    if (!r.qemuUsable()) {
      throw CliException.failed("no usable QEMU: " + r.qemu().problem(), null);
    }
    return Vmm4j.EXIT_OK;
  }

  private void text(HostReport r, PrintWriter out) {
    QemuBinary q = r.qemu();
    if (q.usable()) {
      line(out, "QEMU", q.path() + ": " + q.versionLine());
      line(out, "seccomp", q.seccomp() ? "yes (-sandbox)" : "no (QEMU was built without it)");
      line(out, "machines", machines(q.machines()));
    } else {
      line(out, "QEMU", "not usable: " + q.problem());
    }
    line(out, "KVM", item(r.kvm()));
    r.kvmProbe()
        .filter(v -> top.verbose() && !v.detail().isEmpty())
        .ifPresent(v -> line(out, "", "probe: " + Errors.oneLine(v.detail())));
    line(out, "/dev/net/tun", item(r.tun()));
    line(out, "vhost-net", item(r.vhostNet()));
    line(out, "vhost-vsock", item(r.vhostVsock()));
    HugePages h = r.hugePages();
    line(out, "hugepages", (h.usable() ? "usable: " : "not usable: ") + h.reason());
    line(
        out,
        "host",
        String.format(
            Locale.ROOT,
            "%d CPUs, %d MiB%s",
            r.resources().cpus(),
            r.resources().memTotalMiB(),
            r.resources().nested() ? ", nested (running under a hypervisor)" : ""));
    line(out, "accelerator", r.acceleratorReason());
  }

  private static void line(PrintWriter out, String label, String value) {
    out.println(String.format(Locale.ROOT, "%-13s %s", label, value).stripTrailing());
  }

  private static String item(HostItem i) {
    if (i.availability() == Availability.ABSENT) {
      return "absent (" + i.path() + ")";
    }
    return i.availability().wireName() + ": " + i.reason();
  }

  private static String machines(List<String> all) {
    if (all.isEmpty()) {
      return "(not listed)";
    }
    List<String> main = MAIN_MACHINES.stream().filter(all::contains).toList();
    List<String> missing = MAIN_MACHINES.stream().filter(m -> !all.contains(m)).toList();
    String s = String.join(" ", main) + " (" + all.size() + " types in all)";
    return missing.isEmpty() ? s : s + "; missing: " + String.join(" ", missing);
  }
}
