package org.vmm4j.core.internal.reconcile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import tools.jackson.databind.JsonNode;

/**
 * What QEMU has, read over QMP: the devices under {@code /machine/peripheral} (QOM type, whether
 * hot-plugged, parent bus, PCI slot, SCSI address), the named block nodes and which device uses
 * each ({@code query-block}), and the hot-plugged DIMMs ({@code query-memory-devices}).
 *
 * <p>Where a device sits comes from QOM ({@code parent_bus}, {@code addr}), not from {@code
 * query-pci}: before the firmware numbered the buses, {@code query-pci} does not list the devices
 * behind a bridge or root port (measured with QEMU 7.2), while QOM always knows.
 *
 * @param devices per QEMU device id
 * @param nodes named block nodes (QEMU's automatic {@code #block...} names left out)
 * @param nodeUsers per node name, the id of the device using it (when a device does)
 * @param dimmMiB the hot-plugged DIMMs' sizes, in MiB
 */
public record QemuInventory(
    Map<String, QemuDevice> devices,
    Set<String> nodes,
    Map<String, String> nodeUsers,
    long dimmMiB) {
  private static final String PERIPHERAL = QomList.PERIPHERAL + "/";

  /**
   * One device.
   *
   * @param id its id
   * @param type its QOM type
   * @param hotplugged false for a command-line device
   * @param parentBus the QOM path of its bus ("" when it has none)
   * @param slot its PCI slot (when a PCI device)
   * @param scsiId its SCSI target (when a SCSI device)
   * @param lun its SCSI LUN (when a SCSI device)
   */
  public record QemuDevice(
      String id,
      String type,
      boolean hotplugged,
      String parentBus,
      OptionalInt slot,
      OptionalInt scsiId,
      OptionalInt lun) {
    /** The id of the device whose bus this device sits on, when it is a peripheral (a bridge). */
    public Optional<String> busOwner() {
      if (!parentBus.startsWith(PERIPHERAL)) {
        return Optional.empty();
      }
      String rest = parentBus.substring(PERIPHERAL.length());
      int slash = rest.indexOf('/');
      return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** On the root PCI bus ({@code pci.0} or {@code pcie.0}). */
    public boolean onRootBus() {
      return slot.isPresent() && busOwner().isEmpty();
    }
  }

  /** Reads QEMU's devices, nodes and DIMMs. */
  public static QemuInventory read(QmpClient qmp, Duration timeout) {
    Map<String, QemuDevice> devices = new LinkedHashMap<>();
    for (QomProperty p : qmp.call(new QomList(QomList.PERIPHERAL), timeout)) {
      if (p.isChild()) {
        devices.put(p.name(), device(qmp, timeout, p));
      }
    }
    Set<String> nodes = new TreeSet<>();
    for (BlockNodeInfo n : qmp.call(new QueryNamedBlockNodes(), timeout)) {
      if (n.nodeName() != null && !n.nodeName().startsWith("#")) {
        nodes.add(n.nodeName());
      }
    }
    long dimm = 0;
    for (MemoryDeviceInfo m : qmp.call(new QueryMemoryDevices(), timeout)) {
      if ("dimm".equals(m.type()) && m.hotplugged() && m.size() > 0) {
        dimm += m.size() >> 20;
      }
    }
    return new QemuInventory(devices, nodes, nodeUsers(qmp, timeout), dimm);
  }

  private static QemuDevice device(QmpClient qmp, Duration timeout, QomProperty p) {
    String id = p.name();
    String type = p.type().substring("child<".length(), p.type().length() - 1);
    String path = PERIPHERAL + id;
    boolean hotplugged =
        get(qmp, timeout, path, "hotplugged").map(JsonNode::asBoolean).orElse(false);
    String bus = get(qmp, timeout, path, "parent_bus").map(n -> n.asString("")).orElse("");
    OptionalInt slot = OptionalInt.empty();
    OptionalInt scsiId = OptionalInt.empty();
    OptionalInt lun = OptionalInt.empty();
    if (!bus.isEmpty()) {
      slot = intOf(get(qmp, timeout, path, "addr")).stream().map(devfn -> devfn >> 3).findFirst();
      if (slot.isEmpty()) {
        scsiId = intOf(get(qmp, timeout, path, "scsi-id"));
        lun = intOf(get(qmp, timeout, path, "lun"));
      }
    }
    return new QemuDevice(id, type, hotplugged, bus, slot, scsiId, lun);
  }

  private static OptionalInt intOf(Optional<JsonNode> n) {
    return n.isPresent() && n.get().isIntegralNumber() && n.get().asInt() >= 0
        ? OptionalInt.of(n.get().asInt())
        : OptionalInt.empty();
  }

  /** A property, or empty when the device has no such property. */
  private static Optional<JsonNode> get(QmpClient qmp, Duration t, String path, String prop) {
    try {
      return Optional.ofNullable(qmp.call(new QomGet(path, prop), t));
    } catch (QmpCommandException e) {
      return Optional.empty();
    }
  }

  /** {@code query-block}: node name to the device using it. */
  private static Map<String, String> nodeUsers(QmpClient qmp, Duration timeout) {
    Map<String, String> users = new LinkedHashMap<>();
    JsonNode blocks = qmp.execute("query-block", null, timeout);
    for (JsonNode b : blocks) {
      String node = b.path("inserted").path("node-name").asString("");
      String qdev = b.path("qdev").asString("");
      if (!node.isEmpty() && qdev.startsWith(PERIPHERAL)) {
        String rest = qdev.substring(PERIPHERAL.length());
        int slash = rest.indexOf('/');
        users.put(node, slash < 0 ? rest : rest.substring(0, slash));
      }
    }
    return users;
  }

  /** The ids of the hot-plugged devices, in QEMU's order. */
  public List<QemuDevice> hotplugged() {
    return devices.values().stream().filter(QemuDevice::hotplugged).toList();
  }
}
