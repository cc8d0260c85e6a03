package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;

import org.vmm4j.core.host.HostItem;
import org.vmm4j.core.host.HostReport;
import org.vmm4j.core.host.HugePages;
import org.vmm4j.core.host.KvmVerdict;
import org.vmm4j.core.host.QemuBinary;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vmm4j check --json}: a {@link HostReport} as one JSON document. Keys: {@code qemu} ({@code
 * requested, path, usable, problem, version, versionLine, seccomp, machines}), {@code kvm} (an item
 * plus {@code probe}: {@code status, reason, detail, elapsedMillis, fromCache}, or null when no
 * probe ran), {@code tun}, {@code vhostNet}, {@code vhostVsock} (items: {@code path, present,
 * usable, status, reason}; status is absent, unusable, unknown or usable), {@code hugePages}
 * ({@code usable, pageSizeKiB, total, free, mounts, reason}), {@code host} ({@code cpus,
 * memTotalMiB, nested}), {@code accelerator} ({@code kvm} or {@code tcg}) and {@code
 * acceleratorReason}.
 */
final class HostReportJson {
  private HostReportJson() {}

  static ObjectNode of(HostReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("qemu", qemu(r.qemu()));
    ObjectNode kvm = item(r.kvm());
    kvm.set("probe", r.kvmProbe().map(HostReportJson::probe).orElse(null));
    o.set("kvm", kvm);
    o.set("tun", item(r.tun()));
    o.set("vhostNet", item(r.vhostNet()));
    o.set("vhostVsock", item(r.vhostVsock()));
    o.set("hugePages", hugePages(r.hugePages()));
    ObjectNode host = o.putObject("host");
    host.put("cpus", r.resources().cpus());
    host.put("memTotalMiB", r.resources().memTotalMiB());
    host.put("nested", r.resources().nested());
    o.put("accelerator", r.accelerator().wireName());
    o.put("acceleratorReason", r.acceleratorReason());
    return o;
  }

  private static ObjectNode qemu(QemuBinary q) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("requested", q.requested().toString());
    o.put("path", q.path() == null ? null : q.path().toString());
    o.put("usable", q.usable());
    o.put("problem", q.problem());
    o.put("version", q.version());
    o.put("versionLine", q.versionLine());
    o.put("seccomp", q.seccomp());
    ArrayNode machines = o.putArray("machines");
    q.machines().forEach(machines::add);
    return o;
  }

  private static ObjectNode item(HostItem i) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("path", i.path().toString());
    o.put("present", i.present());
    o.put("usable", i.usable());
    o.put("status", i.availability().wireName());
    o.put("reason", i.reason());
    return o;
  }

  private static ObjectNode probe(KvmVerdict v) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("status", v.availability().wireName());
    o.put("reason", v.reason());
    o.put("detail", v.detail());
    o.put("elapsedMillis", v.elapsed().toMillis());
    o.put("fromCache", v.fromCache());
    return o;
  }

  private static ObjectNode hugePages(HugePages h) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("usable", h.usable());
    o.put("pageSizeKiB", h.pageSizeKiB());
    o.put("total", h.total());
    o.put("free", h.free());
    ArrayNode mounts = o.putArray("mounts");
    h.mounts().forEach(m -> mounts.add(m.toString()));
    o.put("reason", h.reason());
    return o;
  }
}
