package org.vmm4j.core;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxListener;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.QemuFacts;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.hotplug.TxRunner;
import org.vmm4j.core.internal.vm.HostProcess;
import org.vmm4j.core.internal.vm.Launcher;
import org.vmm4j.core.internal.vm.Reattach;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;

/**
 * A running sandbox: one QEMU (and virtiofsd with virtio-fs), its controller QMP connection, and
 * its persisted state. Made by {@link #start} (launch) or {@link #restore} (reattach, from any
 * process); {@link #stop()} ends QEMU and keeps the state ({@code stopped}), {@link #delete()}
 * removes everything, {@link #detach()} (and {@link #close()}) lets go of QEMU, which keeps running
 * for another controller to {@link #restore}.
 *
 * <p><b>Transactions.</b> Every change ({@link #devices()}, {@link #network()}, {@link
 * #containers()}, {@link #reconcile()}) is one transaction: the sandbox's exclusive store lock, the
 * state read from disk and its model restored once, the work, one save, the lock released. A CLI
 * process and an embedding runtime may act on the same sandbox; threads of one process are
 * serialised the same way. On failure the work is undone in QEMU and nothing is saved; where an
 * undo itself fails, what QEMU now has is saved and the error names it ({@link
 * Vmm4jException#leftInPlace()}).
 *
 * <p><b>Events.</b> Listeners ({@link #addListener}, {@link SandboxOptions#listener()}, {@link
 * SandboxEvents} for every sandbox of a store) hear devices added and removed (also when the guest
 * ejected one: vmm4j then finishes the unplug), QEMU's exit (any cause, asked or not) and drift
 * found by {@link #reconcile()}, in order, on one daemon thread ({@code vmm4j-events}) once the
 * change is saved (a device rolled back is never announced); a listener may call back into the
 * sandbox. After an exit vmm4j did not ask for, the sandbox is recorded as stopped and {@link
 * #status()} is {@link Status#EXITED}.
 *
 * <p><b>Errors.</b> Every method throws {@link Vmm4jException}s ({@link Vmm4jException#fault()}
 * says whose fault), wrapping what the modules below raise.
 */
public final class Sandbox implements AutoCloseable {
  /** {@code SandboxState.State} of a running sandbox (Kata's {@code StateRunning}). */
  public static final String STATE_RUNNING = SandboxStates.RUNNING;

  /** {@code SandboxState.State} after {@link #stop()} (Kata's {@code StateStopped}). */
  public static final String STATE_STOPPED = SandboxStates.STOPPED;

  /** What this object knows of its QEMU. */
  public enum Status {
    /** QEMU runs and this object is attached to it. */
    RUNNING,
    /** {@link #stop()} or {@link #delete()} ended it. */
    STOPPED,
    /** QEMU (or virtiofsd) exited by itself; reported to the listeners. */
    EXITED,
    /** {@link #detach()}: QEMU may still run, this object no longer controls it. */
    DETACHED
  }

  final FsStore store;
  final String id;
  final SandboxOptions options;
  private final SandboxPaths paths;
  private final HypervisorConfig config;
  private final Accelerator accelerator;
  final HostProcess qemu;
  final HostProcess virtiofsd;
  private final QmpClient qmp;
  private final TxRunner runner;
  private final SandboxLife life;
  private final List<SandboxListener> listeners = new CopyOnWriteArrayList<>();
  volatile SandboxState state;
  volatile Status status = Status.RUNNING;

  private Sandbox(
      FsStore store,
      SandboxOptions options,
      HypervisorConfig config,
      Accelerator accelerator,
      HostProcess qemu,
      HostProcess virtiofsd,
      QmpClient qmp,
      SandboxState state) {
    this.store = store;
    this.id = state.sandboxContainer();
    this.options = options;
    this.paths = SandboxPaths.under(store.root(), id);
    this.config = config;
    this.accelerator = accelerator;
    this.qemu = qemu;
    this.virtiofsd = virtiofsd;
    this.qmp = qmp;
    this.state = state;
    this.listeners.add(options.listener());
    this.runner =
        new TxRunner(
            store,
            id,
            options.lockTimeout(),
            qmp,
            QemuFacts.once(
                () ->
                    QemuFacts.read(
                        config, accelerator, qmp, options.qmpOptions().commandTimeout())),
            Deadlines.of(options),
            paths.vmDir(),
            qemu.pid(),
            Configs.blockDriver(config));
    this.life = new SandboxLife(this, qmp, paths);
  }

  /** {@link #start(FsStore, SandboxSpec, SandboxOptions)} with the default options. */
  public static Sandbox start(FsStore store, SandboxSpec spec) {
    return start(store, spec, SandboxOptions.defaults());
  }

  /**
   * Launches a sandbox and returns once it is ready: QEMU answered on QMP, ran the pre-{@code cont}
   * steps and {@code cont}, and the state is saved ({@code running}).
   *
   * @throws InvalidRequestException for an invalid id, config ({@link ConfigException}) or one this
   *     host cannot run; {@link SandboxExistsException} when the id is taken
   * @throws LaunchException when the start failed; nothing is left behind
   */
  public static Sandbox start(FsStore store, SandboxSpec spec, SandboxOptions options) {
    Launcher.Launched l = Faults.run(spec.id(), () -> Launcher.launch(store, spec, options));
    return new Sandbox(
        store,
        options,
        l.config().hypervisor(),
        l.commandLine().accelerator(),
        l.qemu(),
        l.virtiofsd(),
        l.qmp(),
        l.state());
  }

  /** {@link #restore(FsStore, String, SandboxOptions)} with the default options. */
  public static Sandbox restore(FsStore store, String id) {
    return restore(store, id, SandboxOptions.defaults());
  }

  /**
   * Reattaches to a running sandbox that another process (or an earlier controller) started: loads
   * its state, connects to its controller QMP socket (the tools socket when another client holds
   * it), and checks that it is the same QEMU (peer pid and UUID).
   *
   * @throws SandboxNotFoundException when the sandbox has no state
   * @throws ReattachException when it is stopped, QEMU is gone or unreachable, or another QEMU
   *     answers
   */
  public static Sandbox restore(FsStore store, String id, SandboxOptions options) {
    Reattach.Attached a = Faults.run(id, () -> Reattach.attach(store, id, options));
    SandboxState st = a.stored().sandbox();
    HypervisorConfig hv = HypervisorConfig.fromPersisted(st.config().hypervisorConfig());
    return new Sandbox(store, options, hv, a.accelerator(), a.qemu(), a.virtiofsd(), a.qmp(), st);
  }

  /**
   * Stops sandbox {@code id} from any process: reattaches if it can ({@code quit}), else signals
   * the QEMU its state names (if its command line carries the sandbox's UUID), removes the VM
   * directory and saves the state as {@code stopped}. A sandbox already stopped, or whose QEMU is
   * gone, is fine.
   *
   * @throws SandboxNotFoundException when the sandbox has no state
   */
  public static StopOutcome stop(FsStore store, String id, SandboxOptions options) {
    return Faults.run(id, () -> SandboxesById.stop(store, id, options));
  }

  /**
   * Deletes sandbox {@code id} from any process: stops it when running, then removes its state, VM
   * directory and shared directory. A VM directory without state (a start that was killed) is
   * removed too, with the QEMU its pid file names; so is a sandbox whose state cannot be read
   * ({@link SandboxSummary#BROKEN}), with a warning saying what was found (virtiofsd and network
   * endpoints, which only the state records, are not looked for). Its lock file stays ({@link
   * FsStore} says why).
   *
   * @throws SandboxNotFoundException when there is nothing of that sandbox (nothing is made)
   */
  public static void delete(FsStore store, String id, SandboxOptions options) {
    Faults.run(id, () -> SandboxesById.delete(store, id, options));
  }

  /**
   * Every sandbox the store has a state for, as recorded, except that a sandbox recorded {@code
   * running} whose QEMU is gone (it died, or was killed, without vmm4j stopping it) is {@link
   * SandboxSummary#EXITED}: {@code stop} or {@code delete} tidies it; one whose state cannot be
   * read is {@link SandboxSummary#BROKEN}, with the reason.
   */
  public static List<SandboxSummary> list(FsStore store) {
    return Faults.run("", () -> SandboxesById.list(store));
  }

  /**
   * A QMP connection to sandbox {@code id}'s QEMU for a tool: its controller socket when free, else
   * the tools socket, checked to be served by the sandbox's QEMU. What is changed through it
   * bypasses the state ({@link #reconcile()} finds it).
   *
   * @throws ReattachException when the sandbox is not running or another QEMU answers
   */
  public static QmpClient connectQmp(FsStore store, String id, SandboxOptions options) {
    return Faults.run(id, () -> Reattach.connectTool(store, id, options));
  }

  public String id() {
    return id;
  }

  /** QEMU's pid. */
  public long pid() {
    return qemu.pid();
  }

  /** QEMU's {@code -uuid} ({@code HypervisorState.UUID}). */
  public UUID uuid() {
    return UUID.fromString(state.hypervisorState().uuid());
  }

  public SandboxPaths paths() {
    return paths;
  }

  /**
   * The hypervisor configuration (validated). After {@link #restore} it is the persisted one: the
   * live-only settings are at their defaults.
   */
  public HypervisorConfig config() {
    return config;
  }

  /** The accelerator QEMU runs with ({@link Accelerator#KVM} or {@link Accelerator#TCG}). */
  public Accelerator accelerator() {
    return accelerator;
  }

  public Status status() {
    return status;
  }

  /**
   * The controller's QMP connection, for queries. What is changed through it bypasses the state and
   * the transactions ({@link #reconcile()} finds it).
   */
  public QmpClient qmp() {
    return qmp;
  }

  /** Hotplug, listing and unplug of every kind of device, each a transaction. */
  public SandboxDevices devices() {
    return new SandboxDevices(this);
  }

  /** Create, list, find and remove containers, each create and remove a transaction. */
  public SandboxContainers containers() {
    return new SandboxContainers(this);
  }

  /** This sandbox's network endpoints: attach, detach, list. */
  public SandboxNetwork network() {
    return new SandboxNetwork(this);
  }

  /** {@link #reconcile(ReconcileOptions)} with the defaults: leftovers reported and fenced. */
  public Reconciliation reconcile() {
    return reconcile(ReconcileOptions.defaults());
  }

  /**
   * Compares QEMU with the persisted state in one transaction and saves what it learnt: PCI paths
   * the state lacks (Kata's {@code {}}) recovered from QEMU; leftovers (hot-plugged devices and
   * block nodes no record accounts for, e.g. from a controller killed mid-hotplug) fenced (their
   * slot and SCSI index recorded as taken) or, when asked, removed; recorded devices QEMU lacks
   * reported. Drift is also told to the listeners ({@link SandboxEvent.DriftFound}).
   *
   * @throws ReconcileException when the state's devices cannot be read (nothing saved)
   * @throws QemuException when QEMU does not answer (nothing saved)
   */
  public Reconciliation reconcile(ReconcileOptions o) {
    Objects.requireNonNull(o, "options");
    Reconciliation r = transact(tx -> SandboxReconcile.run(tx, o));
    if (!r.agrees()) {
      publish(new SandboxEvent.DriftFound(id, r));
    }
    return r;
  }

  /** The state as last saved or read by this object (read the store for another process's). */
  public SandboxState state() {
    return state;
  }

  /** Adds a listener of this sandbox's events. */
  public void addListener(SandboxListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(SandboxListener l) {
    listeners.remove(l);
  }

  /**
   * Stops QEMU ({@code quit}, SIGTERM, SIGKILL, each with its deadline), stops virtiofsd, removes
   * the VM directory and saves the state as {@code stopped}. Stopping a stopped sandbox does
   * nothing.
   *
   * @throws StopException when QEMU survives SIGKILL
   * @throws IllegalStateException after {@link #detach()} (use {@link #stop(FsStore, String,
   *     SandboxOptions)})
   */
  public StopOutcome stop() {
    if (status == Status.DETACHED) {
      throw new IllegalStateException("sandbox " + id + ": detached; stop it by id");
    }
    if (status != Status.RUNNING) {
      return StopOutcome.ALREADY_GONE;
    }
    return Faults.run(id, () -> life.stop());
  }

  /** Stops the sandbox when running, then removes its state and directories. */
  public void delete() {
    Faults.run(id, () -> life.delete());
  }

  /**
   * Lets go of the sandbox: its QMP connection and supervision end, QEMU keeps running, the state
   * stays {@code running}, and any process may {@link #restore} it. Idempotent.
   */
  public void detach() {
    life.detach();
  }

  /** {@link #detach()}: closing a sandbox never stops its QEMU (call {@link #stop()} for that). */
  @Override
  public void close() {
    detach();
  }

  /** Runs {@code work} as one transaction (see the class comment), publishing its device events. */
  <T> T transact(Function<Tx, T> work) {
    return life.transaction(
            () ->
                Faults.run(
                    id,
                    () -> runner.run(stored -> checkSameQemu(stored.sandbox()), work, this::saved)))
        .result();
  }

  /** A transaction's outcome: this object's state, and its device events once they are saved. */
  private void saved(TxRunner.Outcome<?> o) {
    state = o.stored().sandbox();
    life.ended(o);
  }

  /** The state and the containers' states as stored now (under the shared store lock). */
  StoredSandbox read() {
    return Faults.run(
        id,
        () -> {
          try (StoreLock lock = store.lock(id, false, options.lockTimeout())) {
            return store.load(id);
          }
        });
  }

  void publish(SandboxEvent e) {
    SandboxEvents.publish(store, e, listeners);
  }

  private void checkSameQemu(SandboxState current) {
    if (status != Status.RUNNING
        || !STATE_RUNNING.equals(current.state())
        || current.hypervisorState().pid() != qemu.pid()) {
      throw new StateException(
          "sandbox " + id + " is not running here (" + status + ", state " + current.state() + ")");
    }
  }
}
