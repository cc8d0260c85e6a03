package org.vmm4j.core.internal.hotplug;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Backend;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.Command;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.PciBus;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import org.vmm4j.qmp.QmpEventTimeoutException;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryPci;

/**
 * One transaction on a running sandbox: its {@link SandboxModel}, its QEMU, the deadlines, and one
 * undo log for every step of every flow it runs. A step that changes QEMU, the host or the model
 * registers its undo at once ({@link #undo}); on failure {@link #rollback} undoes them newest first
 * and, when an undo fails, fences what stayed so that the model (and the state saved from it) says
 * what QEMU has. Failures after a step that cannot be undone (an unplug that happened) are {@link
 * #leftover}s: the transaction saves, then reports them. Single-threaded, like its model.
 *
 * <p>The shared steps of every PCI device kind live here: a slot per placement ({@link #reserve}),
 * {@code device_add} with its undo ({@link #deviceAdd}), a backend with its undo ({@link
 * #addBackend}), a block index ({@link #allocateIndex}), and removal that waits for {@code
 * DEVICE_DELETED} and, past the deadline, asks {@code qom-list /machine/peripheral} what is true
 * ({@link #removeDevice}).
 */
public final class Tx {
  private final SandboxModel model;
  private final QmpClient qmp;
  private final Supplier<QemuFacts> factsSource;
  private QemuFacts facts;
  private final Deadlines deadlines;
  private final Path vmDir;
  private final UndoLog undos = new UndoLog();
  private final List<RuntimeException> leftovers = new ArrayList<>();
  private final List<Device> added = new ArrayList<>();
  private final List<Device> removed = new ArrayList<>();
  private final List<Runnable> atEnd = new ArrayList<>();
  private String operation;
  private boolean requested = true;

  /**
   * @param facts QEMU's constants, asked for when a step first needs them (a transaction that only
   *     reads or removes sends QEMU none of the queries behind them)
   * @param vmDir the sandbox's VM directory (a network endpoint's link restore data is kept there)
   */
  public Tx(
      SandboxModel model,
      QmpClient qmp,
      Supplier<QemuFacts> facts,
      Deadlines deadlines,
      Path vmDir) {
    this.model = Objects.requireNonNull(model, "model");
    this.qmp = Objects.requireNonNull(qmp, "qmp");
    this.factsSource = Objects.requireNonNull(facts, "facts");
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    this.vmDir = Objects.requireNonNull(vmDir, "vmDir");
    this.operation = "transaction";
  }

  public String sandboxId() {
    return model.sandboxId();
  }

  public SandboxModel model() {
    return model;
  }

  public QmpClient qmp() {
    return qmp;
  }

  public QemuFacts facts() {
    if (facts == null) {
      facts = Objects.requireNonNull(factsSource.get(), "facts");
    }
    return facts;
  }

  public MachineType machine() {
    return facts().machine();
  }

  public Deadlines deadlines() {
    return deadlines;
  }

  public Path vmDir() {
    return vmDir;
  }

  /** Names the flow now running, for the messages of its failure ({@code hotplug disk ...}). */
  public void begin(String flowOperation) {
    this.operation = Objects.requireNonNull(flowOperation, "flowOperation");
  }

  /** The flow now running ({@link #begin}). */
  public String flow() {
    return operation;
  }

  /** {@code sandbox sb1: <the flow now running>}. */
  public String describe() {
    return "sandbox " + sandboxId() + ": " + operation;
  }

  /** Runs a QMP command within the command deadline. */
  public <R> R call(Command<R> command) {
    return qmp.call(command, deadlines.command());
  }

  /** Registers the undo of a step that completed; the rollback's message names {@code what}. */
  public void undo(String what, Runnable action) {
    undos.push(Objects.requireNonNull(what, "what"), action);
  }

  /** Registers the undo of a step on the host (a tap, a filter, a file kept beside the state). */
  public void undoOnHost(String what, Runnable action) {
    undos.pushHost(Objects.requireNonNull(what, "what"), action);
  }

  /**
   * QEMU is going away (a launch failed before it ran): undoes only what was done on the host,
   * newest first, and forgets the rest.
   *
   * @return the host undos that failed
   */
  public List<RuntimeException> releaseHost() {
    return undos.releaseHost();
  }

  /**
   * Registers the undo of a change of the model alone that messages do not name (a device's
   * reference or attach count).
   */
  public void undoQuietly(Runnable action) {
    undos.push(null, action);
  }

  /**
   * Records a failure after a step that cannot be undone (a device is gone but its backend stayed,
   * the host side could not be restored): the transaction saves what is true, then throws it.
   */
  public void leftover(RuntimeException failure) {
    leftovers.add(Objects.requireNonNull(failure, "failure"));
  }

  /** The {@link #leftover}s, in order. */
  List<RuntimeException> leftovers() {
    return List.copyOf(leftovers);
  }

  /** Announces a device this transaction plugged (published once it is saved). */
  public void added(Device d) {
    added.add(d);
    undoQuietly(() -> added.remove(d)); // a device rolled back was never added
  }

  /** Announces a device this transaction unplugged (published once it is saved). */
  public void removed(Device d) {
    removed.add(d);
  }

  /**
   * Marks this transaction as finishing what QEMU did without a request of this process (the guest
   * ejected a device): its removals are told as such.
   */
  public void unrequested() {
    requested = false;
  }

  /** Whether a request of this process made this transaction's changes. */
  public boolean requested() {
    return requested;
  }

  /** The devices plugged by this transaction (none once a rollback undid them all). */
  public List<Device> addedDevices() {
    return List.copyOf(added);
  }

  /** The devices this transaction took out of QEMU. */
  public List<Device> removedDevices() {
    return List.copyOf(removed);
  }

  /**
   * Undoes every step, newest first, and returns the exception to throw for {@code cause} (see
   * {@link UndoLog#rollback}). When an undo failed, the slots still reserved are committed (fenced:
   * QEMU may hold their devices) so that the model says what may be in QEMU; when none failed, the
   * devices plugged are no longer announced.
   */
  public Vmm4jException rollback(RuntimeException cause) {
    Vmm4jException e = undos.rollback(describe(), cause);
    if (!e.leftInPlace().isEmpty()) {
      model.topology().commitReserved();
    } else {
      added.clear(); // every plug was undone: nothing to announce
    }
    return e;
  }

  /**
   * Runs {@code close} when the transaction ends ({@link #end}), after its rollback if it fails:
   * for what its undos use beyond their own scope (the network namespace whose endpoints a rollback
   * restores).
   */
  public void atEnd(Runnable close) {
    atEnd.add(Objects.requireNonNull(close, "close"));
  }

  /**
   * Ends the transaction: runs what {@link #atEnd} registered, newest first, each once.
   *
   * @return what failed (empty when all went well)
   */
  public List<RuntimeException> end() {
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = atEnd.size() - 1; i >= 0; i--) {
      try {
        atEnd.get(i).run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    atEnd.clear();
    return failures;
  }

  /** Forgets the undo log: what was done so far stays, whatever fails next. */
  public void keep() {
    undos.clear();
  }

  /**
   * Reserves a slot for {@code deviceId} and registers its release; none on the root bus, which q35
   * refuses ({@code pcie.0} takes no hot-plugged device).
   */
  public Optional<SlotReservation> reserve(String deviceId, Placement placement) {
    Optional<String> refused = model.topology().plugsRefused();
    if (refused.isPresent()) {
      throw new HotplugRefusedException(describe() + ": " + refused.get());
    }
    if (placement == Placement.ROOT_BUS) {
      if (machine() == MachineType.Q35) {
        throw new HotplugRefusedException(
            describe()
                + ": q35's root bus pcie.0 does not support hotplug: place the device"
                + " on a root port (PCIeRootPort) or a pci-bridge");
      }
      return Optional.empty();
    }
    SlotReservation r = model.topology().reserve(deviceId, placement);
    undo("release slot " + r.pciPath() + " (" + r.bus() + ")", () -> model.topology().release(r));
    return Optional.of(r);
  }

  /**
   * {@code device_add}; registers {@code device_del} as its undo. When QEMU's answer is unknown (a
   * timeout, a lost connection) the undo first asks whether QEMU created the device.
   */
  public void deviceAdd(DeviceAdd cmd) {
    try {
      call(cmd);
    } catch (QmpCommandException e) {
      throw e; // QEMU refused: no device
    } catch (QmpException e) {
      undo(
          "device_del " + cmd.id() + " if QEMU created it",
          () -> {
            if (isPresent(cmd.id())) {
              removeDevice(cmd.id(), "roll back " + cmd.id(), List.of());
            }
          });
      throw e;
    }
    undo("device_del " + cmd.id(), () -> removeDevice(cmd.id(), "roll back", List.of()));
  }

  /** Runs {@code add}, which creates {@code backend}; registers its deletion as the undo. */
  public void addBackend(Backend backend, Command<?> add) {
    call(add);
    undo(backend.delete().commandName() + " " + backend.id(), () -> call(backend.delete()));
  }

  /** The lowest free block index; registers its release. */
  public int allocateIndex() {
    int index = model.blockIndexes().allocate();
    undo("release block index " + index, () -> model.blockIndexes().release(index));
    return index;
  }

  /** Commits the slot of a device QEMU accepted. */
  public void commit(Optional<SlotReservation> slot) {
    slot.ifPresent(model.topology()::commit);
  }

  /**
   * The PCI path of a plugged device: from its slot, or on the root bus from {@code query-pci} (the
   * root bus is enumerated even before the firmware ran); nil when QEMU does not list it.
   */
  public PciPath pciPath(Optional<SlotReservation> slot, String deviceId) {
    if (slot.isPresent()) {
      return slot.get().pciPath();
    }
    for (PciBus bus : call(new QueryPci())) {
      var d = bus.devices().stream().filter(x -> deviceId.equals(x.qdevId())).findFirst();
      if (d.isPresent()) {
        return PciPath.of(d.get().slot());
      }
    }
    return PciPath.NIL;
  }

  /**
   * Removes device {@code id}: {@code device_del}, then {@code DEVICE_DELETED} within the deadline.
   * Without the event, or when QEMU refuses because it is already unplugging, {@code qom-list
   * /machine/peripheral} decides: listed means still present (an error naming what {@code stays});
   * not listed means gone. A device QEMU does not know is gone.
   *
   * @throws DeviceStillPresentException when the device is still there
   * @throws HotplugException when QMP failed and nothing is known
   */
  public void removeDevice(String id, String op, List<String> stays) {
    try {
      removeOrThrow(id, op, stays);
    } catch (HotplugException e) {
      throw e;
    } catch (RuntimeException e) { // QMP failed (disconnected, no reply): nothing is known
      String kept = stays.isEmpty() ? "" : "; still taken: " + String.join(", ", stays);
      throw new HotplugException(
          "sandbox " + sandboxId() + ": " + op + ": " + e.getMessage() + kept, e, stays);
    }
  }

  private void removeOrThrow(String id, String op, List<String> stays) {
    Duration deadline = deadlines.deviceDeleted();
    try {
      qmp.deviceDel(id, deadlines.command(), deadline);
    } catch (QmpEventTimeoutException e) {
      if (isPresent(id)) {
        throw stillPresent(
            id,
            op,
            "QEMU accepted device_del but sent no DEVICE_DELETED within "
                + Deadlines.format(deadline)
                + " and still lists "
                + id
                + " under "
                + QomList.PERIPHERAL
                + " (the guest has not released it)",
            stays);
      }
    } catch (QmpCommandException e) {
      if (e.errorClass() != QmpErrorClass.DEVICE_NOT_FOUND && isPresent(id)) {
        throw stillPresent(
            id,
            op,
            e.getMessage() + "; QEMU still lists " + id + " under " + QomList.PERIPHERAL,
            stays);
      }
    }
  }

  private DeviceStillPresentException stillPresent(
      String id, String op, String why, List<String> stays) {
    String kept = stays.isEmpty() ? "" : "; still taken: " + String.join(", ", stays);
    return new DeviceStillPresentException(
        "sandbox " + sandboxId() + ": " + op + ": " + why + kept, id, stays);
  }

  /** Whether {@code /machine/peripheral} lists device {@code id}. */
  public boolean isPresent(String id) {
    for (QomProperty p : call(new QomList(QomList.PERIPHERAL))) {
      if (p.isChild() && p.name().equals(id)) {
        return true;
      }
    }
    return false;
  }
}
