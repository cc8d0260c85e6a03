package org.vmm4j.core.internal.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.internal.qemu.VirtiofsdCommand;

/**
 * Starts the virtiofsd of a virtio-fs sandbox before QEMU (QEMU connects to its socket as a client
 * when it starts): in a session of its own like QEMU, its output appended to a log, with {@code
 * --socket-path} (it inherits no descriptor). Ready once the socket exists.
 */
public final class Virtiofsd {
  private Virtiofsd() {}

  /**
   * Starts virtiofsd and waits for its socket.
   *
   * @throws HostException when it exits first or the deadline passes (it is killed then), quoting
   *     its output
   */
  public static HostProcess start(VirtiofsdCommand cmd, Path output, Deadline deadline) {
    HostProcess p = HostProcess.spawn(cmd.argv(), output);
    try {
      while (!Files.exists(cmd.socket())) {
        if (!p.isAlive()) {
          throw new HostException(
              "virtiofsd " + p + " " + p.describeExit() + ": " + OutputLog.tail(output));
        }
        if (deadline.expired()) {
          throw new HostException(
              "virtiofsd "
                  + p
                  + " did not create "
                  + cmd.socket()
                  + " within "
                  + Deadline.text(deadline.total())
                  + ": "
                  + OutputLog.tail(output));
        }
        Thread.sleep(HostProcess.POLL.toMillis());
      }
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.kill();
      throw new HostException("start virtiofsd: interrupted", e);
    } catch (RuntimeException e) {
      p.kill();
      p.awaitExit(java.time.Duration.ofSeconds(5));
      throw e;
    }
  }
}
