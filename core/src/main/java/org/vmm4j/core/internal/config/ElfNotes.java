package org.vmm4j.core.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The one thing QEMU 7.2 needs of an ELF kernel: a note of type {@code XEN_ELFNOTE_PHYS32_ENTRY}
 * (18, the PVH entry point) in a {@code PT_NOTE} segment; without it QEMU exits with {@code Error
 * loading uncompressed kernel without PVH ELF Note} (measured here with {@code /bin/true}). QEMU
 * matches the note's type only, as here.
 */
final class ElfNotes {
  static final int PT_NOTE = 4;
  static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

  /** The most of one note segment read (Linux's are a few hundred bytes). */
  static final int MAX_SEGMENT = 1 << 20;

  private ElfNotes() {}

  /** Whether {@code header} starts with the ELF magic. */
  static boolean isElf(ByteBuffer header) {
    return header.limit() >= 64 && header.getInt(0) == 0x464c457f; // 7f 'E' 'L' 'F'
  }

  /** Whether the ELF file open in {@code ch} (its first bytes {@code header}) has a PVH entry. */
  static boolean hasPvhEntry(FileChannel ch, ByteBuffer header) throws IOException {
    boolean is64 = header.get(4) == 2;
    ByteOrder order = header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer h = header.duplicate().order(order);
    long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
    int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
    int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
    for (int i = 0; i < phnum; i++) {
      ByteBuffer ph = read(ch, phoff + (long) i * phentsize, phentsize, order);
      if (ph.limit() < (is64 ? 56 : 32) || ph.getInt(0) != PT_NOTE) {
        continue;
      }
      long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
      long filesz = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
      long align = is64 ? ph.getLong(48) : Integer.toUnsignedLong(ph.getInt(28));
      int length = (int) Math.min(filesz, MAX_SEGMENT);
      if (hasNote(read(ch, offset, length, order), align == 8 ? 8 : 4)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasNote(ByteBuffer notes, int align) {
    int at = 0;
    while (at + 12 <= notes.limit()) {
      long namesz = Integer.toUnsignedLong(notes.getInt(at));
      long descsz = Integer.toUnsignedLong(notes.getInt(at + 4));
      if (notes.getInt(at + 8) == XEN_ELFNOTE_PHYS32_ENTRY) {
        return true;
      }
      long next = at + 12 + roundUp(namesz, align) + roundUp(descsz, align);
      if (next > notes.limit()) {
        return false;
      }
      at = (int) next;
    }
    return false;
  }

  private static long roundUp(long n, int align) {
    return (n + align - 1) / align * align;
  }

  private static ByteBuffer read(FileChannel ch, long at, int length, ByteOrder order)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(at < 0 ? 0 : Math.max(length, 0));
    while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
      // until the end of the range or of the file
    }
    return b.flip().order(order);
  }
}
