package org.vmm4j.core.internal.hotplug;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.NoFreeSlotException;
import org.vmm4j.devices.PlugsRefusedException;
import org.vmm4j.network.NetlinkException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;

/**
 * The one transaction primitive of a running sandbox ({@link #run}): take the store lock, read the
 * state, restore the model once, run the work, save once, release. The rule on failure is the same
 * for every kind of work: undo what was done in QEMU (and on the host) and save nothing; where an
 * undo itself fails, save what QEMU now has (the model fenced what stayed: the state never lies)
 * and fail naming it. A failed save after successful work is a failure like any other: the work is
 * undone. Failures after steps that cannot be undone ({@link Tx#leftover}) are reported after the
 * save.
 *
 * <p>One lock: the store's exclusive lock serialises transactions of every thread and process on
 * the sandbox, and the model inside one is single-threaded. An in-process guard only turns a
 * reentrant call into an error (it would deadlock on the store lock).
 */
public final class TxRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TxRunner.class);

  private final FsStore store;
  private final String sandboxId;
  private final Duration lockTimeout;
  private final QmpClient qmp;
  private final Supplier<QemuFacts> facts;
  private final Deadlines deadlines;
  private final Path vmDir;
  private final long pid;
  private final String blockDriver;
  private final ReentrantLock guard = new ReentrantLock();

  /**
   * @param facts QEMU's constants, read at most once by the caller (on the first transaction)
   * @param pid QEMU's pid (a vCPU unplug is recorded beside the state with it)
   * @param blockDriver the sandbox's {@code BlockDeviceDriver}, recorded in new block devices
   */
  public TxRunner(
      FsStore store,
      String sandboxId,
      Duration lockTimeout,
      QmpClient qmp,
      Supplier<QemuFacts> facts,
      Deadlines deadlines,
      Path vmDir,
      long pid,
      String blockDriver) {
    this.store = Objects.requireNonNull(store, "store");
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    this.qmp = Objects.requireNonNull(qmp, "qmp");
    this.facts = Objects.requireNonNull(facts, "facts");
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    this.vmDir = Objects.requireNonNull(vmDir, "vmDir");
    this.pid = pid;
    this.blockDriver = Objects.requireNonNull(blockDriver, "blockDriver");
  }

  /**
   * What a transaction gave: the work's result, the state now stored, the transaction, and whether
   * the state says what it did (false when its save failed: its devices are not to be told as added
   * or removed).
   */
  public record Outcome<T>(T result, StoredSandbox stored, Tx tx, boolean recorded) {}

  /**
   * Runs {@code work} as one transaction.
   *
   * @param check runs on the state read, before the model is made (e.g. that the sandbox still runs
   *     with this QEMU); what it throws fails the transaction with nothing done
   * @param published runs after the transaction ended, saved or not, with its {@link Tx} (its
   *     devices added and removed), whether it then succeeds or throws
   * @throws Vmm4jException the work's failure after the rollback, or a leftover after the save
   */
  public <T> Outcome<T> run(
      Consumer<StoredSandbox> check, Function<Tx, T> work, Consumer<Outcome<T>> published) {
    if (guard.isHeldByCurrentThread()) {
      throw new IllegalStateException("sandbox " + sandboxId + ": operations are not reentrant");
    }
    guard.lock();
    try (StoreLock lock = store.lock(sandboxId, true, lockTimeout)) {
      StoredSandbox stored = store.load(sandboxId);
      check.accept(stored);
      Tx tx = open(stored);
      try {
        Ran<T> ran = runLocked(stored, tx, work);
        published.accept(ran.outcome());
        throwFailures(tx, ran.failure());
        return ran.outcome();
      } finally {
        tx.end()
            .forEach(e -> LOG.warn("sandbox {}: end a transaction: {}", sandboxId, e.toString()));
      }
    } finally {
      guard.unlock();
    }
  }

  private Tx open(StoredSandbox stored) {
    boolean unplugged = CpuUnplugMarker.read(vmDir, pid);
    SandboxModel model;
    try {
      model = SandboxModel.of(stored, blockDriver, unplugged);
    } catch (DevicesException | IllegalArgumentException e) {
      throw new StateException("sandbox " + sandboxId + ": read its devices: " + e.getMessage(), e);
    }
    Tx tx = new Tx(model, qmp, facts, deadlines, vmDir);
    CpuPlug.fencePciPlugs(tx);
    return tx;
  }

  /** An outcome and the failure to throw once it is published (null: none). */
  private record Ran<T>(Outcome<T> outcome, Vmm4jException failure) {}

  private <T> Ran<T> runLocked(StoredSandbox stored, Tx tx, Function<Tx, T> work) {
    boolean markerBefore = tx.model().cpuUnplugged();
    T result = null;
    Vmm4jException failed = null;
    try {
      result = work.apply(tx);
    } catch (RuntimeException e) {
      failed = tx.rollback(classify(tx, e));
    }
    if (tx.model().cpuUnplugged() && !markerBefore) {
      CpuUnplugMarker.write(vmDir, pid);
    }
    StoredSandbox now = stored;
    boolean recorded = true;
    if (tx.model().changed()) {
      StoredSandbox next = tx.model().toStored();
      try {
        store.save(next.sandbox(), next.containers());
        now = next;
      } catch (RuntimeException e) {
        recorded = false;
        failed = failed != null ? withSuppressed(failed, e) : saveFailed(tx, e);
      }
    }
    return new Ran<>(new Outcome<>(result, now, tx, recorded), failed);
  }

  /**
   * The work succeeded but its save failed: it is undone in QEMU. What cannot be undone (a device
   * an unplug took out of QEMU) is named: the state still lists it, and a retry (which finds QEMU
   * without it) records it gone. Leftovers of the work are kept as suppressed.
   */
  private static Vmm4jException saveFailed(Tx tx, RuntimeException e) {
    List<Device> gone = tx.removedDevices();
    List<RuntimeException> left = tx.leftovers();
    Vmm4jException rolled = tx.rollback(classify(tx, e));
    left.forEach(rolled::addSuppressed);
    if (gone.isEmpty()) {
      return rolled;
    }
    List<String> names = gone.stream().map(d -> d.kind().cliName() + " " + d.id()).toList();
    List<String> stays = new ArrayList<>(rolled.leftInPlace());
    names.forEach(n -> stays.add("the state's record of " + n));
    String message =
        rolled.getMessage()
            + "; not recorded: "
            + String.join(", ", names)
            + (names.size() == 1 ? " is" : " are")
            + " gone from QEMU (an unplug cannot be undone) but the state still lists "
            + (names.size() == 1 ? "it" : "them")
            + ": retry once the state can be saved";
    Vmm4jException out =
        rolled instanceof HostException
            ? new HostException(message, rolled.getCause(), stays)
            : new HotplugException(message, rolled.getCause(), stays);
    for (Throwable t : rolled.getSuppressed()) {
      out.addSuppressed(t);
    }
    return out;
  }

  private static void throwFailures(Tx tx, Vmm4jException failed) {
    if (failed != null) {
      throw failed;
    }
    List<RuntimeException> left = tx.leftovers();
    if (!left.isEmpty()) {
      RuntimeException first = left.get(0);
      left.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static Vmm4jException withSuppressed(Vmm4jException e, RuntimeException more) {
    e.addSuppressed(more);
    return e;
  }

  /**
   * Whose fault a failure is, named after the flow: a slot the topology cannot give is a refusal; a
   * netlink failure, or the store failing the save (its file system, or a state root it refuses to
   * write), is the host's.
   */
  private static RuntimeException classify(Tx tx, RuntimeException e) {
    if (e instanceof NoFreeSlotException || e instanceof PlugsRefusedException) {
      return new HotplugRefusedException(tx.describe() + ": " + e.getMessage(), e);
    }
    if (e instanceof NetlinkException || e instanceof PersistException) {
      return new HostException(tx.describe() + ": " + e.getMessage(), e);
    }
    return e;
  }
}
