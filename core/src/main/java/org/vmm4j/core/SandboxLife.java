package org.vmm4j.core;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.hotplug.DeviceRecord;
import org.vmm4j.core.internal.hotplug.DeviceTable;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.hotplug.TxRunner;
import org.vmm4j.core.internal.hotplug.Unplug;
import org.vmm4j.core.internal.vm.HostProcess;
import org.vmm4j.core.internal.vm.OutputLog;
import org.vmm4j.core.internal.vm.Teardown;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpEvent;

/**
 * The life of one {@link Sandbox} object apart from its transactions' work: supervision of QEMU and
 * virtiofsd (an exit reported and recorded), stop, delete and detach, and devices QEMU removed
 * without a request of this process (the guest ejected one, or another QMP client removed it):
 * their {@code DEVICE_DELETED} events are noticed on the controller's connection and the unplug is
 * finished in a transaction of its own (backends deleted, slot freed, record dropped), then told to
 * the listeners.
 */
final class SandboxLife {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxLife.class);

  /** Finishes unplugs the guest started; shared by every sandbox of the JVM. */
  private static final ExecutorService FINISHERS =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "vmm4j-ejections");
            t.setDaemon(true);
            return t;
          });

  private final Sandbox sb;
  private final QmpClient qmp;
  private final SandboxWatches watches;
  private final QmpClient.Registration ejections;
  private final AtomicInteger inTransaction = new AtomicInteger();
  private final Queue<String> deletedDuringTransaction = new ConcurrentLinkedQueue<>();
  private final Set<String> removedOnRequest = ConcurrentHashMap.newKeySet();

  SandboxLife(Sandbox sb, QmpClient qmp, SandboxPaths paths) {
    this.sb = sb;
    this.qmp = qmp;
    this.watches =
        SandboxWatches.start(sb.id, sb.qemu, sb.virtiofsd, qmp, sb.options, paths, this::exited);
    this.ejections = qmp.onEvent(this::onQemuEvent);
  }

  /** Runs a transaction of this object; events of devices QEMU removed meanwhile wait for it. */
  <T> T transaction(Supplier<T> tx) {
    inTransaction.incrementAndGet();
    try {
      return tx.get();
    } finally {
      inTransaction.decrementAndGet();
      for (String d; (d = deletedDuringTransaction.poll()) != null; ) {
        if (!removedOnRequest.remove(d)) {
          deleted(d);
        }
      }
    }
  }

  /**
   * A transaction of this object ended: its device events once they are saved, and the devices a
   * request took out of QEMU noted, so that their {@code DEVICE_DELETED} is no news, also when the
   * state could not record the unplug (its caller was told; the next unplug of them records it).
   */
  void ended(TxRunner.Outcome<?> o) {
    Tx tx = o.tx();
    if (tx.requested()) {
      tx.removedDevices().forEach(d -> d.qemuDevices().forEach(q -> removedOnRequest.add(q.id())));
    }
    if (o.recorded()) {
      String id = sb.id();
      tx.addedDevices().forEach(d -> sb.publish(new SandboxEvent.DeviceAdded(id, d)));
      boolean asked = tx.requested();
      tx.removedDevices().forEach(d -> sb.publish(new SandboxEvent.DeviceRemoved(id, d, asked)));
    }
  }

  /** On the QMP reading thread: must return at once. */
  private void onQemuEvent(QmpEvent e) {
    if (!e.name().equals("DEVICE_DELETED")) {
      return;
    }
    String device = e.data().path("device").asString("");
    if (device.isEmpty()) {
      return;
    }
    if (inTransaction.get() > 0) {
      deletedDuringTransaction.add(device);
    } else {
      deleted(device);
    }
  }

  /**
   * QEMU deleted {@code device}: when the state (as this object last saw it) records it, finish.
   */
  private void deleted(String device) {
    if (sb.status != Sandbox.Status.RUNNING || !recorded(device)) {
      return;
    }
    FINISHERS.execute(() -> finishUnplug(device));
  }

  private boolean recorded(String device) {
    if (device.startsWith(DeviceTable.DIMM_PREFIX)) {
      return true; // the schema does not name DIMMs: the transaction asks QEMU for its backend
    }
    SandboxModel m = SandboxModel.of(new StoredSandbox(sb.state, java.util.Map.of()), "", false);
    return DeviceTable.recorded(m).stream()
        .anyMatch(r -> r.device().qemuDevices().stream().anyMatch(q -> q.id().equals(device)));
  }

  private void finishUnplug(String device) {
    try {
      Device gone =
          sb.transact(
              tx -> {
                DeviceRecord r =
                    DeviceTable.recorded(tx.model()).stream()
                        .filter(
                            x ->
                                x.device().qemuDevices().stream()
                                    .anyMatch(q -> q.id().equals(device)))
                        .findFirst()
                        .or(() -> DeviceTable.deletedDimm(tx, device))
                        .orElse(null);
                if (r == null || tx.isPresent(device)) {
                  return null; // unplugged meanwhile by a request, or back again
                }
                tx.unrequested();
                Unplug.run(tx, r);
                return r.device();
              });
      if (gone != null) {
        LOG.info(
            "sandbox {}: {} {} was removed from QEMU without a request: unplug finished",
            sb.id,
            gone.kind().cliName(),
            gone.id());
      }
    } catch (RuntimeException x) {
      LOG.warn("sandbox {}: finish the unplug of {} QEMU removed: {}", sb.id, device, x.toString());
    }
  }

  StopOutcome stop() {
    return locked(
        () -> {
          StopOutcome out = stopLocked(sb.store.load(sb.id));
          sb.state = sb.store.load(sb.id).sandbox();
          return out;
        });
  }

  void delete() {
    locked(
        () -> {
          if (sb.store.exists(sb.id)) {
            StoredSandbox current = sb.store.load(sb.id);
            if (sb.status == Sandbox.Status.RUNNING
                && !Sandbox.STATE_STOPPED.equals(current.sandbox().state())) {
              stopLocked(current);
            }
          }
          Teardown.remove(sb.store, sb.id);
          return null;
        });
  }

  void detach() {
    ejections.close();
    watches.close();
    qmp.close();
    if (sb.status == Sandbox.Status.RUNNING) {
      sb.status = Sandbox.Status.DETACHED;
    }
  }

  private StopOutcome stopLocked(StoredSandbox current) {
    watches.expectExit();
    ejections.close();
    boolean ours = current.sandbox().hypervisorState().pid() == sb.qemu.pid();
    Teardown.Live live =
        ours
            ? new Teardown.Live(sb.qemu, sb.virtiofsd, qmp)
            : Teardown.find(sb.store, current.sandbox(), sb.options);
    StopOutcome out = Teardown.stop(sb.store, current, live, sb.options);
    qmp.close();
    sb.status = Sandbox.Status.STOPPED;
    sb.publish(exit("qemu", sb.qemu, true, ""));
    return out;
  }

  private <T> T locked(Supplier<T> work) {
    return transaction(
        () -> {
          try (StoreLock lock = sb.store.lock(sb.id, true, sb.options.lockTimeout())) {
            return work.get();
          }
        });
  }

  /** An exit nobody asked for: reported, then the sandbox recorded as stopped. */
  private void exited(String process, HostProcess p, Path log) {
    sb.status = Sandbox.Status.EXITED;
    sb.publish(exit(process, p, false, OutputLog.tail(log)));
    watches.expectExit();
    ejections.close();
    try {
      SandboxesById.recordExit(
              sb.store, sb.id, new Teardown.Live(sb.qemu, sb.virtiofsd, qmp), sb.options)
          .ifPresent(st -> sb.state = st);
    } catch (RuntimeException e) {
      LOG.warn("sandbox {}: record the exit of {}: {}", sb.id, process, e.toString());
    } finally {
      qmp.close();
    }
  }

  /** The exit of {@code p}: its status or signal when this JVM is its parent. */
  private SandboxEvent.QemuExited exit(
      String process, HostProcess p, boolean requested, String output) {
    OptionalInt raw = p.exitStatus();
    OptionalInt status = OptionalInt.empty();
    OptionalInt signal = OptionalInt.empty();
    if (raw.isPresent()) {
      if (raw.getAsInt() > 128) {
        signal = OptionalInt.of(raw.getAsInt() - 128);
      } else {
        status = raw;
      }
    }
    return new SandboxEvent.QemuExited(sb.id, process, p.pid(), status, signal, requested, output);
  }
}
