package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Just enough ELF64 (little endian) reading: magic, program headers, notes. */
final class Elf {
  private static final int PT_INTERP = 3;
  private static final int PT_NOTE = 4;

  /** XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point QEMU's -kernel looks for. */
  private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

  private final ByteBuffer buf;

  private Elf(ByteBuffer buf) {
    this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Maps {@code file}; null when it does not start with the ELF64 little-endian magic. */
  public static Elf open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      return isElf64(b) ? new Elf(b) : null;
    }
  }

  static boolean isElf64(ByteBuffer b) {
    return b.limit() >= 64
        && b.get(0) == 0x7f
        && b.get(1) == 'E'
        && b.get(2) == 'L'
        && b.get(3) == 'F'
        && b.get(4) == 2
        && b.get(5) == 1;
  }

  /** Whether the file names a program interpreter (a dynamically linked executable). */
  public boolean hasInterpreter() {
    return segmentOffset(PT_INTERP, 0) >= 0;
  }

  /** Whether a PT_NOTE segment holds the Xen PVH entry note. */
  public boolean hasPvhNote() {
    for (int i = 0; ; i++) {
      long off = segmentOffset(PT_NOTE, i);
      if (off < 0) {
        return false;
      }
      if (notesHavePvh(off, segmentSize(PT_NOTE, i))) {
        return true;
      }
    }
  }

  private boolean notesHavePvh(long off, long size) {
    long p = off;
    while (p + 12 <= off + size && p + 12 <= buf.limit()) {
      int namesz = buf.getInt((int) p);
      int descsz = buf.getInt((int) p + 4);
      int type = buf.getInt((int) p + 8);
      int nameAt = (int) p + 12;
      if (namesz < 0 || descsz < 0 || nameAt + namesz > buf.limit()) {
        return false;
      }
      byte[] name = new byte[Math.max(0, namesz - 1)];
      buf.get(nameAt, name);
      if (type == XEN_ELFNOTE_PHYS32_ENTRY
          && "Xen".equals(new String(name, StandardCharsets.US_ASCII))) {
        return true;
      }
      p = nameAt + align4(namesz) + align4(descsz);
    }
    return false;
  }

  /** File offset of the {@code nth} program header of {@code type}, or -1. */
  private long segmentOffset(int type, int nth) {
    int ph = header(type, nth);
    return ph < 0 ? -1 : buf.getLong(ph + 8);
  }

  private long segmentSize(int type, int nth) {
    return buf.getLong(header(type, nth) + 32);
  }

  private int header(int type, int nth) {
    long phoff = buf.getLong(32);
    int phentsize = Short.toUnsignedInt(buf.getShort(54));
    int phnum = Short.toUnsignedInt(buf.getShort(56));
    int seen = 0;
    for (int i = 0; i < phnum; i++) {
      long at = phoff + (long) i * phentsize;
      if (at + 56 > buf.limit()) {
        return -1;
      }
      if (buf.getInt((int) at) == type && seen++ == nth) {
        return (int) at;
      }
    }
    return -1;
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }
}
