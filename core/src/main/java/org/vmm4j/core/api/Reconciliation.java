package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.vmm4j.persist.PciPath;

/**
 * What {@link Sandbox#reconcile} found when it compared QEMU with the persisted state, and what it
 * did about it (see {@code org.vmm4j.core.internal.reconcile} for the rules and where fences live).
 *
 * @param leftovers what QEMU has and the state does not record (a hotplug whose controller died
 *     before saving, a device added by hand): fenced, or removed when asked
 * @param missing what the state records and QEMU does not have (reported, never dropped)
 * @param recovered PCI paths the state lacked (Kata writes {@code {}}), read from QEMU and saved
 * @param recordedMemoryMiB {@code HotpluggedMemory}
 * @param qemuMemoryMiB the hot-plugged DIMMs QEMU has, in MiB
 */
public record Reconciliation(
    List<Leftover> leftovers,
    List<Missing> missing,
    List<RecoveredPath> recovered,
    long recordedMemoryMiB,
    long qemuMemoryMiB) {
  public Reconciliation {
    leftovers = List.copyOf(leftovers);
    missing = List.copyOf(missing);
    recovered = List.copyOf(recovered);
  }

  /** Whether QEMU and the state agree (recovered paths do not count: they were only unknown). */
  public boolean agrees() {
    return leftovers.stream().allMatch(Leftover::removed)
        && missing.isEmpty()
        && recordedMemoryMiB == qemuMemoryMiB;
  }

  /** What a leftover is. */
  public enum LeftoverKind {
    /** A device under {@code /machine/peripheral} that was hot-plugged and is not recorded. */
    DEVICE,
    /** A named block node no recorded or command-line device uses (a half-done disk plug). */
    BLOCK_NODE
  }

  /**
   * Something QEMU has that the state does not record.
   *
   * @param kind device or block node
   * @param id its QEMU id (device id or node name)
   * @param type the QOM type ({@code virtio-blk-pci}) or the node's driver
   * @param bridge the bridge or root port it sits on ("" when none)
   * @param pciPath its PCI path (nil when not on a tracked bridge)
   * @param blockIndex the block index it takes (a SCSI disk's address), if any
   * @param nodes the block nodes it uses (removed with it)
   * @param removed whether it was removed from QEMU ({@link ReconcileOptions#removeLeftovers()});
   *     else it is fenced: its slot and index are recorded as taken
   */
  public record Leftover(
      LeftoverKind kind,
      String id,
      String type,
      String bridge,
      PciPath pciPath,
      OptionalInt blockIndex,
      List<String> nodes,
      boolean removed) {
    public Leftover {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(bridge, "bridge");
      Objects.requireNonNull(pciPath, "pciPath");
      Objects.requireNonNull(blockIndex, "blockIndex");
      nodes = List.copyOf(nodes);
    }

    /** The same leftover, removed from QEMU. */
    public Leftover asRemoved() {
      return new Leftover(kind, id, type, bridge, pciPath, blockIndex, nodes, true);
    }
  }

  /** What kind of recorded thing is missing. */
  public enum MissingKind {
    /** A {@code DeviceState} (its QEMU device). */
    DEVICE,
    /** A network endpoint's NIC. */
    ENDPOINT,
    /** A {@code HotpluggedVCPUs} entry. */
    VCPU
  }

  /**
   * Something the state records that QEMU does not have.
   *
   * @param kind what it is
   * @param id its id in the state ({@code DeviceState} ID, endpoint name, vCPU id)
   * @param qemuId the QEMU device id looked for
   */
  public record Missing(MissingKind kind, String id, String qemuId) {
    public Missing {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(qemuId, "qemuId");
    }
  }

  /**
   * A PCI path read from QEMU for a recorded device, now saved in its {@code BlockDrive.PCIPath}
   * and in its bridge's {@code DeviceAddr} (keyed by the QEMU id).
   *
   * @param deviceId the {@code DeviceState} ID
   * @param qemuId its QEMU device id
   * @param pciPath bridge slot / device slot
   */
  public record RecoveredPath(String deviceId, String qemuId, PciPath pciPath) {
    public RecoveredPath {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(qemuId, "qemuId");
      Objects.requireNonNull(pciPath, "pciPath");
    }
  }
}
