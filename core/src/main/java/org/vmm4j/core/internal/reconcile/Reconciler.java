package org.vmm4j.core.internal.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.vmm4j.core.api.ReconcileException;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.core.api.Reconciliation.Missing;
import org.vmm4j.core.api.Reconciliation.RecoveredPath;
import org.vmm4j.core.internal.hotplug.MemoryPlug;
import org.vmm4j.core.internal.reconcile.QemuInventory.QemuDevice;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;

/**
 * Compares QEMU ({@link QemuInventory}) with a persisted state ({@link Recorded}) and returns the
 * report and the state to save: PCI paths recovered, leftovers fenced (or removed), nothing
 * recorded ever dropped. Runs under the sandbox's exclusive store lock ({@code Sandbox.update}), so
 * no hotplug of another controller is half-way while it looks.
 */
public final class Reconciler {
  /**
   * What reconciling gave.
   *
   * @param report what was found and done
   * @param state the state to save (the same object when nothing changed)
   */
  public record Result(Reconciliation report, SandboxState state) {}

  private final SandboxState st;
  private final QmpClient qmp;
  private final ReconcileOptions options;
  private final QemuInventory qemu;
  private final Recorded recorded;
  private final SlotMap slots;
  private final Set<Long> indexes;
  private boolean indexesChanged;

  private Reconciler(SandboxState st, QmpClient qmp, ReconcileOptions options) {
    this.st = st;
    this.qmp = qmp;
    this.options = options;
    this.qemu = QemuInventory.read(qmp, options.commandTimeout());
    this.recorded = recorded(st);
    HypervisorState hs = st.hypervisorState();
    this.slots = new SlotMap(hs.bridges());
    this.indexes = hs.blockIndexMap() == null ? new TreeSet<>() : new TreeSet<>(hs.blockIndexMap());
  }

  private static Recorded recorded(SandboxState st) {
    try {
      return Recorded.of(st);
    } catch (DevicesException | IllegalArgumentException e) {
      throw new ReconcileException(
          "sandbox " + st.sandboxContainer() + ": reconcile: " + e.getMessage(), e);
    }
  }

  /**
   * Reconciles {@code st} with the QEMU behind {@code qmp}.
   *
   * @throws ReconcileException when the state's devices or endpoints cannot be read
   * @throws org.vmm4j.qmp.QmpException when QEMU does not answer
   */
  public static Result run(SandboxState st, QmpClient qmp, ReconcileOptions options) {
    Objects.requireNonNull(options, "options");
    return new Reconciler(st, qmp, options).run();
  }

  private Result run() {
    List<Missing> missing = new ArrayList<>();
    recorded
        .byQemuId()
        .forEach(
            (id, m) -> {
              if (!qemu.devices().containsKey(id)) {
                missing.add(m);
              }
            });
    List<RecoveredPath> recovered = new ArrayList<>();
    List<DeviceState> devices = recoverPaths(recovered);
    List<Leftover> leftovers = new ArrayList<>();
    for (Leftover l : leftovers()) {
      Leftover done = options.removeLeftovers() ? Removal.remove(qmp, options, l) : l;
      if (done.removed()) {
        slots.releaseAll(done.id());
        done.blockIndex().ifPresent(i -> indexesChanged |= indexes.remove((long) i));
      } else {
        fence(done);
      }
      leftovers.add(done);
    }
    Reconciliation report =
        new Reconciliation(
            leftovers, missing, recovered, st.hypervisorState().hotpluggedMemory(), qemu.dimmMiB());
    return new Result(report, next(devices));
  }

  /** QEMU's hot-plugged devices and named block nodes that nothing recorded accounts for. */
  private List<Leftover> leftovers() {
    List<Leftover> out = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (QemuDevice d : qemu.hotplugged()) {
      if (recorded.byQemuId().containsKey(d.id()) || launchDevice(d)) {
        continue;
      }
      List<String> nodes = new ArrayList<>();
      qemu.nodeUsers()
          .forEach(
              (node, user) -> {
                if (user.equals(d.id()) && !recorded.nodes().contains(node)) {
                  nodes.add(node);
                }
              });
      used.addAll(nodes);
      String bridge = slots.bridgeOf(d).map(Bridge::id).orElse("");
      out.add(
          new Leftover(
              LeftoverKind.DEVICE,
              d.id(),
              d.type(),
              bridge,
              slots.pathOf(d),
              scsiIndex(d),
              nodes,
              false));
    }
    for (String node : qemu.nodes()) {
      if (!recorded.nodes().contains(node)
          && !used.contains(node)
          && !qemu.nodeUsers().containsKey(node)) {
        out.add(
            new Leftover(
                LeftoverKind.BLOCK_NODE,
                node,
                "block-node",
                "",
                PciPath.NIL,
                OptionalInt.empty(),
                List.of(node),
                false));
      }
    }
    return out;
  }

  /**
   * Devices a launch adds over QMP that no record names: the vhost-vsock device ({@code
   * vsock-<cid>}, before {@code cont}); DIMMs are counted through {@code HotpluggedMemory}; the
   * virtio-mem device is resized, never plugged.
   */
  private static boolean launchDevice(QemuDevice d) {
    return d.id().startsWith("vsock-")
        || d.id().equals(MemoryPlug.VIRTIO_MEM_ID)
        || d.type().equals("pc-dimm");
  }

  /** A SCSI disk's block index: its address (Kata's {@code Index/256}, {@code Index%256}). */
  private static OptionalInt scsiIndex(QemuDevice d) {
    if (d.scsiId().isEmpty() || d.lun().isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(d.scsiId().getAsInt() * 256 + d.lun().getAsInt());
  }

  /** Marks a leftover's slot and block index taken in the state. */
  private void fence(Leftover l) {
    QemuDevice d = qemu.devices().get(l.id());
    if (d != null) {
      slots
          .bridgeOf(d)
          .ifPresent(
              b -> {
                long slot = SlotMap.slotOf(d, b);
                if (slots.holder(b.id(), slot) == null) {
                  slots.put(b.id(), slot, l.id());
                }
              });
    }
    l.blockIndex().ifPresent(i -> indexesChanged |= indexes.add((long) i));
  }

  /**
   * Recorded virtio-blk disks whose {@code PCIPath} is nil get QEMU's; every recorded disk on a
   * bridge holds its slot under its QEMU id (Kata keys {@code DeviceAddr} by the drive id).
   */
  private List<DeviceState> recoverPaths(List<RecoveredPath> recovered) {
    if (st.devices() == null) {
      return null;
    }
    List<DeviceState> out = new ArrayList<>();
    for (DeviceState ds : st.devices()) {
      BlockDrive drive = ds.blockDrive();
      QemuDevice d = drive == null ? null : qemu.devices().get("virtio-" + drive.id());
      if (d == null || d.slot().isEmpty() || !drive.scsiAddr().isEmpty()) {
        out.add(ds);
        continue;
      }
      slots
          .bridgeOf(d)
          .ifPresent(
              b -> {
                long slot = SlotMap.slotOf(d, b);
                String holder = slots.holder(b.id(), slot);
                if (holder == null || holder.equals(drive.id())) {
                  slots.put(b.id(), slot, d.id());
                }
              });
      PciPath path = slots.pathOf(d);
      if (drive.pciPath().isNil() && !path.isNil()) {
        recovered.add(new RecoveredPath(ds.id(), d.id(), path));
        ds = ds.toBuilder().blockDrive(drive.toBuilder().pciPath(path).build()).build();
      }
      out.add(ds);
    }
    return out;
  }

  private SandboxState next(List<DeviceState> devices) {
    HypervisorState hs = st.hypervisorState();
    List<Bridge> bridges = slots.toPersisted();
    boolean same =
        bridges == hs.bridges() && !indexesChanged && Objects.equals(devices, st.devices());
    if (same) {
      return st;
    }
    HypervisorState nextHs =
        hs.toBuilder()
            .bridges(bridges)
            .blockIndexMap(indexesChanged ? indexes : hs.blockIndexMap())
            .build();
    return st.toBuilder().devices(devices).hypervisorState(nextHs).build();
  }
}
