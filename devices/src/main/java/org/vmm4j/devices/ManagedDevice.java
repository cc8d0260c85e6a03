package org.vmm4j.devices;

import java.util.Objects;
import org.vmm4j.persist.DeviceState;

/**
 * A snapshot of one device of a {@link DeviceManager}: identity, counts and what its attach
 * produced.
 *
 * @param id the device id (Kata: 16 random hex digits)
 * @param info the host device
 * @param refCount how many containers use it
 * @param attachCount how many attaches are outstanding (the first one plugged it)
 * @param attachment what the real attach produced; {@link Attachment.None} while not attached
 */
public record ManagedDevice(
    String id, HostDevice info, long refCount, long attachCount, Attachment attachment) {
  public ManagedDevice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(attachment, "attachment");
  }

  /** Whether the device is plugged (attached at least once, not yet fully detached). */
  public boolean attached() {
    return attachCount > 0;
  }

  /**
   * The persisted form (as Kata's devices {@code Save()}): id, Kata's Type, counts, {@code
   * DevType}, major/minor, {@code ColdPlug}, {@code DriverOptions}, and per kind {@code
   * BlockDrive}, {@code VFIODevs} or {@code VhostUserDev} while attached. The host path is not a
   * field of {@code DeviceState}; it survives in {@code BlockDrive.File} and {@code
   * VhostUserDev.SocketPath}.
   */
  public DeviceState toDeviceState() {
    DeviceState.Builder b =
        DeviceState.builder()
            .id(id)
            .type(info.kind().kataType())
            .refCount(refCount)
            .attachCount(attachCount)
            .devType(info.devType())
            .major(info.major())
            .minor(info.minor())
            .coldPlug(info.coldPlug())
            .driverOptions(info.driverOptions());
    if (attachment instanceof Attachment.Block blk) {
      b.blockDrive(blk.drive());
    } else if (attachment instanceof Attachment.Vfio vfio) {
      b.vfioDevs(vfio.devices());
    } else if (attachment instanceof Attachment.VhostUser vu) {
      b.vhostUserDev(vu.attrs());
    } else if (!(attachment instanceof Attachment.None)) {
      throw new AssertionError(attachment);
    }
    return b.build();
  }

  /**
   * The device a persisted {@code DeviceState} describes.
   *
   * @throws DeviceStateException for a Type vmm4j does not know
   */
  public static ManagedDevice fromDeviceState(String sandboxId, DeviceState s) {
    DeviceKind kind =
        DeviceKind.fromKataType(s.type())
            .orElseThrow(
                () ->
                    new DeviceStateException(
                        "sandbox "
                            + sandboxId
                            + ": device "
                            + s.id()
                            + ": unknown Type \""
                            + s.type()
                            + "\""));
    Attachment a = new Attachment.None();
    String hostPath = "";
    if (s.blockDrive() != null) {
      a = new Attachment.Block(s.blockDrive());
      hostPath = s.blockDrive().file();
    } else if (s.vfioDevs() != null && !s.vfioDevs().isEmpty()) {
      a = new Attachment.Vfio(s.vfioDevs());
    } else if (s.vhostUserDev() != null) {
      a = new Attachment.VhostUser(s.vhostUserDev());
      hostPath = s.vhostUserDev().socketPath();
    }
    HostDevice info =
        new HostDevice(
            kind,
            hostPath,
            s.devType(),
            s.major(),
            s.minor(),
            false,
            s.coldPlug(),
            s.driverOptions());
    return new ManagedDevice(s.id(), info, s.refCount(), s.attachCount(), a);
  }
}
