package org.vmm4j.core.internal.vm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ReattachException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.net.NetworkTeardown;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpException;

/**
 * Stopping and removing a persisted sandbox, by whoever holds its exclusive store lock: the
 * controller that started it (with its own handles), or any other process (which finds QEMU again
 * through its QMP sockets, or by pid, checking it is the same QEMU). Stop ends QEMU and virtiofsd,
 * removes the VM directory and saves the state as {@value SandboxStates#STOPPED}; delete also
 * removes the state and the shared directory.
 */
public final class Teardown {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  /**
   * The processes of a running sandbox, as far as they are known; any may be null.
   *
   * @param qemu QEMU
   * @param virtiofsd virtiofsd
   * @param qmp a QMP connection to QEMU
   */
  public record Live(HostProcess qemu, HostProcess virtiofsd, QmpClient qmp) {}

  private Teardown() {}

  /**
   * Finds the processes of {@code st} from another process: a QMP connection whose peer is QEMU
   * (controller socket, else tools), else QEMU by pid if its command line has the sandbox's UUID;
   * virtiofsd by pid if its command line has the sandbox's socket.
   */
  public static Live find(FsStore store, SandboxState st, SandboxOptions o) {
    return find(store, st, o, true);
  }

  static Live find(FsStore store, SandboxState st, SandboxOptions o, boolean withQmp) {
    String id = st.sandboxContainer();
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    long pid = st.hypervisorState().pid();
    Optional<HostProcess> qemu =
        HostProcess.attach(pid).filter(p -> isQemuOf(pid, st.hypervisorState().uuid()));
    QmpClient qmp = null;
    if (qemu.isPresent() && withQmp) {
      try {
        // under the store lock: a short wait, then signals
        qmp =
            QmpAttach.connect(
                paths,
                o.qmpOptions(),
                o.controllerGreetingTimeout(),
                o.qmpOptions().connectTimeout());
        QmpAttach.checkIdentity("sandbox " + id, qmp, pid, st.hypervisorState().uuid());
      } catch (QmpException | ReattachException e) {
        LOG.info("sandbox {}: no QMP connection to QEMU ({}): signals only", id, e.getMessage());
        if (qmp != null) {
          qmp.close();
          qmp = null;
        }
      }
    }
    long fsdPid = st.hypervisorState().virtiofsdPid();
    String socketArg = "--socket-path=" + paths.virtiofsSocket();
    Optional<HostProcess> fsd =
        HostProcess.attach(fsdPid).filter(p -> ProcStat.cmdline(fsdPid).contains(socketArg));
    return new Live(qemu.orElse(null), fsd.orElse(null), qmp);
  }

  /**
   * Whether the QEMU that {@code st} records (its pid, with the sandbox's {@code -uuid} on its
   * command line: not a process that took the pid since) is alive.
   */
  public static boolean qemuAlive(SandboxState st) {
    long pid = st.hypervisorState().pid();
    return HostProcess.attach(pid)
        .filter(p -> isQemuOf(pid, st.hypervisorState().uuid()))
        .isPresent();
  }

  /** Whether process {@code pid}'s command line has {@code -uuid <uuid>}. */
  static boolean isQemuOf(long pid, String uuid) {
    List<String> args = ProcStat.cmdline(pid);
    int i = args.indexOf("-uuid");
    return i >= 0 && i + 1 < args.size() && args.get(i + 1).equalsIgnoreCase(uuid);
  }

  /**
   * Stops a running sandbox: QEMU ({@link Stopper}), virtiofsd (SIGTERM, SIGKILL), the QMP
   * connection closed, the VM directory removed, the state saved as stopped. Nothing for a stopped
   * one. Call it holding the exclusive lock, with the state just read.
   */
  public static StopOutcome stop(FsStore store, StoredSandbox stored, Live live, SandboxOptions o) {
    SandboxState st = stored.sandbox();
    String id = st.sandboxContainer();
    if (SandboxStates.STOPPED.equals(st.state())) {
      closeQmp(live);
      return StopOutcome.ALREADY_GONE;
    }
    Stopper.Deadlines d = deadlines(o);
    StopOutcome out = StopOutcome.ALREADY_GONE;
    try {
      if (live.qemu() != null) {
        out = Stopper.stop("sandbox " + id + ": QEMU", live.qemu(), live.qmp(), d);
      }
      if (live.virtiofsd() != null) {
        Stopper.signal("sandbox " + id + ": virtiofsd", live.virtiofsd(), d);
      }
    } finally {
      closeQmp(live);
    }
    SandboxState released = NetworkTeardown.afterStop(st, store.vmDir(id));
    store.removeTree(store.vmDir(id));
    store.save(SandboxStates.stopped(released), stored.containers());
    return out;
  }

  /**
   * Removes the state and the directories of a sandbox already stopped; nothing when one of them is
   * a link or not the store's to use ({@link org.vmm4j.persist.UnsafePathException}).
   */
  public static void remove(FsStore store, String id) {
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    Path shared = Launcher.sandboxSharedRoot(paths);
    store.directoryExists(paths.vmDir());
    store.directoryExists(shared);
    store.destroy(id);
    store.removeTree(paths.vmDir());
    store.removeTree(shared);
  }

  /**
   * A VM directory without a state (a start that was killed): kills the QEMU its pid file names if
   * that is this sandbox's ({@code -name sandbox-<id>}), then removes the directories.
   *
   * @return whether there was anything to remove
   */
  public static boolean removeLeftovers(FsStore store, String id, SandboxOptions o) {
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    if (!store.directoryExists(paths.vmDir())) {
      return false;
    }
    stopLeftoverQemu(paths, id, o);
    remove(store, id);
    return true;
  }

  /**
   * A sandbox whose state cannot be read ({@code problem}): as for {@link #removeLeftovers}, the
   * QEMU its VM directory's pid file names is stopped if it is this sandbox's, then its state and
   * directories are removed; a warning says what was found. What only the state records
   * (virtiofsd's pid, the network endpoints to give back) is not looked for. Nothing is stopped or
   * removed when a directory of it is refused ({@link org.vmm4j.persist.UnsafePathException}).
   */
  public static void removeUnreadable(FsStore store, String id, String problem, SandboxOptions o) {
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    boolean vmDir = store.directoryExists(paths.vmDir());
    store.directoryExists(Launcher.sandboxSharedRoot(paths));
    Optional<HostProcess> qemu = vmDir ? stopLeftoverQemu(paths, id, o) : Optional.empty();
    remove(store, id);
    LOG.warn(
        "sandbox {}: its state cannot be read ({}); {}; removed its state and directories; not"
            + " looked for: virtiofsd, network endpoints (only the state records them)",
        id,
        problem,
        qemu.map(q -> "stopped its QEMU (pid " + q.pid() + ", from " + paths.pidFile() + ")")
            .orElse("no QEMU of it found through " + paths.pidFile()));
  }

  /**
   * Stops the QEMU that the pid file of {@code paths} names, if its command line is this sandbox's
   * ({@code -name sandbox-<id>} and that {@code -pidfile}); returns it.
   */
  private static Optional<HostProcess> stopLeftoverQemu(
      SandboxPaths paths, String id, SandboxOptions o) {
    long pid = readPid(paths.pidFile());
    Optional<HostProcess> qemu =
        HostProcess.attach(pid)
            .filter(
                p -> {
                  List<String> args = ProcStat.cmdline(pid);
                  return argAfter(args, "-name").equals("sandbox-" + id)
                      && argAfter(args, "-pidfile").equals(paths.pidFile().toString());
                });
    qemu.ifPresent(q -> Stopper.signal("sandbox " + id + ": QEMU", q, deadlines(o)));
    return qemu;
  }

  private static String argAfter(List<String> args, String option) {
    int i = args.indexOf(option);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
  }

  /** The pid in QEMU's pid file, a regular file read without following a link; 0 when none. */
  private static long readPid(Path pidFile) {
    if (!Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    ByteBuffer b = ByteBuffer.allocate(32);
    try (SeekableByteChannel ch =
        Files.newByteChannel(pidFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ch.read(b);
      return Long.parseLong(
          new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static Stopper.Deadlines deadlines(SandboxOptions o) {
    return new Stopper.Deadlines(o.quitTimeout(), o.termTimeout(), o.killTimeout());
  }

  private static void closeQmp(Live live) {
    if (live.qmp() != null) {
      live.qmp().close();
    }
  }
}
