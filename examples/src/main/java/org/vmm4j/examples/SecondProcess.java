package org.vmm4j.examples;

import java.io.PrintStream;
import java.util.Optional;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.SandboxEvent.DeviceRemoved;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.persist.FsStore;

/**
 * The second JVM's part of the example: another process finds the running sandbox by its id in the
 * same state root, sees the disk the first one plugged, unplugs it, and lets go of the sandbox
 * without stopping it.
 */
final class SecondProcess {
  private SecondProcess() {}

  /** Restore sandbox {@code id}, list, unplug {@code diskId}, list, detach. */
  static int run(PrintStream out, FsStore store, String id, String diskId)
      throws InterruptedException {
    for (SandboxSummary s : Sandbox.list(store)) {
      out.println("in the store: sandbox " + s.id() + " " + s.state() + ", QEMU pid " + s.pid());
    }
    EventPrinter events = new EventPrinter(out);
    // The first JVM holds the controller's QMP socket: restore waits controllerGreetingTimeout for
    // it, then takes the tools socket. The listener hears this sandbox object's events only.
    try (Sandbox sandbox =
        Sandbox.restore(store, id, EmbeddingExample.OPTIONS.withListener(events))) {
      out.println("restored: sandbox " + sandbox.id() + ", QEMU pid " + sandbox.pid());
      EmbeddingExample.list(out, sandbox);

      Optional<Device> disk = sandbox.devices().find(diskId);
      if (disk.isEmpty()) {
        out.println("no device " + diskId + " recorded");
        return 1;
      }
      Device gone = sandbox.devices().unplug(disk.get().id());
      out.println("unplugged: " + EmbeddingExample.describe(gone));
      events.await(
          DeviceRemoved.class, r -> r.device().id().equals(gone.id()), EmbeddingExample.EVENT_WAIT);
      EmbeddingExample.list(out, sandbox);
    } // close() is detach(): QEMU keeps running, the state stays "running"
    out.println("detached: sandbox " + id + " runs on");
    return 0;
  }
}
