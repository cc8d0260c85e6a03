package org.vmm4j.core.internal.config;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.qemu.RamLayout;

/**
 * The kernel, the initrd and the kernel command line as QEMU 7.2's x86 loader and the guest take
 * them ({@link KernelImage}); each rule is one QEMU refuses at start, or one that stops the guest:
 *
 * <ul>
 *   <li>an ELF kernel needs a PVH entry note ({@code Error loading uncompressed kernel without PVH
 *       ELF Note});
 *   <li>an initrd needs a Linux kernel of boot protocol 2.00 or later ({@code linux kernel too old
 *       to load a ram disk}: what QEMU says of any file without a setup header);
 *   <li>a Linux or headerless file must hold its setup code ({@code invalid kernel header});
 *   <li>the initrd must stay below QEMU's {@code initrd_max}: the kernel's limit and the RAM below
 *       4 GiB less the ACPI data ({@link RamLayout}; {@code initrd is too large, cannot support});
 *   <li>the command line may be at most the kernel's {@code cmdline_size}: QEMU starts a guest with
 *       a longer one, which never boots (measured with Debian's 6.1 kernel, bzImage and PVH vmlinux
 *       alike: 2047 bytes boot, 2048 print nothing at all).
 * </ul>
 */
final class BootChecks {
  private BootChecks() {}

  static void check(HypervisorConfig c) {
    String path = c.kata().kernelPath();
    KernelImage k = read("KernelPath", path);
    boolean initrd = !c.kata().initrdPath().isEmpty();
    checkKernel(k, path, initrd);
    if (initrd && k.kind() != KernelImage.Kind.MULTIBOOT) {
      checkInitrd(c, k);
    }
    checkCommandLine(c, k);
  }

  private static void checkKernel(KernelImage k, String path, boolean initrd) {
    if (k.kind() == KernelImage.Kind.ELF_WITHOUT_PVH) {
      throw invalid(
          "KernelPath",
          path,
          "is an ELF file without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY): QEMU 7.2 cannot"
              + " boot it");
    }
    boolean setupHeader = k.kind() == KernelImage.Kind.LINUX;
    boolean linuxLoader = setupHeader || k.kind() == KernelImage.Kind.OTHER;
    if (initrd && linuxLoader && k.protocol() < 0x200) {
      throw invalid(
          "KernelPath",
          path,
          (setupHeader
                  ? "has boot protocol " + k.protocolVersion()
                  : "is not a Linux kernel (no HdrS setup header), nor a multiboot or ELF image")
              + ": QEMU 7.2 loads an initrd (InitrdPath) only with boot protocol 2.00 or later");
    }
    if (linuxLoader && k.setupBytes() > k.size()) {
      throw invalid(
          "KernelPath",
          path,
          "("
              + k.size()
              + " bytes) is shorter than its "
              + k.setupBytes()
              + " bytes of setup code: QEMU 7.2 refuses its header");
    }
  }

  private static void checkInitrd(HypervisorConfig c, KernelImage k) {
    String initrd = c.kata().initrdPath();
    long size = size("InitrdPath", initrd);
    long memory = c.kata().memorySize();
    long max = Math.min(k.initrdMax(), RamLayout.of(c.machineType(), memory).initrdMax());
    if (size >= max) {
      throw invalid(
          "InitrdPath",
          initrd,
          "("
              + size
              + " bytes) does not fit: with MemorySize="
              + memory
              + " MiB on "
              + c.machineType().qemuName()
              + " and this kernel QEMU 7.2 loads an initrd of at most "
              + (max - 1)
              + " bytes (below 4 GiB, under its ACPI data and the kernel's initrd limit)");
    }
  }

  private static void checkCommandLine(HypervisorConfig c, KernelImage k) {
    String line = QemuCommandLine.kernelCommandLine(c);
    long length = line.getBytes(StandardCharsets.UTF_8).length;
    if (length <= k.cmdlineMax()) {
      return;
    }
    String source =
        k.kind() == KernelImage.Kind.LINUX
            ? "the cmdline_size of its boot protocol " + k.protocolVersion() + " header"
            : "x86's COMMAND_LINE_SIZE less its NUL: the file does not say";
    int own = c.live().kernelParams().size();
    throw new ConfigException(
        "KernelParams",
        length,
        "HypervisorConfig: KernelParams: the kernel command line (vmm4j's parameters and "
            + own
            + " from KernelParams) is "
            + length
            + " bytes long, above the "
            + k.cmdlineMax()
            + " that the kernel "
            + c.kata().kernelPath()
            + " takes ("
            + source
            + "): QEMU 7.2 would start a guest that never boots");
  }

  private static KernelImage read(String field, String path) {
    try {
      return KernelImage.read(Path.of(path));
    } catch (IOException e) {
      throw unreadable(field, path, e);
    }
  }

  private static long size(String field, String path) {
    try {
      return Files.size(Path.of(path));
    } catch (IOException e) {
      throw unreadable(field, path, e);
    }
  }

  static ConfigException unreadable(String field, String path, IOException e) {
    return new ConfigException(
        field, path, "HypervisorConfig: " + field + "=" + path + " cannot be read: " + e, e);
  }
}
