package org.vmm4j.core.internal.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.vmm4j.core.api.HostException;
import org.vmm4j.network.IpPrefix;
import org.vmm4j.network.LinkRestore;
import org.vmm4j.network.Route;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an endpoint's CNI interface needs beyond the schema to be restored exactly ({@link
 * LinkRestore}: its routes and up state, macvtap model), kept beside the state in the VM directory
 * as {@code net-<endpoint>.json} for as long as the endpoint is attached (the VM directory lives as
 * long as QEMU). Written atomically (a temporary file renamed over it); a missing or unreadable
 * file is {@link LinkRestore#NONE}, which restores all the schema allows.
 */
public final class LinkRestoreFiles {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private LinkRestoreFiles() {}

  static Path file(Path vmDir, String endpoint) {
    return vmDir.resolve("net-" + endpoint + ".json");
  }

  /** Writes {@code r} for {@code endpoint}; nothing when there is nothing to keep. */
  public static void write(Path vmDir, String endpoint, LinkRestore r) {
    if (!r.known()) {
      return;
    }
    ObjectNode root = MAPPER.createObjectNode().put("up", r.up());
    ArrayNode routes = root.putArray("routes");
    for (Route x : r.routes()) {
      ObjectNode o = routes.addObject().put("family", x.family());
      o.put("dst", x.destination() == null ? null : x.destination().toString());
      o.put("gateway", text(x.gateway()));
      o.put("src", text(x.preferredSource()));
      o.put("link", x.linkIndex()).put("table", x.table()).put("protocol", x.protocol());
      o.put("scope", x.scope()).put("type", x.type()).put("priority", x.priority());
    }
    Path target = file(vmDir, endpoint);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.write(tmp, MAPPER.writeValueAsBytes(root));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostException("write " + target + ": " + e.getMessage(), e);
    }
  }

  /** What was kept for {@code endpoint}, or {@link LinkRestore#NONE}. */
  public static LinkRestore read(Path vmDir, String endpoint) {
    Path f = file(vmDir, endpoint);
    try {
      JsonNode root = MAPPER.readTree(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
      List<Route> routes = new ArrayList<>();
      for (JsonNode o : root.path("routes")) {
        routes.add(
            new Route(
                o.path("family").asInt(),
                o.path("dst").isNull() ? null : IpPrefix.parse(o.path("dst").asString()),
                inet(o.path("gateway")),
                inet(o.path("src")),
                o.path("link").asInt(),
                o.path("table").asInt(),
                o.path("protocol").asInt(),
                o.path("scope").asInt(),
                o.path("type").asInt(),
                o.path("priority").asInt()));
      }
      return new LinkRestore(routes, root.path("up").asBoolean(true), true);
    } catch (NoSuchFileException e) {
      return LinkRestore.NONE;
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(LinkRestoreFiles.class)
          .warn("{}: unreadable ({}); restoring what the state keeps", f, e.toString());
      return LinkRestore.NONE;
    }
  }

  /** Removes what was kept for {@code endpoint} (nothing when there is none). */
  public static void delete(Path vmDir, String endpoint) {
    try {
      Files.deleteIfExists(file(vmDir, endpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(InetAddress a) {
    return a == null ? null : a.getHostAddress();
  }

  private static InetAddress inet(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? null : IpPrefix.literal(n.asString());
  }
}
