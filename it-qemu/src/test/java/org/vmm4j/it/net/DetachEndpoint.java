package org.vmm4j.it.net;

import java.nio.file.Path;
import org.vmm4j.core.Sandbox;
import org.vmm4j.persist.FsStore;

/**
 * A second controller process: {@code DetachEndpoint ROOT SANDBOX ENDPOINT} reattaches to the
 * sandbox from its persisted state and detaches the endpoint through {@code devices().unplug}, the
 * one unplug of every kind (exit 0, or 1 with the error).
 */
public final class DetachEndpoint {
  private DetachEndpoint() {}

  public static void main(String[] args) {
    try (Sandbox s = Sandbox.restore(new FsStore(Path.of(args[0])), args[1])) {
      s.devices().unplug(args[2]);
    } catch (RuntimeException e) {
      System.err.println(e);
      System.exit(1);
    }
    System.exit(0);
  }
}
