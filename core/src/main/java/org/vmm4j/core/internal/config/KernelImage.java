package org.vmm4j.core.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What QEMU 7.2's x86 loader ({@code -kernel}) finds in a kernel file, read as it reads it: the
 * first 8 KiB; a Linux setup header ({@code HdrS} at 0x202) gives the boot protocol, the setup
 * size, {@code cmdline_size} and the initrd limit (the x86 boot protocol); without one, a multiboot
 * header, else an ELF file (booted through its PVH entry note), else a headerless image (protocol
 * 0).
 *
 * @param kind what the file is to QEMU
 * @param protocol the boot protocol (0 without a setup header)
 * @param setupBytes the setup code QEMU reads first: ({@code setup_sects} or 4, + 1) x 512
 * @param size the file's size
 * @param cmdlineMax the longest command line the kernel takes, in bytes: {@code cmdline_size}
 *     (protocol 2.06+), 255 before; {@value #DEFAULT_CMDLINE_MAX} when the file does not say
 * @param initrdMax the kernel's own initrd limit as QEMU applies it: {@code 0xffffffff} when it may
 *     be loaded above 4 GiB (protocol 2.12+, {@code XLF_CAN_BE_LOADED_ABOVE_4G}), {@code
 *     initrd_addr_max} (2.03+), {@code 0x37ffffff} before; for a PVH ELF, {@code 0xffffffff}
 */
record KernelImage(
    KernelImage.Kind kind,
    int protocol,
    long setupBytes,
    long size,
    long cmdlineMax,
    long initrdMax) {

  /** What a kernel file is to QEMU 7.2. */
  enum Kind {
    /** A Linux kernel with a setup header (bzImage). */
    LINUX,
    /** A multiboot image (QEMU loads it as such; nothing more is checked). */
    MULTIBOOT,
    /** An ELF file with a PVH entry note (an uncompressed {@code vmlinux}). */
    ELF_PVH,
    /** An ELF file without a PVH entry note: QEMU refuses it. */
    ELF_WITHOUT_PVH,
    /** Anything else: QEMU treats it as a protocol-0 image. */
    OTHER
  }

  /**
   * The x86 {@code COMMAND_LINE_SIZE} (2048 bytes with the terminating NUL), for a kernel whose
   * file does not give its {@code cmdline_size}. Measured with Debian's 6.1 {@code vmlinux} booted
   * through PVH under QEMU 7.2: 2047 bytes boot, 2048 do not (nothing at all on the console).
   */
  static final long DEFAULT_CMDLINE_MAX = 2047;

  static final int HEADER_BYTES = 8192;
  static final int MULTIBOOT_MAGIC = 0x1BADB002;
  static final int XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;

  /** Reads {@code file} (a regular file). */
  static KernelImage read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer h = ByteBuffer.allocate((int) Math.min(HEADER_BYTES, size));
      while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
        // read the whole header
      }
      h.flip().order(ByteOrder.LITTLE_ENDIAN);
      if (h.limit() >= 0x23c && h.getInt(0x202) == 0x53726448) { // "HdrS"
        return linux(h, size);
      }
      if (multiboot(h)) {
        return new KernelImage(Kind.MULTIBOOT, 0, 0, size, DEFAULT_CMDLINE_MAX, 0xffffffffL);
      }
      if (ElfNotes.isElf(h)) {
        Kind kind = ElfNotes.hasPvhEntry(ch, h) ? Kind.ELF_PVH : Kind.ELF_WITHOUT_PVH;
        return new KernelImage(kind, 0, 0, size, DEFAULT_CMDLINE_MAX, 0xffffffffL);
      }
      return new KernelImage(Kind.OTHER, 0, setup(h), size, DEFAULT_CMDLINE_MAX, 0x37ffffffL);
    }
  }

  private static KernelImage linux(ByteBuffer h, long size) {
    int protocol = Short.toUnsignedInt(h.getShort(0x206));
    long cmdline = protocol >= 0x206 ? Integer.toUnsignedLong(h.getInt(0x238)) : 255;
    long initrd;
    if (protocol >= 0x20c && (h.getShort(0x236) & XLF_CAN_BE_LOADED_ABOVE_4G) != 0) {
      initrd = 0xffffffffL;
    } else if (protocol >= 0x203) {
      initrd = Integer.toUnsignedLong(h.getInt(0x22c));
    } else {
      initrd = 0x37ffffffL;
    }
    return new KernelImage(Kind.LINUX, protocol, setup(h), size, cmdline, initrd);
  }

  /** QEMU: {@code setup_size = (header[0x1f1] ?: 4) + 1) * 512}. */
  private static long setup(ByteBuffer h) {
    long sects = h.limit() > 0x1f1 ? Byte.toUnsignedInt(h.get(0x1f1)) : 0;
    return ((sects == 0 ? 4 : sects) + 1) * 512;
  }

  /** QEMU's {@code load_multiboot}: the magic, 4-aligned in the first 8 KiB, with its checksum. */
  private static boolean multiboot(ByteBuffer h) {
    for (int i = 0; i + 12 <= h.limit() && i < HEADER_BYTES - 48; i += 4) {
      if (h.getInt(i) == MULTIBOOT_MAGIC
          && MULTIBOOT_MAGIC + h.getInt(i + 4) + h.getInt(i + 8) == 0) {
        return true;
      }
    }
    return false;
  }

  /** The boot protocol as the x86 boot protocol writes it, e.g. "2.15". */
  String protocolVersion() {
    return String.format("%d.%02d", protocol >> 8, protocol & 0xff);
  }
}
