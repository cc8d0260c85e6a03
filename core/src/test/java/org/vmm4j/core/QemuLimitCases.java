package org.vmm4j.core;

import static org.vmm4j.core.KernelFiles.bzImage;
import static org.vmm4j.core.KernelFiles.sparse;
import static org.vmm4j.core.KernelFiles.withSetupSectors;
import static org.vmm4j.core.KernelFiles.write;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * For each limit vmm4j checks before launching, a config at the limit and one just past it, and
 * what QEMU 7.2 says of the one past it (see {@code QemuLimitsIT}). The host is TCG without
 * seccomp; its {@code MemTotal} (which sets {@code maxmem}) is the case's.
 */
final class QemuLimitCases {
  private QemuLimitCases() {}

  /** Files a case makes in its directory, and its base configs. */
  record Files(Path dir, TestAssets assets) {
    HypervisorConfig initrd() {
      return AssetConfigs.initrdConfig(assets);
    }

    HypervisorConfig image(long bytes) {
      String image = sized("rootfs-" + bytes + ".img", bytes);
      return AssetConfigs.imageConfig(assets).editKata(k -> k.imagePath(image));
    }

    String sized(String name, long bytes) {
      return sparse(dir.resolve(name), bytes).toString();
    }

    HypervisorConfig kernel(HypervisorConfig c, String name, ByteBuffer file) {
      String k = write(dir.resolve(name), file).toString();
      return c.editKata(b -> b.kernelPath(k));
    }
  }

  /**
   * One limit.
   *
   * @param name the class of value and the limit
   * @param memTotalMiB the host's memory as the host check reports it
   * @param at the config at the limit: vmm4j and QEMU take it
   * @param past the config one past it: vmm4j refuses it naming {@code field}, QEMU refuses it
   *     saying {@code qemuSays}
   * @param field the field vmm4j names
   * @param qemuSays part of QEMU's own refusal
   */
  record Limit(
      String name,
      long memTotalMiB,
      Function<Files, HypervisorConfig> at,
      Function<Files, HypervisorConfig> past,
      String field,
      String qemuSays) {
    HostCapabilities host() {
      return new HostCapabilities(false, false, false, false, memTotalMiB);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final long HOST = 24000;
  static final long INITRD_MAX_PC_256 = 256L * 1024 * 1024 - 0x28000 - 1;

  static final List<Limit> ALL =
      List.of(
          new Limit(
              "memory: MemorySize below maxmem (host memory + 1024 + MemOffset)",
              2000,
              f -> f.initrd().editKata(k -> k.memorySize(3023)),
              f -> f.initrd().editKata(k -> k.memorySize(3024)),
              "MemorySize",
              "invalid value of maxmem"),
          new Limit(
              "memory: maxmem within TCG's 40 address bits (q35, 2048 MiB, 10 slots)",
              991232 - 1024,
              f -> f.initrd().editKata(k -> k.hypervisorMachineType("q35")),
              f -> f.initrd().editKata(k -> k.hypervisorMachineType("q35").memOffset(1)),
              "MemOffset",
              "phys-bits too low (40)"),
          new Limit(
              "memory: maxmem within TCG's 40 address bits (pc, 3000 MiB, 1 slot)",
              // (1012 - 2) GiB - 4 GiB - 1 slot GiB + 3000 MiB, less the 1024 MiB Kata adds
              (1010 - 4 - 1) * 1024 + 3000 - 1024,
              f -> f.initrd().editKata(k -> k.memorySize(3000).memSlots(1)),
              f -> f.initrd().editKata(k -> k.memorySize(3000).memSlots(1).memOffset(1)),
              "MemOffset",
              "phys-bits too low (40)"),
          new Limit(
              "vCPUs: pc takes 255",
              HOST,
              f -> f.initrd().editKata(k -> k.defaultMaxVcpus(255)),
              f -> f.initrd().editKata(k -> k.defaultMaxVcpus(256)),
              "DefaultMaxVCPUs",
              "The max CPUs supported by machine 'pc-i440fx-7.2' is 255"),
          new Limit(
              "vCPUs: TCG takes 255 on q35",
              HOST,
              f -> f.initrd().editKata(k -> k.hypervisorMachineType("q35").defaultMaxVcpus(255)),
              f -> f.initrd().editKata(k -> k.hypervisorMachineType("q35").defaultMaxVcpus(256)),
              "DefaultMaxVCPUs",
              "requires kernel irqchip and X2APIC API support"),
          new Limit(
              "kernel: an ELF kernel needs a PVH entry note",
              HOST,
              f -> f.kernel(f.initrd(), "pvh.elf", KernelFiles.elf(true)),
              f -> f.kernel(f.initrd(), "plain.elf", KernelFiles.elf(false)),
              "KernelPath",
              "Error loading uncompressed kernel without PVH ELF Note"),
          new Limit(
              "kernel: an initrd needs a Linux setup header",
              HOST,
              Files::initrd,
              f -> f.kernel(f.initrd(), "headerless", KernelFiles.headerless(64 * 1024)),
              "KernelPath",
              "linux kernel too old to load a ram disk"),
          new Limit(
              "kernel: the file holds its setup code",
              HOST,
              f -> f.kernel(f.initrd(), "setup31", withSetupSectors(bzImage(), 31)),
              f -> f.kernel(f.initrd(), "setup32", withSetupSectors(bzImage(), 32)),
              "KernelPath",
              "invalid kernel header"),
          new Limit(
              "initrd: below RAM under 4 GiB less ACPI data (pc, 256 MiB)",
              HOST,
              f -> initrd(f, INITRD_MAX_PC_256 - 1),
              f -> initrd(f, INITRD_MAX_PC_256),
              "InitrdPath",
              "initrd is too large, cannot support"),
          new Limit(
              "firmware: a BIOS in 64 KiB units",
              HOST,
              f -> bios(f, 64 * 1024),
              f -> bios(f, 100 * 1024),
              "FirmwarePath",
              "could not load PC BIOS"),
          new Limit(
              "firmware: pflash in 4 KiB units of 512-byte sectors",
              HOST,
              f -> pflash(f, 3585),
              f -> pflash(f, 3584),
              "PFlash",
              "its size must be a non-zero multiple of 0x1000"),
          new Limit(
              "firmware: at most 2 pflash files",
              HOST,
              f -> pflash(f, 4096, 4096),
              f -> pflash(f, 4096, 4096, 4096),
              "PFlash",
              "machine type does not support if=pflash,bus=0,unit=2"),
          new Limit(
              "firmware: at most 8 MiB of pflash",
              HOST,
              f -> pflash(f, 4L << 20, 4L << 20),
              f -> pflash(f, 4L << 20, (4L << 20) + 4096),
              "PFlash",
              "combined size of system firmware exceeds 8388608 bytes"),
          new Limit(
              "image: a nvdimm image in whole pages",
              HOST,
              f -> f.image((4L << 20) + 4096),
              f -> f.image((4L << 20) + 1),
              "ImagePath",
              "does not match 'size' option"),
          new Limit(
              "PCI: root ports within q35's root bus (1 bridge)",
              HOST,
              f -> rootPorts(f, 25),
              f -> rootPorts(f, 26),
              "PCIeRootPort",
              "PCI: no slot/function available"),
          new Limit(
              "machine options: key=value only",
              HOST,
              f -> f.initrd().editKata(k -> k.machineAccelerators("smm=off")),
              f -> f.initrd().editKata(k -> k.machineAccelerators("nosmm")),
              "MachineAccelerators",
              "Expected '=' after parameter 'nosmm'"),
          new Limit(
              "machine options: not the machine type",
              HOST,
              f -> f.initrd().editKata(k -> k.machineAccelerators("usb=off")),
              f -> f.initrd().editKata(k -> k.machineAccelerators("type=q35")),
              "MachineAccelerators",
              "Bus 'pci.0' not found"));

  private static HypervisorConfig initrd(Files f, long bytes) {
    String initrd = f.sized("initrd-" + bytes, bytes);
    return f.initrd().editKata(k -> k.memorySize(256).initrdPath(initrd));
  }

  private static HypervisorConfig bios(Files f, long bytes) {
    String bios = f.sized("bios-" + bytes, bytes);
    return f.initrd().editKata(k -> k.firmwarePath(bios));
  }

  private static HypervisorConfig pflash(Files f, long... sizes) {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      files.add(f.sized("flash" + i + "-" + sizes[i], sizes[i]));
    }
    return f.initrd().editLive(l -> l.pflash(files));
  }

  private static HypervisorConfig rootPorts(Files f, long ports) {
    return f.initrd().editKata(k -> k.hypervisorMachineType("q35").pcieRootPort(ports));
  }
}
