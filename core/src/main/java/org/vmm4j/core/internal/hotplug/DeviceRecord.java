package org.vmm4j.core.internal.hotplug;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.qmp.BlockdevDel;
import org.vmm4j.qmp.ChardevRemove;
import org.vmm4j.qmp.Command;
import org.vmm4j.qmp.NetdevDel;
import org.vmm4j.qmp.ObjectDel;

/**
 * The one record of a plugged thing, whatever its kind, as {@link DeviceTable} reads it out of the
 * model: what the API shows ({@link #device()}: id, kind, QEMU devices with their PCI paths,
 * details) and what {@link Unplug} needs to take it out again (the backends in creation order, the
 * key each QEMU device's slot is recorded under, the block index) and to forget it ({@link
 * #source()}: where in Kata's schema it lives).
 *
 * @param device the API's view
 * @param slotKeys per QEMU device (same order), the id its slot is recorded under in {@code
 *     DeviceAddr} ("" when it holds none): its QEMU id, or what Kata keys it by (a drive id, a bare
 *     endpoint UUID)
 * @param backends what its QEMU devices use, in creation order (deleted in reverse)
 * @param index its block index (disks, vhost-user-blk), else empty
 * @param source where the record lives in the schema
 */
public record DeviceRecord(
    Device device,
    List<String> slotKeys,
    List<Backend> backends,
    OptionalInt index,
    Source source) {
  public DeviceRecord {
    Objects.requireNonNull(device, "device");
    slotKeys = List.copyOf(slotKeys);
    backends = List.copyOf(backends);
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(source, "source");
    if (slotKeys.size() != device.qemuDevices().size()) {
      throw new IllegalArgumentException(
          device.id() + ": " + slotKeys.size() + " slot keys for " + device.qemuDevices().size());
    }
  }

  public String id() {
    return device.id();
  }

  public DeviceKind kind() {
    return device.kind();
  }

  /** A QEMU object a device uses; deleting it is the last step of an unplug. */
  public sealed interface Backend {
    /** Its QEMU id. */
    String id();

    /** The command that deletes it. */
    Command<?> delete();

    /** {@code blockdev drive-1}, for messages. */
    String describe();
  }

  /** A block node ({@code blockdev-add}). */
  public record BlockNode(String id) implements Backend {
    @Override
    public Command<?> delete() {
      return new BlockdevDel(id);
    }

    @Override
    public String describe() {
      return "blockdev " + id;
    }
  }

  /** A character device ({@code chardev-add}): a vhost-user socket. */
  public record Chardev(String id) implements Backend {
    @Override
    public Command<?> delete() {
      return new ChardevRemove(id);
    }

    @Override
    public String describe() {
      return "chardev " + id;
    }
  }

  /** A network backend ({@code netdev_add}). */
  public record Netdev(String id) implements Backend {
    @Override
    public Command<?> delete() {
      return new NetdevDel(id);
    }

    @Override
    public String describe() {
      return "netdev " + id;
    }
  }

  /** A memory backend object ({@code object-add}). */
  public record MemoryObject(String id) implements Backend {
    @Override
    public Command<?> delete() {
      return new ObjectDel(id);
    }

    @Override
    public String describe() {
      return "backend " + id;
    }
  }

  /** Where in Kata's schema a record lives. */
  public sealed interface Source {}

  /** An entry of {@code Devices} (its {@code DeviceState} ID is the record's id). */
  public record KataDevice() implements Source {}

  /** {@code NetworkInfo.Endpoints[index]}, and its host side. */
  public record KataEndpoint(int index) implements Source {}

  /** An entry of {@code HotpluggedVCPUs}. */
  public record HotpluggedVcpu() implements Source {}

  /** A DIMM: only its size is in the schema ({@code HotpluggedMemory}). */
  public record Dimm(long sizeMiB) implements Source {}
}
