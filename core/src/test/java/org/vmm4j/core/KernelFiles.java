package org.vmm4j.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Kernel-like files for the boot rules: {@link TestAssets}'s bzImage header with its fields
 * changed, a minimal ELF with or without a PVH entry note, a multiboot image, a headerless file;
 * and sparse files of any size.
 */
public final class KernelFiles {
  private KernelFiles() {}

  /** {@link TestAssets#bzImageHeader()} (protocol 2.15, cmdline_size 2047) as a buffer. */
  public static ByteBuffer bzImage() {
    return ByteBuffer.wrap(TestAssets.bzImageHeader()).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The header with {@code cmdline_size} {@code size}. */
  public static ByteBuffer withCmdlineSize(ByteBuffer b, int size) {
    return b.putInt(0x238, size);
  }

  /** The header with boot protocol {@code protocol} (e.g. {@code 0x0205}). */
  public static ByteBuffer withProtocol(ByteBuffer b, int protocol) {
    return b.putShort(0x206, (short) protocol);
  }

  /**
   * The header saying the initrd may be loaded above 4 GiB ({@code XLF_CAN_BE_LOADED_ABOVE_4G}).
   */
  public static ByteBuffer anywhereInitrd(ByteBuffer b) {
    return b.putShort(0x236, (short) 0x7f); // as Debian's 6.1 bzImage
  }

  /** The header with {@code sects} setup sectors. */
  public static ByteBuffer withSetupSectors(ByteBuffer b, int sects) {
    return b.put(0x1f1, (byte) sects);
  }

  /** A little-endian ELF64 file with one {@code PT_NOTE} segment: a "Xen" note of type 18 or 6. */
  public static ByteBuffer elf(boolean pvh) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
    b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1);
    b.putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
    // program header at 64: PT_NOTE, offset 0x100, 20 bytes, align 4
    b.putInt(64, 4).putLong(64 + 8, 0x100).putLong(64 + 32, 20).putLong(64 + 40, 20);
    b.putLong(64 + 48, 4);
    // note at 0x100: namesz 4 ("Xen\0"), descsz 4, type
    b.putInt(0x100, 4).putInt(0x104, 4).putInt(0x108, pvh ? 18 : 6);
    b.put(0x10c, (byte) 'X').put(0x10d, (byte) 'e').put(0x10e, (byte) 'n');
    b.putInt(0x110, 0x1000000);
    return b;
  }

  /** A 16 KiB multiboot image: the magic, flags 0 and its checksum at offset 0x40. */
  public static ByteBuffer multiboot() {
    ByteBuffer b = ByteBuffer.allocate(16384).order(ByteOrder.LITTLE_ENDIAN);
    return b.putInt(0x40, 0x1BADB002).putInt(0x44, 0).putInt(0x48, -0x1BADB002);
  }

  /** {@code bytes} zero bytes: no header of any kind. */
  public static ByteBuffer headerless(int bytes) {
    return ByteBuffer.allocate(bytes);
  }

  /** Writes {@code b} (all of it) to {@code file}. */
  public static Path write(Path file, ByteBuffer b) {
    try {
      return Files.write(file, b.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sparse file of {@code bytes} bytes. */
  public static Path sparse(Path file, long bytes) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
