package org.vmm4j.core.hotplug;

import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.core.MachineType;
import org.vmm4j.core.QemuCommandLine;
import org.vmm4j.devices.BlockIndexes;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.qmp.QmpClient;

/**
 * What every hotplug flow of one sandbox works with; no global state. The topology and the block
 * indexes are shared, thread-safe and mutated by the flows; the wiring persists them ({@link
 * PciTopology#toPersisted()}, {@link BlockIndexes#toPersisted()}) after each successful flow.
 *
 * @param sandboxId for messages
 * @param qmp the controller's QMP connection to this sandbox's QEMU
 * @param machine pc or q35 (q35's {@code pcie.0} takes no hot-plugged device)
 * @param topology the bridges and root ports, and who holds which slot
 * @param blockIndexes the block indexes ({@code BlockIndexMap})
 * @param guestMemory guest RAM's backend (the command line's {@link QemuCommandLine#memory()}):
 *     vhost-user needs it shared, hot-plugged memory uses the same kind
 * @param timeouts the deadlines
 */
public record HotplugContext(
    String sandboxId,
    QmpClient qmp,
    MachineType machine,
    PciTopology topology,
    BlockIndexes blockIndexes,
    Optional<GuestMemory> guestMemory,
    HotplugTimeouts timeouts) {
  public HotplugContext {
    Objects.requireNonNull(sandboxId, "sandboxId");
    Objects.requireNonNull(qmp, "qmp");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(blockIndexes, "blockIndexes");
    Objects.requireNonNull(guestMemory, "guestMemory");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /** The context of a sandbox just launched from {@code cmd}: its bridges, nothing plugged. */
  public static HotplugContext launched(String sandboxId, QmpClient qmp, QemuCommandLine cmd) {
    return new HotplugContext(
        sandboxId,
        qmp,
        cmd.machine(),
        PciTopology.of(sandboxId, cmd.bridges()),
        BlockIndexes.empty(sandboxId),
        cmd.memory(),
        HotplugTimeouts.defaults());
  }

  /**
   * The context of a sandbox whose controller reattaches: bridges with their devices and block
   * indexes from the persisted {@code HypervisorState}.
   */
  public static HotplugContext restored(
      String sandboxId,
      QmpClient qmp,
      MachineType machine,
      HypervisorState state,
      Optional<GuestMemory> guestMemory) {
    return new HotplugContext(
        sandboxId,
        qmp,
        machine,
        PciTopology.restore(sandboxId, state.bridges()),
        BlockIndexes.restore(sandboxId, state.blockIndexMap()),
        guestMemory,
        HotplugTimeouts.defaults());
  }

  /** The same context with other deadlines. */
  public HotplugContext withTimeouts(HotplugTimeouts t) {
    return new HotplugContext(sandboxId, qmp, machine, topology, blockIndexes, guestMemory, t);
  }
}
