package org.vmm4j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.vmm4j.core.AttachedEndpoint;
import org.vmm4j.core.Sandbox;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code vmm4j hotplug ID net|vhost-user-net} prints (CLI.md): one line per endpoint, {@code
 * NAME PCI-PATH DETAILS} ({@code -} without a PCI path; DETAILS with the guest MAC first), or with
 * {@code --json} one array of objects; and the endpoint side of {@code vmm4j unplug ID DEVICE-ID}.
 */
final class NetHotplugOutput {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private NetHotplugOutput() {}

  /**
   * {@code eth0 02/01 mac=0a:58:0a:58:00:05 type=virtual model=tcfilter tap=tap0_kata queues=2}.
   */
  static String line(AttachedEndpoint e) {
    String path = e.pciPath().isNil() ? "-" : e.pciPath().toString();
    return e.name() + " " + path + " " + e.details();
  }

  static void print(PrintWriter out, List<AttachedEndpoint> endpoints, boolean json) {
    if (json) {
      out.println(MAPPER.writeValueAsString(toJson(endpoints)));
    } else {
      endpoints.forEach(e -> out.println(line(e)));
    }
    out.flush();
  }

  static ArrayNode toJson(List<AttachedEndpoint> endpoints) {
    ArrayNode a = MAPPER.createArrayNode();
    for (AttachedEndpoint e : endpoints) {
      ObjectNode o = a.addObject().put("id", e.name());
      o.put("pciPath", e.pciPath().isNil() ? null : e.pciPath().toString());
      o.put("mac", e.mac()).put("type", e.type()).put("deviceId", e.deviceId());
      o.put("model", e.model()).put("tap", e.hostInterface()).put("queues", e.queues());
    }
    return a;
  }

  /** The hotplug kinds this class handles. */
  static final List<String> KINDS = List.of(NetHotplugKind.KIND, VhostUserNetHotplugKind.KIND);

  /**
   * {@code vmm4j hotplug ID KIND [OPTIONS] [--json]} for the network kinds: parses {@code options}
   * (bad input, exit 2, when wrong), plugs, prints the lines.
   *
   * @return false when {@code kind} is not a network kind (another kind's turn)
   */
  static boolean hotplug(Sandbox s, String kind, String[] options, PrintWriter out, boolean json) {
    if (kind.equals(NetHotplugKind.KIND)) {
      print(out, NetHotplugKind.parse(options).plug(s), json);
      return true;
    }
    if (kind.equals(VhostUserNetHotplugKind.KIND)) {
      print(out, List.of(VhostUserNetHotplugKind.parse(options).plug(s)), json);
      return true;
    }
    return false;
  }

  /**
   * {@code vmm4j unplug ID DEVICE-ID} for network endpoints: detaches {@code deviceId} when it is
   * the name of one of the sandbox's endpoints.
   *
   * @return false when no endpoint has that name (another resolver's turn)
   */
  static boolean unplug(Sandbox s, String deviceId) {
    if (s.network().find(deviceId).isEmpty()) {
      return false;
    }
    SandboxErrors.run(
        "unplug " + s.id() + " " + deviceId,
        () -> {
          s.network().detach(deviceId);
          return null;
        });
    return true;
  }
}
