package org.vmm4j.core.internal.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.LaunchException;
import org.vmm4j.core.api.QemuException;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxExistsException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.api.StartPhase;
import org.vmm4j.core.internal.annotations.Annotations;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.LaunchNetwork;
import org.vmm4j.core.internal.hotplug.QemuFacts;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.qemu.HostMemory;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.LaunchLimits;
import org.vmm4j.core.internal.qemu.PreContStep;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.Cont;
import org.vmm4j.qmp.QmpClient;

/**
 * Starts a sandbox, under its exclusive store lock: the VM and shared directories, virtiofsd
 * (virtio-fs), QEMU in a session of its own with {@code -S} and its output in {@code
 * qemu-output.log}, the controller's QMP connection (its peer must be that QEMU), the pre-{@code
 * cont} steps, {@code cont}, the saved state. Ready means all of it within {@link
 * SandboxOptions#readyTimeout()}. When no pre-{@code cont} step has to answer first (no vsock), the
 * state is written on a helper thread while QEMU initialises (QEMU takes far longer to start
 * listening than the crash-safe write takes) and joined before ready: a reader that does not take
 * the lock may see it a few milliseconds early; a failed start removes it again; a QEMU found in
 * {@code prelaunch} by a later reattach never finished its start. On any failure every step is
 * undone (QEMU and virtiofsd killed and reaped, directories and state removed) and a {@link
 * LaunchException} quotes QEMU's output.
 */
public final class Launcher {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Launcher.class);

  /** Writes states while QEMU initialises (see {@link #save}). */
  private static final ExecutorService SAVERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "vmm4j-state-save");
            t.setDaemon(true);
            return t;
          });

  /** How often the launcher looks for QEMU's QMP socket file. */
  static final long SOCKET_POLL_NANOS = 200_000;

  /** How long a failed start waits for QEMU's own exit before killing it (to report its status). */
  static final Duration EXIT_GRACE = Duration.ofMillis(100);

  /**
   * A started sandbox.
   *
   * @param config its validated configuration
   * @param commandLine its command line
   * @param qemu QEMU, this JVM's child
   * @param virtiofsd virtiofsd (virtio-fs), else null
   * @param qmp the controller's QMP connection
   * @param state the state saved
   */
  public record Launched(
      RuntimeConfig config,
      QemuCommandLine commandLine,
      HostProcess qemu,
      HostProcess virtiofsd,
      QmpClient qmp,
      SandboxState state) {}

  private final FsStore store;
  private final SandboxSpec spec;
  private final SandboxOptions options;
  private final String id;
  private SandboxPaths paths;
  private HostProcess qemu;
  private HostProcess virtiofsd;
  private QmpClient qmp;
  private boolean dirsCreated;
  private boolean saved;
  private CompletableFuture<Void> pendingSave;
  private SandboxState pendingState;
  private LaunchNetwork network;

  private Launcher(FsStore store, SandboxSpec spec, SandboxOptions options) {
    this.store = store;
    this.spec = spec;
    this.options = options;
    this.id = spec.id();
  }

  /**
   * Starts {@code spec}.
   *
   * @throws org.vmm4j.persist.InvalidNameException for an invalid id (nothing touched)
   * @throws org.vmm4j.core.api.ConfigException for an invalid config, one this host cannot run
   *     ({@link LaunchLimits}) or a refused annotation (nothing touched)
   * @throws SandboxExistsException when the id is taken
   * @throws org.vmm4j.persist.UnsafePathException when the state, VM or shared directory is a
   *     symbolic link or not the store's to use (nothing touched)
   * @throws LaunchException when the start failed (everything undone)
   */
  public static Launched launch(FsStore store, SandboxSpec spec, SandboxOptions options) {
    Ids.checkSandboxId(spec.id());
    RuntimeConfig annotated = Annotations.apply(spec.config(), spec.annotations());
    RuntimeConfig rc =
        annotated.withHypervisor(
            Configs.validate(annotated.hypervisor(), Runtime.getRuntime().availableProcessors()));
    LaunchLimits.check(rc.hypervisor(), spec.host(), HostMemory.read());
    Launcher l = new Launcher(store, spec, options);
    l.checkDirs();
    try (StoreLock lock = store.lock(spec.id(), true, options.lockTimeout())) {
      l.checkAbsent();
      return l.run(rc);
    }
  }

  /**
   * Refuses (before the lock file is made) socket paths too long for {@code sun_path}, and a VM or
   * shared directory that is a link or not the store's to use.
   */
  private void checkDirs() {
    SandboxPaths p = SandboxPaths.under(store.root(), id);
    p.checkSocketPaths();
    store.directoryExists(p.vmDir());
    store.directoryExists(sandboxSharedRoot(p));
  }

  private void checkAbsent() {
    if (store.exists(id)) {
      throw new SandboxExistsException(id, "start sandbox " + id + ": the sandbox exists already");
    }
    Path vmDir = store.vmDir(id);
    if (store.directoryExists(vmDir)) {
      throw new SandboxExistsException(
          id,
          "start sandbox "
              + id
              + ": VM directory "
              + vmDir
              + " exists without a state (left by a start that was killed?); delete the sandbox"
              + " to remove it");
    }
  }

  private Launched run(RuntimeConfig rc) {
    long t0 = System.nanoTime();
    Deadline deadline = Deadline.after(options.readyTimeout());
    paths = SandboxPaths.under(store.root(), id);
    UUID uuid = UUID.randomUUID();
    LaunchContext ctx = new LaunchContext(id, uuid, paths, spec.host(), LaunchContext.randomIds());
    QemuCommandLine cl = QemuCommandLine.build(rc.hypervisor(), ctx);
    try {
      createDirs();
      if (cl.virtiofsd().isPresent()) {
        virtiofsd = Virtiofsd.start(cl.virtiofsd().get(), paths.virtiofsdOutput(), deadline);
      }
      qemu = HostProcess.spawn(cl.argv(), paths.qemuOutput());
      observe(StartPhase.SPAWNED);
      long fsdPid = virtiofsd == null ? 0 : virtiofsd.pid();
      if (cl.preContSteps().isEmpty() && spec.netNsPath().isEmpty()) {
        // nothing the state records depends on QEMU's answers: write it while QEMU initialises
        save(SandboxStates.started(id, rc, cl, uuid, qemu.pid(), fsdPid, 0, spec.netNsPath()));
      }
      qmp = connect(deadline);
      observe(StartPhase.QMP_CONNECTED);
      long cid = preCont(cl, deadline);
      SandboxState started =
          SandboxStates.started(id, rc, cl, uuid, qemu.pid(), fsdPid, cid, spec.netNsPath());
      network = attachNetwork(started, cl, rc, deadline);
      if (pendingSave == null) {
        save(network.state());
      }
      observe(StartPhase.BEFORE_CONT);
      qmp.call(new Cont(), commandTimeout(deadline));
      SandboxState state = awaitSave(deadline);
      checkAlive("after cont");
      LOG.debug("start sandbox {}: ready in {} us", id, (System.nanoTime() - t0) / 1000);
      observe(StartPhase.READY);
      network.close();
      return new Launched(rc, cl, qemu, virtiofsd, qmp, state);
    } catch (RuntimeException e) {
      throw undo(e);
    }
  }

  /** Saves {@code state} on a helper thread; {@link #awaitSave} joins it. */
  private void save(SandboxState started) {
    SandboxState state = Annotations.record(started, spec.annotations());
    pendingState = state;
    pendingSave = CompletableFuture.runAsync(() -> store.save(state, Map.of()), SAVERS);
  }

  private SandboxState awaitSave(Deadline deadline) {
    try {
      pendingSave.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
      saved = true;
      return pendingState;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new HostException(e.toString(), e);
    } catch (TimeoutException e) {
      throw new HostException("state not saved within " + Deadline.text(deadline.total()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException("save state: interrupted", e);
    }
  }

  private void createDirs() {
    dirsCreated = true;
    store.createVmDir(id);
    store.createDirectories(paths.sharedDir());
  }

  private QmpClient connect(Deadline deadline) {
    // QEMU creates the socket file right before it listens: wait for the file with a fine poll
    // (connectWhenListening's retry is coarser), then connect, retrying while it refuses
    while (!Files.exists(paths.qmpSocket()) && qemu.isAlive() && !deadline.expired()) {
      LockSupport.parkNanos(SOCKET_POLL_NANOS);
    }
    QmpClient c =
        QmpClient.connectWhenListening(
            paths.qmpSocket(),
            options.qmpOptions().withConnectTimeout(deadline.remaining()),
            deadline.remaining(),
            qemu::isAlive);
    if (c.peerPid().isPresent() && c.peerPid().getAsLong() != qemu.pid()) {
      c.close();
      throw new QemuException(
          "QMP socket "
              + paths.qmpSocket()
              + " is served by pid "
              + c.peerPid().getAsLong()
              + ", not by the QEMU just started ("
              + qemu
              + ")");
    }
    return c;
  }

  private long preCont(QemuCommandLine cl, Deadline deadline) {
    long cid = 0;
    for (PreContStep step : cl.preContSteps()) {
      if (step instanceof PreContStep.AddVhostVsock v) {
        cid = VhostVsock.add(qmp, v, commandTimeout(deadline));
      } else {
        throw new AssertionError(step);
      }
    }
    return cid;
  }

  /**
   * The namespace's endpoints, over QMP before {@code cont} (QEMU inherits no descriptor), in a
   * transaction on the model of the state being started.
   */
  private LaunchNetwork attachNetwork(
      SandboxState started, QemuCommandLine cl, RuntimeConfig rc, Deadline deadline) {
    Deadlines d = Deadlines.of(options).withCommand(commandTimeout(deadline));
    SandboxModel model = SandboxModel.of(new StoredSandbox(started, Map.of()), "", false);
    Tx tx = new Tx(model, qmp, () -> QemuFacts.launched(cl, rc.hypervisor()), d, paths.vmDir());
    return LaunchNetwork.attach(tx, rc, spec.netNsPath());
  }

  private Duration commandTimeout(Deadline deadline) {
    if (deadline.expired()) {
      throw new QemuException("not ready within " + Deadline.text(deadline.total()));
    }
    return deadline.atMost(options.qmpOptions().commandTimeout());
  }

  private void checkAlive(String when) {
    if (!qemu.isAlive()) {
      throw new QemuException("QEMU " + qemu + " exited " + when);
    }
  }

  private void observe(StartPhase phase) {
    options.startObserver().reached(phase, qemu.pid());
  }

  private LaunchException undo(RuntimeException cause) {
    boolean exitedByItself = qemu != null && qemu.awaitExit(EXIT_GRACE);
    String exit = exitedByItself ? qemu.describeExit() : "";
    Failures f = new Failures();
    f.run(() -> closeQmp());
    f.run(() -> killAndReap(qemu));
    f.run(() -> killAndReap(virtiofsd));
    f.run(() -> releaseNetwork());
    String output = paths == null ? "" : OutputLog.tail(paths.qemuOutput());
    f.run(() -> removeDirs());
    f.run(() -> forgetState());
    String message =
        exitedByItself
            ? "start sandbox " + id + ": QEMU " + qemu + " " + exit + " during start"
            : "start sandbox " + id + ": " + cause.getMessage();
    if (!output.isEmpty()) {
      message += "; QEMU output: " + output;
    }
    LaunchException e = new LaunchException(message, output, cause);
    f.suppressed().forEach(e::addSuppressed);
    return e;
  }

  private void releaseNetwork() {
    if (network != null) {
      network.rollback();
    }
  }

  private void closeQmp() {
    if (qmp != null) {
      qmp.close();
    }
  }

  private void killAndReap(HostProcess p) {
    if (p != null) {
      p.kill();
      if (!p.awaitExit(options.killTimeout())) {
        throw new HostException(p + " still alive after SIGKILL");
      }
    }
  }

  private void removeDirs() {
    if (dirsCreated) {
      store.removeTree(paths.vmDir());
      store.removeTree(sandboxSharedRoot(paths));
    }
  }

  private void forgetState() {
    if (pendingSave != null) {
      try {
        pendingSave.get(options.lockTimeout().toNanos(), TimeUnit.NANOSECONDS);
        saved = true;
      } catch (ExecutionException | TimeoutException e) {
        // not written (or still hanging: destroy below removes whatever is there)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (saved || store.exists(id)) {
      store.destroy(id);
    }
  }

  /** {@code <root>/shared/sandboxes/<id>}: the parent of the shared directory. */
  public static Path sandboxSharedRoot(SandboxPaths paths) {
    return paths.sharedDir().getParent();
  }
}
