package org.vmm4j.core.internal.config;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.persist.HypervisorConfig;

/**
 * The sizes QEMU 7.2 demands of firmware and of a rootfs image mapped as a nvdimm, each measured
 * here with its refusal:
 *
 * <ul>
 *   <li>{@code -bios} ({@code FirmwarePath}): a non-zero multiple of 64 KiB ({@code qemu: could not
 *       load PC BIOS}; 64 KiB to 64 MiB start, 4 KiB and 100 KiB do not);
 *   <li>{@code -pflash} ({@code PFlash}): at most 2 files on pc and q35 ({@code machine type does
 *       not support if=pflash,bus=0,unit=2}), none on microvm; each a non-zero multiple of 4 KiB
 *       once QEMU's block layer rounds it up to 512 bytes ({@code system firmware block device
 *       pflash0 has invalid size}); together at most 8 MiB ({@code combined size of system firmware
 *       exceeds 8388608 bytes}) unless {@code MachineAccelerators} sets {@code max-fw-size};
 *   <li>a nvdimm rootfs image ({@code ImagePath} without {@code DisableImageNvdimm}): a multiple of
 *       the 4 KiB page ({@code backing store size 0x400001 does not match 'size' option 0x401000}).
 * </ul>
 */
final class FirmwareChecks {
  static final long BIOS_UNIT = 64 * 1024;
  static final long PFLASH_UNIT = 4096;
  static final long SECTOR = 512;
  static final long MAX_FIRMWARE = 8 * 1024 * 1024;
  static final int MAX_PFLASH = 2;
  static final long PAGE = 4096;

  private FirmwareChecks() {}

  static void check(HypervisorConfig c, LiveSettings l) {
    if (!c.firmwarePath().isEmpty()) {
      long size = size("FirmwarePath", c.firmwarePath());
      if (size == 0 || size % BIOS_UNIT != 0) {
        throw invalid(
            "FirmwarePath",
            c.firmwarePath(),
            "(" + size + " bytes) is not a non-zero multiple of 64 KiB: QEMU 7.2 cannot load it");
      }
    }
    checkPflash(c, l.pflash());
    if (KataFacts.imageOnNvdimm(c)) {
      long size = size("ImagePath", c.imagePath());
      if (size % PAGE != 0) {
        throw invalid(
            "ImagePath",
            c.imagePath(),
            "("
                + size
                + " bytes) is not a multiple of 4096 bytes: QEMU 7.2 cannot map it as a nvdimm"
                + " (or set DisableImageNvdimm=true for a virtio-blk disk)");
      }
    }
  }

  private static void checkPflash(HypervisorConfig c, List<String> pflash) {
    if (pflash.isEmpty()) {
      return;
    }
    if (KataFacts.machineType(c) == MachineType.MICROVM) {
      throw invalid("PFlash", pflash, "is not supported on microvm: QEMU 7.2's microvm has none");
    }
    if (pflash.size() > MAX_PFLASH) {
      throw invalid("PFlash", pflash, "has " + pflash.size() + " files: QEMU 7.2 takes at most 2");
    }
    long total = 0;
    for (String p : pflash) {
      long size = (size("PFlash", p) + SECTOR - 1) / SECTOR * SECTOR;
      if (size == 0 || size % PFLASH_UNIT != 0) {
        throw invalid(
            "PFlash",
            p,
            "("
                + size
                + " bytes in 512-byte sectors) is not a non-zero multiple of 4 KiB: QEMU 7.2"
                + " refuses it as system firmware");
      }
      total += size;
    }
    if (total > MAX_FIRMWARE && !c.machineAccelerators().contains("max-fw-size=")) {
      throw invalid(
          "PFlash",
          pflash,
          "totals "
              + total
              + " bytes: QEMU 7.2 takes at most 8388608 bytes of system firmware (more needs"
              + " max-fw-size in MachineAccelerators)");
    }
  }

  private static long size(String field, String path) {
    try {
      return Files.size(Path.of(path));
    } catch (IOException e) {
      throw BootChecks.unreadable(field, path, e);
    }
  }
}
