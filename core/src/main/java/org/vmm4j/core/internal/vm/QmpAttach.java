package org.vmm4j.core.internal.vm;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ReattachException;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QmpOptions;
import tools.jackson.databind.JsonNode;

/**
 * Connects to the QMP sockets of a running sandbox: the controller's socket when it is free, else
 * the tools socket; while another client holds both (QEMU serves one client per socket), it waits
 * on both and takes the first that frees up. Then checks that the QEMU at the other end is the
 * sandbox's: the socket's peer pid (SO_PEERCRED) and {@code query-uuid}.
 */
public final class QmpAttach {
  private static final Logger LOG = LoggerFactory.getLogger(QmpAttach.class);

  private QmpAttach() {}

  /**
   * A connection to either socket. The controller's socket is tried first; when QEMU has not
   * started serving it {@code greetingTimeout} after it connected (another client holds it, or its
   * listen backlog is full), the tools socket is tried too, and whichever QEMU serves first is
   * taken. Waits up to {@code wait} in all for a socket; the handshake then has {@code
   * options.commandTimeout()}.
   *
   * @param greetingTimeout how long the controller's socket may stay silent alone (at most half of
   *     {@code wait})
   * @param wait how long to wait for either socket
   * @throws QmpException when neither socket was served in time (each socket's failure suppressed),
   *     or the failure of the socket that was served
   */
  public static QmpClient connect(
      SandboxPaths paths, QmpOptions options, Duration greetingTimeout, Duration wait) {
    Duration alone =
        greetingTimeout.compareTo(wait.dividedBy(2)) < 0 ? greetingTimeout : wait.dividedBy(2);
    QmpClient qmp =
        QmpClient.connectFirst(
            List.of(paths.qmpSocket(), paths.toolsQmpSocket()),
            options.withConnectTimeout(wait),
            alone);
    if (!qmp.socket().equals(paths.qmpSocket())) {
      LOG.debug("{} is held by another client: connected to {}", paths.qmpSocket(), qmp.socket());
    }
    return qmp;
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
}
