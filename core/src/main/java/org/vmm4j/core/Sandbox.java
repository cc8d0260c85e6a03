package org.vmm4j.core;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.vmm4j.core.vm.HostProcess;
import org.vmm4j.core.vm.Launcher;
import org.vmm4j.core.vm.Reattach;
import org.vmm4j.core.vm.SandboxStates;
import org.vmm4j.core.vm.Teardown;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;

/**
 * A running sandbox: one QEMU (and virtiofsd with virtio-fs), its controller QMP connection, and
 * its persisted state. Made by {@link #start} (launch) or {@link #restore} (reattach from another
 * process); {@link #close()} lets go of it (QEMU keeps running), {@link #stop()} ends QEMU and
 * keeps the state ({@code stopped}), {@link #delete()} removes everything.
 *
 * <p><b>Several processes, several threads.</b> Every mutating operation takes the sandbox's
 * exclusive store lock, re-reads the state from disk, does its work, saves, and unlocks ({@link
 * #update}): a CLI process and an embedding runtime may act on the same sandbox. Within a process
 * the same lock serialises threads; operations are not reentrant (no {@code update} inside an
 * {@code update}).
 *
 * <p><b>Supervision.</b> An exit of QEMU (or virtiofsd) that vmm4j did not ask for is reported to
 * {@link SandboxOptions#listener()} within a second; then the sandbox is recorded as stopped (VM
 * directory removed, as after {@link #stop()}) and {@link #status()} is {@link Status#EXITED}.
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
    /** QEMU (or virtiofsd) exited by itself; reported to the listener. */
    EXITED,
    /** {@link #close()}: QEMU may still run, this object no longer controls it. */
    DETACHED
  }

  private final FsStore store;
  private final String id;
  private final SandboxOptions options;
  private final SandboxPaths paths;
  private final HypervisorConfig config;
  private final Accelerator accelerator;
  private final HostProcess qemu;
  private final HostProcess virtiofsd;
  private final QmpClient qmp;
  private final ReentrantLock guard = new ReentrantLock();
  private final SandboxWatches watches;
  private final SandboxDevices devices;
  private volatile SandboxState state;
  private volatile Status status = Status.RUNNING;

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
    var q = options.qmpOptions();
    this.devices =
        new SandboxDevices(this)
            .withTimeouts(
                org.vmm4j.core.hotplug.HotplugTimeouts.defaults()
                    .withCommand(q.commandTimeout())
                    .withDeviceDeleted(q.deviceDeletedTimeout()));
    this.watches = SandboxWatches.start(id, qemu, virtiofsd, qmp, options, paths, this::exited);
  }

  /** {@link #start(FsStore, SandboxSpec, SandboxOptions)} with the default options. */
  public static Sandbox start(FsStore store, SandboxSpec spec) {
    return start(store, spec, SandboxOptions.defaults());
  }

  /**
   * Launches a sandbox and returns once it is ready: QEMU answered on QMP, ran the pre-{@code cont}
   * steps and {@code cont}, and the state is saved ({@code running}).
   *
   * @throws org.vmm4j.persist.InvalidNameException for an invalid id (nothing touched)
   * @throws ConfigException for an invalid config, or one this host cannot run
   * @throws SandboxExistsException when the id is taken
   * @throws LaunchException when the start failed; nothing is left behind
   */
  public static Sandbox start(FsStore store, SandboxSpec spec, SandboxOptions options) {
    Launcher.Launched l = Launcher.launch(store, spec, options);
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
   * @throws org.vmm4j.persist.StateNotFoundException when the sandbox has no state
   * @throws ReattachException when it is stopped, QEMU is gone or unreachable, or another QEMU
   *     answers
   */
  public static Sandbox restore(FsStore store, String id, SandboxOptions options) {
    Reattach.Attached a = Reattach.attach(store, id, options);
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
   * @throws org.vmm4j.persist.StateNotFoundException when the sandbox has no state
   */
  public static StopOutcome stop(FsStore store, String id, SandboxOptions options) {
    return SandboxesById.stop(store, id, options);
  }

  /**
   * Deletes sandbox {@code id} from any process: stops it when running, then removes its state, VM
   * directory and shared directory. A VM directory without state (a start that was killed) is
   * removed too, with its QEMU.
   *
   * @throws org.vmm4j.persist.StateNotFoundException when there is nothing of that sandbox
   */
  public static void delete(FsStore store, String id, SandboxOptions options) {
    SandboxesById.delete(store, id, options);
  }

  /**
   * Every sandbox the store has a state for, as recorded, except that a sandbox recorded {@code
   * running} whose QEMU is gone (it died, or was killed, without vmm4j stopping it) is {@link
   * SandboxSummary#EXITED}: {@code stop} or {@code delete} tidies it.
   */
  public static List<SandboxSummary> list(FsStore store) {
    return SandboxesById.list(store);
  }

  /**
   * A QMP connection to sandbox {@code id}'s QEMU for a tool: its controller socket when free, else
   * the tools socket (DESIGN decision 13), checked to be served by the sandbox's QEMU.
   *
   * @throws ReattachException when the sandbox is not running or another QEMU answers
   */
  public static QmpClient connectQmp(FsStore store, String id, SandboxOptions options) {
    return Reattach.connectTool(store, id, options);
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
   * live-only fields ({@code KernelParams}, {@code Accelerator}, ...) are at their zero values.
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

  /** The controller's QMP connection: for hotplug flows, inside {@link #update}. */
  public QmpClient qmp() {
    return qmp;
  }

  /**
   * Hotplug and unplug of disks, VFIO, vhost-user, vCPUs and memory, each a transaction; deadlines
   * from {@link SandboxOptions#qmpOptions()}.
   */
  public SandboxDevices devices() {
    return devices;
  }

  /** Create, list, find and remove containers, each create and remove a transaction. */
  public SandboxContainers containers() {
    return new SandboxContainers(this, devices);
  }

  /**
   * This sandbox's network endpoints: attach, detach, list ({@link SandboxNetwork}); deadlines from
   * {@link SandboxOptions#qmpOptions()}.
   */
  public SandboxNetwork network() {
    return new SandboxNetwork(this, devices.timeouts());
  }

  /** {@link #reconcile(ReconcileOptions)} with the defaults: leftovers reported and fenced. */
  public Reconciliation reconcile() {
    return reconcile(ReconcileOptions.defaults());
  }

  /**
   * Compares QEMU with the persisted state under the store lock and saves what it learnt: PCI paths
   * the state lacks (Kata's {@code {}}) recovered from QEMU; leftovers (hot-plugged devices and
   * block nodes no record accounts for, e.g. from a controller killed mid-hotplug) fenced (their
   * slot and SCSI index recorded as taken) or, when asked, removed; recorded devices QEMU lacks
   * reported. See {@code org.vmm4j.core.reconcile}.
   *
   * @throws IllegalStateException when the sandbox is not running here
   * @throws ReconcileException when the state's devices cannot be read (nothing saved)
   * @throws org.vmm4j.qmp.QmpException when QEMU does not answer (nothing saved)
   */
  public Reconciliation reconcile(ReconcileOptions o) {
    java.util.Objects.requireNonNull(o, "options");
    Reconciliation[] out = new Reconciliation[1];
    updateState(
        st -> {
          var r = org.vmm4j.core.reconcile.Reconciler.run(st, qmp, o);
          out[0] = r.report();
          return r.state();
        });
    return out[0];
  }

  /** The state as last saved or read by this object (read the store for another process's). */
  public SandboxState state() {
    return state;
  }

  /**
   * The mutating-operation template: takes the exclusive store lock, re-reads the state from disk,
   * applies {@code change} (which may talk to QEMU over {@link #qmp()}), saves what it returns
   * (nothing when it returns its argument) and unlocks. An exception from {@code change} saves
   * nothing.
   *
   * @throws IllegalStateException when called inside another {@code update} of this sandbox, or
   *     when the sandbox is no longer running
   */
  public StoredSandbox update(UnaryOperator<StoredSandbox> change) {
    return locked(
        () -> {
          StoredSandbox current = store.load(id);
          checkSameQemu(current.sandbox());
          StoredSandbox next = change.apply(current);
          if (next != current) {
            store.save(next.sandbox(), next.containers());
          }
          state = next.sandbox();
          return next;
        });
  }

  /** The state and the containers' states as stored now (under the shared store lock). */
  StoredSandbox read() {
    try (StoreLock lock = store.lock(id, false, options.lockTimeout())) {
      return store.load(id);
    }
  }

  /** {@link #update} of the sandbox's own state only (containers unchanged). */
  public SandboxState updateState(UnaryOperator<SandboxState> change) {
    return update(
            s -> {
              SandboxState next = change.apply(s.sandbox());
              return next == s.sandbox() ? s : new StoredSandbox(next, s.containers());
            })
        .sandbox();
  }

  /**
   * Stops QEMU ({@code quit}, SIGTERM, SIGKILL, each with its deadline), stops virtiofsd, removes
   * the VM directory and saves the state as {@code stopped}. Stopping a stopped sandbox does
   * nothing.
   *
   * @throws StopException when QEMU survives SIGKILL
   * @throws IllegalStateException after {@link #close()} (use {@link #stop(FsStore, String,
   *     SandboxOptions)})
   */
  public StopOutcome stop() {
    if (status == Status.DETACHED) {
      throw new IllegalStateException("sandbox " + id + ": closed; stop it by id");
    }
    if (status != Status.RUNNING) {
      return StopOutcome.ALREADY_GONE;
    }
    return locked(
        () -> {
          StoredSandbox current = store.load(id);
          StopOutcome out = stopLocked(current);
          state = store.load(id).sandbox();
          return out;
        });
  }

  /** Stops the sandbox when running, then removes its state and directories. */
  public void delete() {
    locked(
        () -> {
          if (store.exists(id)) {
            StoredSandbox current = store.load(id);
            if (status == Status.RUNNING && !STATE_STOPPED.equals(current.sandbox().state())) {
              stopLocked(current);
            }
          }
          Teardown.remove(store, id);
          return null;
        });
  }

  /** Lets go of the sandbox: QEMU keeps running (another controller may {@link #restore} it). */
  @Override
  public void close() {
    watches.close();
    qmp.close();
    if (status == Status.RUNNING) {
      status = Status.DETACHED;
    }
  }

  private StopOutcome stopLocked(StoredSandbox current) {
    watches.expectExit();
    boolean ours = current.sandbox().hypervisorState().pid() == qemu.pid();
    Teardown.Live live =
        ours
            ? new Teardown.Live(qemu, virtiofsd, qmp)
            : Teardown.find(store, current.sandbox(), options);
    StopOutcome out = Teardown.stop(store, current, live, options);
    qmp.close();
    status = Status.STOPPED;
    return out;
  }

  private void checkSameQemu(SandboxState current) {
    if (status != Status.RUNNING
        || !STATE_RUNNING.equals(current.state())
        || current.hypervisorState().pid() != qemu.pid()) {
      throw new IllegalStateException(
          "sandbox " + id + " is not running here (" + status + ", state " + current.state() + ")");
    }
  }

  private <T> T locked(Supplier<T> work) {
    if (guard.isHeldByCurrentThread()) {
      throw new IllegalStateException("sandbox " + id + ": operations are not reentrant");
    }
    guard.lock();
    try (StoreLock lock = store.lock(id, true, options.lockTimeout())) {
      return work.get();
    } finally {
      guard.unlock();
    }
  }

  private void exited(String process, HostProcess p, java.nio.file.Path log) {
    status = Status.EXITED;
    SandboxExit exit =
        new SandboxExit(
            id, process, p.pid(), p.exitStatus(), org.vmm4j.core.vm.OutputLog.tail(log));
    try {
      options.listener().exited(exit);
    } finally {
      recordExit();
    }
  }

  private void recordExit() {
    watches.expectExit();
    guard.lock();
    try {
      SandboxesById.recordExit(store, id, new Teardown.Live(qemu, virtiofsd, qmp), options)
          .ifPresent(st -> state = st);
    } finally {
      guard.unlock();
      qmp.close();
    }
  }
}
