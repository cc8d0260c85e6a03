package org.vmm4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxEvents;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxEvent.DeviceAdded;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpOptions;

/**
 * A program embedding vmm4j, the whole life cycle of one sandbox: load or build its config, start
 * it in a state root, listen to its events, hot-plug a disk and list the devices; then a second JVM
 * restores the sandbox by id, lists what it sees, unplugs the disk and lets go; back here, list,
 * stop and delete. The embedding guide ({@code docs/embedding.md}) quotes it.
 *
 * <pre>
 * EmbeddingExample ROOT [CONFIG]           the life cycle; CONFIG a .json or .toml file, else the
 *                                          test guest's config built with the builder API
 * EmbeddingExample restore ROOT ID DISK    the second JVM's part
 * </pre>
 *
 * Exit status 0 when every step worked; 2 for an invalid request (config, arguments); 1 otherwise.
 */
public final class EmbeddingExample {
  static final String RESTORE = "restore";
  static final String SANDBOX_ID = "embedding-example";

  /**
   * The deadlines of every blocking call on the sandbox; each wait of vmm4j has one, these are the
   * defaults with a longer start (QEMU starts slower under TCG) and shorter stop steps.
   */
  static final SandboxOptions OPTIONS =
      SandboxOptions.defaults()
          .withReadyTimeout(Duration.ofSeconds(30))
          .withLockTimeout(Duration.ofSeconds(10))
          .withStopTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3))
          .withQmpOptions(
              QmpOptions.defaults()
                  .withCommandTimeout(Duration.ofSeconds(5))
                  .withDeviceDeletedTimeout(Duration.ofSeconds(10)));

  /** How long the example waits for an event it expects. */
  static final Duration EVENT_WAIT = Duration.ofSeconds(5);

  private EmbeddingExample() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  /** The program: its exit status. */
  static int run(String[] args, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    try {
      if (args.length == 4 && args[0].equals(RESTORE)) {
        return SecondProcess.run(out, new FsStore(Path.of(args[1])), args[2], args[3]);
      }
      if (args.length == 1 || args.length == 2) {
        RuntimeConfig config =
            args.length == 2
                ? ExampleConfig.load(Path.of(args[1]))
                : ExampleConfig.buildForTestGuest(out);
        return lifeCycle(out, new FsStore(Path.of(args[0])), config);
      }
      err.println("usage: EmbeddingExample ROOT [CONFIG] | restore ROOT ID DISK");
      return 2;
    } catch (Vmm4jException e) {
      return failed(err, e);
    }
  }

  /** What an embedder does with a vmm4j error: say whose fault, what stayed, and exit. */
  static int failed(PrintStream err, Vmm4jException e) {
    String what =
        switch (e.fault()) {
          case REQUEST -> "invalid request (fix the config, id or spec)";
          case HOST -> "the host failed or lacks something";
          case QEMU -> "QEMU failed";
          case STATE -> "the sandbox's state does not allow it";
        };
    err.println("failed, " + what + ": " + e.getMessage());
    for (String left : e.leftInPlace()) {
      err.println("  left in place: " + left);
    }
    for (Throwable also : e.getSuppressed()) {
      err.println("  then: " + also.getMessage());
    }
    return e.fault() == Vmm4jException.Fault.REQUEST ? 2 : 1;
  }

  /** Start, use, stop and delete the sandbox; on any failure it is deleted before the error. */
  static int lifeCycle(PrintStream out, FsStore store, RuntimeConfig config)
      throws IOException, InterruptedException {
    HostCapabilities host = ExampleConfig.host(config, out);
    EventPrinter events = new EventPrinter(out);
    SandboxEvents.of(store).addListener(events); // every sandbox of this store, in this JVM
    Path disk = newDisk(64);
    try {
      SandboxSpec spec = SandboxSpec.of(SANDBOX_ID, config, host);
      Sandbox sandbox = Sandbox.start(store, spec, OPTIONS);
      out.printf(
          "started: sandbox %s, QEMU pid %d, %s%n",
          sandbox.id(), sandbox.pid(), sandbox.accelerator());
      try {
        int status = useIt(out, store, sandbox, events, disk);
        out.println("stopped: " + sandbox.stop());
        events.await(QemuExited.class, QemuExited::requested, EVENT_WAIT);
        sandbox.delete();
        out.println("deleted: sandbox " + sandbox.id());
        return status;
      } catch (RuntimeException | IOException | InterruptedException e) {
        // Whatever failed, the sandbox must not outlive the program: delete() stops it first.
        try {
          sandbox.delete();
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
    } finally {
      SandboxEvents.of(store).removeListener(events);
      Files.deleteIfExists(disk);
    }
  }

  /** Plug a disk, list, let a second JVM restore the sandbox and unplug it, list again. */
  static int useIt(PrintStream out, FsStore store, Sandbox sandbox, EventPrinter events, Path file)
      throws IOException, InterruptedException {
    DiskSpec spec = DiskSpec.raw(file).withDriver(BlockDriver.VIRTIO_BLK);
    Device disk = sandbox.devices().plugDisk(spec);
    out.println("plugged: " + describe(disk));
    events.await(DeviceAdded.class, a -> a.device().id().equals(disk.id()), EVENT_WAIT);
    list(out, sandbox);

    int status = SecondJvm.restore(out, store.root().toString(), sandbox.id(), disk.id());
    out.println("second JVM exited with status " + status);
    list(out, sandbox); // read from the store: what the other process did is there
    return status == 0 ? 0 : 1;
  }

  /** Every device the store records now, whichever process plugged it. */
  static void list(PrintStream out, Sandbox sandbox) {
    List<Device> devices = sandbox.devices().list();
    out.println("devices: " + (devices.isEmpty() ? "none" : devices.size()));
    for (Device d : devices) {
      out.println("  " + describe(d));
    }
  }

  /** A device's fields: kind, id (what unplug takes), where the guest sees it, the rest. */
  static String describe(Device d) {
    return d.kind().cliName()
        + " "
        + d.id()
        + " pci-path="
        + (d.pciPath().isNil() ? "-" : d.pciPath())
        + " qemu-device="
        + d.qemuId()
        + " "
        + d.details();
  }

  /** A sparse raw image of {@code mib} MiB. */
  static Path newDisk(int mib) throws IOException {
    Path f = Files.createTempFile("vmm4j-example-disk", ".raw");
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength((long) mib << 20);
    }
    return f;
  }
}
