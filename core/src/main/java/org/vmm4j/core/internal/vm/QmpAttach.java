package org.vmm4j.core.internal.vm;

import java.time.Duration;
import java.util.OptionalLong;
import org.vmm4j.core.api.ReattachException;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpConnectTimeoutException;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.qmp.QmpTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Connects to the QMP sockets of a running sandbox (QEMU serves one client per socket): the
 * controller's socket when it is free; when it gives no greeting within a short deadline or does
 * not accept the connection (another client holds it), the tools socket. Then checks that the QEMU
 * at the other end is the sandbox's: the socket's peer pid (SO_PEERCRED) and {@code query-uuid}.
 */
public final class QmpAttach {
  private QmpAttach() {}

  /**
   * A connection to either socket, within {@code options.connectTimeout()} in all: the controller's
   * socket gets {@code greetingTimeout} (at most half of it); when it gives no greeting, or does
   * not even accept the connection (its listen backlog is full of clients waiting for it), the
   * tools socket gets the rest.
   *
   * @param greetingTimeout how long the controller's socket may stay silent
   * @throws QmpException the tools socket's failure (with the controller's as suppressed)
   */
  public static QmpClient connect(
      SandboxPaths paths, QmpOptions options, Duration greetingTimeout) {
    Duration first = min(greetingTimeout, options.connectTimeout().dividedBy(2));
    try {
      return QmpClient.connect(paths.qmpSocket(), options.withConnectTimeout(first));
    } catch (QmpTimeoutException | QmpConnectTimeoutException busy) {
      try {
        return QmpClient.connect(
            paths.toolsQmpSocket(),
            options.withConnectTimeout(options.connectTimeout().minus(first)));
      } catch (QmpException e) {
        e.addSuppressed(busy);
        throw e;
      }
    }
  }

  /**
   * Checks the identity of the QEMU behind {@code qmp}.
   *
   * @param what names the sandbox in errors
   * @throws ReattachException when the peer pid or the UUID differ
   */
  public static void checkIdentity(String what, QmpClient qmp, long pid, String uuid) {
    OptionalLong peer = qmp.peerPid();
    if (peer.isEmpty() || peer.getAsLong() != pid) {
      throw new ReattachException(
          what
              + ": QMP socket "
              + qmp.socket()
              + " is served by pid "
              + (peer.isEmpty() ? "(unknown)" : Long.toString(peer.getAsLong()))
              + ", not by the sandbox's QEMU pid "
              + pid);
    }
    JsonNode r = qmp.execute("query-uuid", null);
    String got = r.path("UUID").asString("");
    if (!got.equalsIgnoreCase(uuid)) {
      throw new ReattachException(
          what
              + ": the QEMU on "
              + qmp.socket()
              + " has UUID "
              + got
              + ", the sandbox's is "
              + uuid);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
