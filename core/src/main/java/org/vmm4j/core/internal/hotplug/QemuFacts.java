package org.vmm4j.core.internal.hotplug;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.QemuException;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.qmp.Command;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import tools.jackson.databind.JsonNode;

/**
 * What transactions need of one QEMU process that does not change while it runs, read back from
 * QEMU itself (so that a controller that reattached, whose config has the live-only fields zeroed,
 * knows it as well as the one that launched): the machine type ({@code qom-get /machine type}),
 * guest RAM's backend ({@code /objects/dimm1}: its QOM type, {@code share}, {@code prealloc},
 * {@code mem-path}), the memory bounds ({@code qom-get /machine memory}: size, slots, max-size) and
 * whether the virtio-scsi controller {@code scsi0} exists.
 *
 * @param machine pc, q35 or microvm
 * @param memory guest RAM's backend; empty when QEMU has none named {@code dimm1} (plain RAM)
 * @param memoryLimits boot size, slots and maxmem, and {@code VirtioMem} from the config
 * @param cpuLimits boot and maximum vCPUs from the config, the accelerator QEMU runs with
 * @param scsiController whether {@code scsi0} is there (SCSI disks need it)
 */
public record QemuFacts(
    MachineType machine,
    Optional<GuestMemory> memory,
    MemoryLimits memoryLimits,
    CpuLimits cpuLimits,
    boolean scsiController) {
  /** Guest RAM's backend object, as the command line names it. */
  public static final String RAM_BACKEND = "dimm1";

  /** The virtio-scsi controller's id on the command line. */
  public static final String SCSI_CONTROLLER = "scsi0";

  private static final long MIB = 1L << 20;

  /**
   * {@code read}, asked for at most once, by the first transaction that needs QEMU's constants
   * (safe to share between threads).
   */
  public static Supplier<QemuFacts> once(Supplier<QemuFacts> read) {
    return new Supplier<>() {
      private volatile QemuFacts facts;

      @Override
      public QemuFacts get() {
        QemuFacts f = facts;
        if (f == null) {
          synchronized (this) {
            if (facts == null) {
              facts = read.get();
            }
            f = facts;
          }
        }
        return f;
      }
    };
  }

  /** Reads the facts from QEMU (five to seven QMP queries); the vCPU limits from the config. */
  public static QemuFacts read(
      HypervisorConfig config, Accelerator accel, QmpClient qmp, Duration timeout) {
    MachineType machine = machine(call(qmp, new QomGet("/machine", "type"), timeout).asString(""));
    JsonNode mem = call(qmp, new QomGet("/machine", "memory"), timeout);
    MemoryLimits limits =
        new MemoryLimits(
            mem.path("size").asLong() / MIB,
            mem.path("slots").asLong(),
            mem.path("max-size").asLong() / MIB,
            config.kata().virtioMem());
    boolean scsi =
        call(qmp, new QomList(QomList.PERIPHERAL), timeout).stream()
            .anyMatch(p -> p.isChild() && p.name().equals(SCSI_CONTROLLER));
    return new QemuFacts(
        machine, guestMemory(qmp, timeout), limits, CpuLimits.of(config, accel), scsi);
  }

  /**
   * The facts of a QEMU just started from {@code cl} (before {@code cont}), from the command line
   * and the config rather than from QEMU.
   */
  public static QemuFacts launched(QemuCommandLine cl, HypervisorConfig config) {
    MemoryLimits memory =
        new MemoryLimits(
            config.kata().memorySize(), config.kata().memSlots(), 0, config.kata().virtioMem());
    boolean scsi = !HypervisorConfig.VIRTIO_BLK.equals(config.kata().blockDeviceDriver());
    return new QemuFacts(
        cl.machine(), cl.memory(), memory, CpuLimits.of(config, cl.accelerator()), scsi);
  }

  /**
   * {@code pc-q35-7.2-machine} is q35, {@code pc-i440fx-7.2-machine} pc, {@code microvm-machine}.
   */
  static MachineType machine(String qomType) {
    if (qomType.startsWith("pc-q35")) {
      return MachineType.Q35;
    }
    if (qomType.startsWith("pc-i440fx") || qomType.startsWith("pc-")) {
      return MachineType.PC;
    }
    if (qomType.startsWith("microvm")) {
      return MachineType.MICROVM;
    }
    throw new QemuException("QEMU's machine is " + qomType + ": not one vmm4j runs");
  }

  /** Guest RAM's backend, or empty when QEMU has none (microvm with plain RAM). */
  static Optional<GuestMemory> guestMemory(QmpClient qmp, Duration timeout) {
    for (QomProperty p : call(qmp, new QomList("/objects"), timeout)) {
      if (p.isChild() && p.name().equals(RAM_BACKEND)) {
        String type = p.type().substring("child<".length(), p.type().length() - 1);
        String path = "/objects/" + RAM_BACKEND;
        boolean share = call(qmp, new QomGet(path, "share"), timeout).asBoolean(false);
        boolean prealloc = call(qmp, new QomGet(path, "prealloc"), timeout).asBoolean(false);
        String memPath =
            type.equals(GuestMemory.FILE)
                ? call(qmp, new QomGet(path, "mem-path"), timeout).asString("")
                : "";
        return Optional.of(new GuestMemory(type, memPath, share, prealloc));
      }
    }
    return Optional.empty();
  }

  private static <R> R call(QmpClient qmp, Command<R> c, Duration timeout) {
    return qmp.call(c, timeout);
  }
}
