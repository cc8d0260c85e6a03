package org.vmm4j.devices;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vmm4j.persist.DeviceState;

/**
 * The sandbox's devices with their reference and attach counts (inventory 4.2, 4.3), without Kata's
 * quirks: a refused removal changes no count, and a device's real attach or detach runs under that
 * device's own lock (never the manager's), so hotplugs of different devices proceed in parallel
 * while two attaches of one device are ordered.
 *
 * <ul>
 *   <li>{@link #newDevice}: the same host device (device number, else host path) is one device,
 *       referenced once more; a new one gets 16 random hex digits as id.
 *   <li>{@link #removeDevice}: one reference less; the last one removes the device, refused while
 *       it is attached.
 *   <li>{@link #attach}: the first attach runs the real attach (the hotplug) and records what it
 *       produced; later ones only count. A failed real attach leaves the count at 0.
 *   <li>{@link #detach}: the last detach runs the real detach (the unplug); a failure leaves the
 *       count at 1.
 * </ul>
 *
 * {@link #toDeviceStates()} gives {@code SandboxState.Devices}; {@link #restore} reads it back.
 */
public final class DeviceManager {
  /** Default wait for another attach/detach/remove of the same device. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

  /** Counts saturate here, which fits Go's {@code uint} on every platform. */
  public static final long MAX_COUNT = 0xFFFF_FFFFL;

  /** Kata's {@code DriverOptions} key for the block driver of block devices. */
  public static final String BLOCK_DRIVER_OPTION = "block-driver";

  private static final int ID_ATTEMPTS = 5;

  private final String sandboxId;
  private final String blockDriver;
  private final Supplier<String> ids;
  private final Duration lockTimeout;
  private final Map<String, Entry> devices = new LinkedHashMap<>();
  private final Map<String, Entry> byIdentity = new HashMap<>();

  /** One device; its fields are guarded by {@link #lock} (and read under the manager's monitor). */
  private static final class Entry {
    final String id;
    final ReentrantLock lock = new ReentrantLock();
    final HostDevice info;
    volatile long refCount;
    volatile long attachCount;
    volatile Attachment attachment = new Attachment.None();
    volatile boolean removed;

    Entry(String id, HostDevice info) {
      this.id = id;
      this.info = info;
    }

    ManagedDevice snapshot() {
      return new ManagedDevice(id, info, refCount, attachCount, attachment);
    }
  }

  /**
   * A manager with random ids and the default lock timeout.
   *
   * @param blockDriver the sandbox's block driver ({@code virtio-blk}, {@code virtio-scsi}, ...),
   *     recorded in block devices' {@code DriverOptions}
   */
  public DeviceManager(String sandboxId, String blockDriver) {
    this(sandboxId, blockDriver, DeviceManager::randomId, DEFAULT_LOCK_TIMEOUT);
  }

  /** A manager with an id supplier (tests) and a lock timeout. */
  public DeviceManager(
      String sandboxId, String blockDriver, Supplier<String> ids, Duration lockTimeout) {
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
    this.blockDriver = Objects.requireNonNull(blockDriver, "blockDriver");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
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
      Entry e = new Entry(d.id(), d.info());
      e.refCount = d.refCount();
      e.attachCount = d.attachCount();
      e.attachment = d.attachment();
      m.add(e);
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
  public synchronized ManagedDevice newDevice(HostDevice info) {
    String identity = info.identity();
    Entry existing = identity == null ? null : byIdentity.get(identity);
    if (existing != null) {
      existing.refCount = Math.min(existing.refCount + 1, MAX_COUNT);
      return existing.snapshot();
    }
    Entry e = new Entry(newId(), withDriverOptions(info));
    e.refCount = 1;
    add(e);
    return e.snapshot();
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

  private void add(Entry e) {
    devices.put(e.id, e);
    String identity = e.info.identity();
    if (identity != null) {
      byIdentity.putIfAbsent(identity, e);
    }
  }

  /**
   * Drops one reference; the last one removes the device. Refused, with no count changed, when the
   * last reference goes while the device is attached.
   *
   * @return the device after the change ({@code refCount} 0: removed)
   * @throws DeviceStateException for an unknown device, or one still attached
   */
  public ManagedDevice removeDevice(String id) {
    Entry e = entry(id, "remove");
    return locked(
        e,
        "remove",
        () -> {
          synchronized (this) {
            if (e.refCount <= 1 && e.attachCount > 0) {
              throw new DeviceStateException(
                  "sandbox "
                      + sandboxId
                      + ": remove device "
                      + id
                      + ": it is still attached ("
                      + e.attachCount
                      + " attach(es)); detach it first");
            }
            e.refCount = Math.max(e.refCount - 1, 0);
            if (e.refCount == 0) {
              e.removed = true;
              devices.remove(id);
              byIdentity.remove(e.info.identity(), e);
            }
            return e.snapshot();
          }
        });
  }

  /**
   * Attaches the device: the first attach calls {@code realAttach} (the hotplug, outside the
   * manager's lock) and records its result; later ones only count.
   *
   * @throws DeviceStateException for an unknown device or too many attaches
   * @throws RuntimeException what {@code realAttach} threw (the count stays 0)
   */
  public ManagedDevice attach(String id, Function<ManagedDevice, Attachment> realAttach) {
    Entry e = entry(id, "attach");
    return locked(
        e,
        "attach",
        () -> {
          if (e.attachCount >= MAX_COUNT) {
            throw new DeviceStateException(
                "sandbox " + sandboxId + ": attach device " + id + ": attached too many times");
          }
          if (e.attachCount == 0) {
            Attachment a = Objects.requireNonNull(realAttach.apply(e.snapshot()), "attachment");
            e.attachment = a;
          }
          e.attachCount++;
          return e.snapshot();
        });
  }

  /**
   * Detaches the device: the last detach calls {@code realDetach} (the unplug) and forgets the
   * attachment; earlier ones only count.
   *
   * @throws DeviceStateException for an unknown device or one not attached
   * @throws RuntimeException what {@code realDetach} threw (the device stays attached)
   */
  public ManagedDevice detach(String id, Consumer<ManagedDevice> realDetach) {
    Entry e = entry(id, "detach");
    return locked(
        e,
        "detach",
        () -> {
          if (e.attachCount == 0) {
            throw new DeviceStateException(
                "sandbox " + sandboxId + ": detach device " + id + ": it is not attached");
          }
          if (e.attachCount == 1) {
            realDetach.accept(e.snapshot());
            e.attachment = new Attachment.None();
          }
          e.attachCount--;
          return e.snapshot();
        });
  }

  /** The device {@code id}, if known. */
  public synchronized Optional<ManagedDevice> find(String id) {
    Entry e = devices.get(id);
    return e == null ? Optional.empty() : Optional.of(e.snapshot());
  }

  /** Every device, in creation order. */
  public synchronized List<ManagedDevice> devices() {
    List<ManagedDevice> out = new ArrayList<>(devices.size());
    devices.values().forEach(e -> out.add(e.snapshot()));
    return out;
  }

  /** {@code SandboxState.Devices}, in creation order. */
  public List<DeviceState> toDeviceStates() {
    return devices().stream().map(ManagedDevice::toDeviceState).toList();
  }

  private synchronized Entry entry(String id, String op) {
    Entry e = devices.get(id);
    if (e == null) {
      throw unknown(id, op);
    }
    return e;
  }

  private DeviceStateException unknown(String id, String op) {
    return new DeviceStateException(
        "sandbox " + sandboxId + ": " + op + " device " + id + ": no such device");
  }

  private <T> T locked(Entry e, String op, Supplier<T> action) {
    try {
      if (!e.lock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new DeviceStateException(
            "sandbox "
                + sandboxId
                + ": "
                + op
                + " device "
                + e.id
                + ": another operation on it"
                + " did not finish within "
                + lockTimeout.toMillis()
                + " ms");
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": " + op + " device " + e.id + ": interrupted", ie);
    }
    try {
      if (e.removed) {
        throw unknown(e.id, op);
      }
      return action.get();
    } finally {
      e.lock.unlock();
    }
  }
}
