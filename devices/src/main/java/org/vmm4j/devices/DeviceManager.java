package org.vmm4j.devices;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vmm4j.persist.DeviceState;

/**
 * The sandbox's devices with their reference and attach counts (Kata's device manager), without
 * Kata's quirks: a refused removal changes no count, and a failed real attach or detach changes
 * none either.
 *
 * <ul>
 *   <li>{@link #newDevice}: the same host device (device number, else host path, else for a disk
 *       the same file through another path) is one device, referenced once more; a new one gets 16
 *       random hex digits as id.
 *   <li>{@link #removeDevice}: one reference less; the last one removes the device, refused while
 *       it is attached.
 *   <li>{@link #attach}: the first attach runs the real attach (the hotplug) and records what it
 *       produced; later ones only count. A failed real attach leaves the count at 0.
 *   <li>{@link #detach}: the last detach runs the real detach (the unplug); a failure leaves the
 *       count at 1.
 * </ul>
 *
 * {@link #toDeviceStates()} gives {@code SandboxState.Devices}; {@link #restore} reads it back.
 *
 * <p>Not thread-safe: a manager is part of one transaction's model, restored from the state read
 * under the sandbox's exclusive store lock and used by that transaction alone.
 */
public final class DeviceManager {
  /** Counts saturate here, which fits Go's {@code uint} on every platform. */
  public static final long MAX_COUNT = 0xFFFF_FFFFL;

  /** Kata's {@code DriverOptions} key for the block driver of block devices. */
  public static final String BLOCK_DRIVER_OPTION = "block-driver";

  private static final int ID_ATTEMPTS = 5;

  private final String sandboxId;
  private final String blockDriver;
  private final Supplier<String> ids;
  private final Map<String, ManagedDevice> devices = new LinkedHashMap<>();
  private final Map<String, String> byIdentity = new HashMap<>();

  /**
   * A manager with random ids.
   *
   * @param blockDriver the sandbox's block driver ({@code virtio-blk}, {@code virtio-scsi}, ...),
   *     recorded in block devices' {@code DriverOptions}
   */
  public DeviceManager(String sandboxId, String blockDriver) {
    this(sandboxId, blockDriver, DeviceManager::randomId);
  }

  /** A manager with an id supplier (tests). */
  public DeviceManager(String sandboxId, String blockDriver, Supplier<String> ids) {
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
    this.blockDriver = Objects.requireNonNull(blockDriver, "blockDriver");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * The devices recorded in {@code SandboxState.Devices} (null is none), with their counts.
   *
   * @throws DeviceStateException for an unknown Type or a device id given twice
   */
  public static DeviceManager restore(
      String sandboxId, String blockDriver, List<DeviceState> states) {
    DeviceManager m = new DeviceManager(sandboxId, blockDriver);
    for (DeviceState s : states == null ? List.<DeviceState>of() : states) {
      ManagedDevice d = ManagedDevice.fromDeviceState(sandboxId, s);
      if (m.devices.containsKey(d.id())) {
        throw new DeviceStateException("sandbox " + sandboxId + ": device " + d.id() + " twice");
      }
      m.put(d);
    }
    return m;
  }

  private static String randomId() {
    byte[] b = new byte[8];
    Holder.RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static final class Holder {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  /**
   * The device for {@code info}: the existing one (one more reference) when the same host device is
   * known, else a new one with one reference.
   *
   * @throws DeviceStateException when no unused id was drawn in 5 attempts
   */
  public ManagedDevice newDevice(HostDevice info) {
    Optional<ManagedDevice> existing = findSame(info);
    if (existing.isPresent()) {
      ManagedDevice d = existing.get();
      return replace(d, Math.min(d.refCount() + 1, MAX_COUNT), d.attachCount(), d.attachment());
    }
    return put(new ManagedDevice(newId(), withDriverOptions(info), 1, 0, new Attachment.None()));
  }

  private String newId() {
    for (int i = 0; i < ID_ATTEMPTS; i++) {
      String id = ids.get();
      if (!devices.containsKey(id)) {
        return id;
      }
    }
    throw new DeviceStateException(
        "sandbox " + sandboxId + ": new device: " + ID_ATTEMPTS + " ids drawn, all in use");
  }

  private HostDevice withDriverOptions(HostDevice info) {
    if (info.kind() != DeviceKind.BLOCK && info.kind() != DeviceKind.VHOST_USER_BLK) {
      return info;
    }
    Map<String, String> opts = new HashMap<>(info.driverOptions());
    opts.putIfAbsent(BLOCK_DRIVER_OPTION, blockDriver);
    return new HostDevice(
        info.kind(),
        info.hostPath(),
        info.devType(),
        info.major(),
        info.minor(),
        info.readOnly(),
        info.coldPlug(),
        opts);
  }

  private ManagedDevice put(ManagedDevice d) {
    devices.put(d.id(), d);
    String identity = d.info().identity();
    if (identity != null) {
      byIdentity.putIfAbsent(identity, d.id());
    }
    return d;
  }

  private ManagedDevice replace(ManagedDevice d, long refs, long attaches, Attachment a) {
    ManagedDevice next = new ManagedDevice(d.id(), d.info(), refs, attaches, a);
    devices.put(d.id(), next);
    return next;
  }

  /**
   * Drops one reference; the last one removes the device. Refused, with no count changed, when the
   * last reference goes while the device is attached.
   *
   * @return the device after the change ({@code refCount} 0: removed)
   * @throws DeviceStateException for an unknown device, or one still attached
   */
  public ManagedDevice removeDevice(String id) {
    ManagedDevice d = entry(id, "remove");
    if (d.refCount() <= 1 && d.attachCount() > 0) {
      throw new DeviceStateException(
          "sandbox "
              + sandboxId
              + ": remove device "
              + id
              + ": it is still attached ("
              + d.attachCount()
              + " attach(es)); detach it first");
    }
    long refs = Math.max(d.refCount() - 1, 0);
    if (refs > 0) {
      return replace(d, refs, d.attachCount(), d.attachment());
    }
    devices.remove(id);
    byIdentity.remove(d.info().identity(), id);
    return new ManagedDevice(d.id(), d.info(), 0, d.attachCount(), d.attachment());
  }

  /**
   * Attaches the device: the first attach calls {@code realAttach} (the hotplug) and records its
   * result; later ones only count.
   *
   * @throws DeviceStateException for an unknown device or too many attaches
   * @throws RuntimeException what {@code realAttach} threw (the count stays 0)
   */
  public ManagedDevice attach(String id, Function<ManagedDevice, Attachment> realAttach) {
    ManagedDevice d = entry(id, "attach");
    if (d.attachCount() >= MAX_COUNT) {
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": attach device " + id + ": attached too many times");
    }
    Attachment a = d.attachment();
    if (d.attachCount() == 0) {
      a = Objects.requireNonNull(realAttach.apply(d), "attachment");
    }
    return replace(entry(id, "attach"), d.refCount(), d.attachCount() + 1, a);
  }

  /**
   * Detaches the device: the last detach calls {@code realDetach} (the unplug) and forgets the
   * attachment; earlier ones only count.
   *
   * @throws DeviceStateException for an unknown device or one not attached
   * @throws RuntimeException what {@code realDetach} threw (the device stays attached)
   */
  public ManagedDevice detach(String id, Consumer<ManagedDevice> realDetach) {
    ManagedDevice d = entry(id, "detach");
    if (d.attachCount() == 0) {
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": detach device " + id + ": it is not attached");
    }
    Attachment a = d.attachment();
    if (d.attachCount() == 1) {
      realDetach.accept(d);
      a = new Attachment.None();
    }
    return replace(entry(id, "detach"), d.refCount(), d.attachCount() - 1, a);
  }

  /**
   * Replaces what the device's attach produced, its counts unchanged: part of it is gone (some
   * members of a VFIO group were unplugged before the others stayed).
   *
   * @throws DeviceStateException for an unknown device or one not attached
   */
  public ManagedDevice updateAttachment(String id, Attachment attachment) {
    ManagedDevice d = entry(id, "update");
    if (d.attachCount() == 0) {
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": update device " + id + ": it is not attached");
    }
    return replace(d, d.refCount(), d.attachCount(), Objects.requireNonNull(attachment));
  }

  /**
   * The device that stands for the same host device as {@code info}, if there is one: the same
   * device number or path, or for a disk the same file reached through another path (a link, {@code
   * ./x}): the disks' recorded paths are looked at now ({@link FileIdentity}).
   */
  public Optional<ManagedDevice> findSame(HostDevice info) {
    String identity = info.identity();
    if (identity == null) {
      return Optional.empty();
    }
    String id = byIdentity.get(identity);
    if (id != null) {
      return Optional.of(devices.get(id));
    }
    if (info.kind() != DeviceKind.BLOCK) {
      return Optional.empty();
    }
    Optional<FileIdentity> file = FileIdentity.of(info);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    return devices.values().stream()
        .filter(d -> d.info().kind() == DeviceKind.BLOCK)
        .filter(d -> file.equals(FileIdentity.of(d.info())))
        .findFirst();
  }

  /** The device {@code id}, if known. */
  public Optional<ManagedDevice> find(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** Every device, in creation order. */
  public List<ManagedDevice> devices() {
    return List.copyOf(devices.values());
  }

  /** {@code SandboxState.Devices}, in creation order. */
  public List<DeviceState> toDeviceStates() {
    return devices.values().stream().map(ManagedDevice::toDeviceState).toList();
  }

  private ManagedDevice entry(String id, String op) {
    ManagedDevice d = devices.get(id);
    if (d == null) {
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": " + op + " device " + id + ": no such device");
    }
    return d;
  }
}
