package org.vmm4j.testing.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Real files that a QEMU config names, under one test directory: a kernel QEMU 7.2 accepts for
 * {@code -kernel} (with {@code -S} it only loads it; {@link HaltKernel} makes one that runs), an
 * initrd, a rootfs image, a stand-in virtiofsd, and the VM and shared directories. Plain paths, so
 * that tests and benchmarks build their configs from them with whatever API they exercise.
 */
public final class TestAssets {
  /** The size of {@link #image()}: 4 MiB (a multiple of the page size, as nvdimm wants). */
  public static final int IMAGE_BYTES = 4 * 1024 * 1024;

  private final Path root;

  private TestAssets(Path root) {
    this.root = root;
  }

  /** Creates every file under {@code root}. */
  public static TestAssets create(Path root) {
    TestAssets a = new TestAssets(root);
    try {
      Files.createDirectories(a.vmDir());
      Files.createDirectories(a.sharedDir());
      Files.createDirectories(a.dir("shm"));
      Files.createDirectories(a.dir("vhost-user"));
      Files.createDirectories(a.dir("template"));
      Files.write(a.kernel(), bzImageHeader());
      Files.write(a.initrd(), new byte[4096]);
      Files.write(a.image(), new byte[IMAGE_BYTES]);
      Files.writeString(a.virtiofsd(), "#!/bin/sh\nexit 1\n");
      Files.setPosixFilePermissions(a.virtiofsd(), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return a;
  }

  /** The directory everything is under. */
  public Path root() {
    return root;
  }

  /** A directory under the root ({@code shm}, {@code vhost-user}, {@code template} exist). */
  public Path dir(String name) {
    return root.resolve(name);
  }

  public Path kernel() {
    return root.resolve("vmlinuz");
  }

  public Path initrd() {
    return root.resolve("initrd.img");
  }

  public Path image() {
    return root.resolve("rootfs.img");
  }

  public Path virtiofsd() {
    return root.resolve("virtiofsd");
  }

  public Path vmDir() {
    return root.resolve("vm");
  }

  public Path sharedDir() {
    return root.resolve("shared");
  }

  /**
   * The smallest file QEMU's x86 loader takes for a bzImage: boot protocol 2.15 header ({@code
   * HdrS}), one setup sector, loadable high, an initrd limit and a command-line size.
   */
  public static byte[] bzImageHeader() {
    ByteBuffer b = ByteBuffer.allocate(16384).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0x1f1, (byte) 1); // setup_sects
    b.putShort(0x1fe, (short) 0xAA55); // boot_flag
    b.put(0x202, (byte) 'H').put(0x203, (byte) 'd').put(0x204, (byte) 'r').put(0x205, (byte) 'S');
    b.putShort(0x206, (short) 0x020f); // protocol version
    b.put(0x211, (byte) 1); // loadflags: LOADED_HIGH
    b.putInt(0x22c, 0x7fffffff); // initrd_addr_max
    b.putInt(0x238, 2047); // cmdline_size
    return b.array();
  }
}
