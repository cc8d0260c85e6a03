package org.vmm4j.testguest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake kernel image package built on the spot with dpkg-deb: a "bzImage" holding an XZ-compressed
 * PVH ELF between junk bytes, and a few modules with depends= strings (the rest of modules.list
 * built in). Serves as a {@link KernelSource} that counts downloads.
 */
final class FakeKernel implements KernelSource {
  static final String RELEASE = "9.9.9-test";

  /** The load order modules.list must produce from the fake's modules. */
  static final String LOAD_ORDER = "virtio_ring\nvirtio\nvirtio_pci\nvirtio_blk\nvirtio_console\n";

  final AtomicInteger downloads = new AtomicInteger();
  final Path deb;
  final byte[] vmlinux;
  final byte[] bzImage;
  volatile KernelPackage pkg = new KernelPackage("linux-image-" + RELEASE, "9.9.9-1");

  private FakeKernel(Path deb, byte[] vmlinux, byte[] bzImage) {
    this.deb = deb;
    this.vmlinux = vmlinux;
    this.bzImage = bzImage;
  }

  /** The normal fake. */
  static FakeKernel create(Path dir) throws IOException {
    return create(dir, elf(true, false), true, true);
  }

  /**
   * @param payload the ELF inside the bzImage
   * @param xz whether the payload is XZ-compressed (else stored as is: no XZ magic)
   * @param withBlk whether virtio_blk is in the package
   */
  static FakeKernel create(Path dir, byte[] payload, boolean xz, boolean withBlk)
      throws IOException {
    Path root = Files.createDirectories(dir.resolve("pkgroot"));
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.writeString(
        root.resolve("DEBIAN/control"),
        "Package: linux-image-"
            + RELEASE
            + "\nVersion: 9.9.9-1\nArchitecture: amd64\nMaintainer: vmm4j tests <t@example.org>\n"
            + "Description: fake kernel\n");
    byte[] compressed = xz ? xz(dir, payload) : payload;
    ByteArrayOutputStream bz = new ByteArrayOutputStream();
    bz.write("MZ fake bzImage setup code ".repeat(40).getBytes(StandardCharsets.US_ASCII));
    bz.write(compressed);
    bz.write("trailing garbage after the payload".getBytes(StandardCharsets.US_ASCII));
    Path boot = Files.createDirectories(root.resolve("boot"));
    Files.write(boot.resolve("vmlinuz-" + RELEASE), bz.toByteArray());
    Path mods = Files.createDirectories(root.resolve("lib/modules/" + RELEASE));
    Files.writeString(
        mods.resolve("modules.builtin"),
        String.join(
                "\n",
                "kernel/crypto/crc64_rocksoft_generic.ko",
                "kernel/crypto/crct10dif_generic.ko",
                "kernel/drivers/scsi/sd_mod.ko",
                "kernel/drivers/scsi/virtio_scsi.ko",
                "kernel/drivers/net/virtio_net.ko")
            + "\n");
    Path v = Files.createDirectories(mods.resolve("kernel/drivers/virtio"));
    Files.write(v.resolve("virtio_ring.ko"), ko("virtio_ring", ""));
    Files.write(v.resolve("virtio.ko"), ko("virtio", "virtio_ring"));
    Files.write(v.resolve("virtio_pci.ko"), ko("virtio_pci", "virtio_ring,virtio"));
    if (withBlk) {
      Path b = Files.createDirectories(mods.resolve("kernel/drivers/block"));
      Files.write(b.resolve("virtio_blk.ko"), ko("virtio_blk", "virtio"));
    }
    Path c = Files.createDirectories(mods.resolve("kernel/drivers/char"));
    Files.write(
        c.resolve("virtio_console.ko.xz"), xz(dir, ko("virtio_console", "virtio,virtio_ring")));
    Path deb = dir.resolve("fake.deb");
    Exec.check(
        List.of("dpkg-deb", "-Zgzip", "--root-owner-group", "-b", root.toString(), deb.toString()),
        dir,
        null,
        Duration.ofSeconds(60));
    return new FakeKernel(deb, payload, bz.toByteArray());
  }

  @Override
  public KernelPackage resolve(Consumer<String> progress) {
    return pkg;
  }

  @Override
  public Path download(KernelPackage p, Path dir, Consumer<String> progress) {
    downloads.incrementAndGet();
    try {
      return Files.copy(
          deb,
          dir.resolve(p.name() + "_" + p.version() + "_amd64.deb"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] ko(String name, String depends) {
    return ("\u007fELF fake module\0license=GPL\0depends="
            + depends
            + "\0name="
            + name
            + "\0vermagic="
            + RELEASE
            + " SMP\0")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] xz(Path dir, byte[] data) throws IOException {
    Path in = Files.createTempFile(dir, "xz", ".in");
    Files.write(in, data);
    Path out = dir.resolve(in.getFileName() + ".xz");
    Exec.check(List.of("xz", "-c", in.toString()), dir, out, Duration.ofSeconds(60));
    return Files.readAllBytes(out);
  }

  /**
   * A minimal ELF64 x86-64 executable: program headers only, optionally a PT_NOTE with the Xen PVH
   * entry note and a PT_INTERP (a dynamically linked program).
   */
  static byte[] elf(boolean pvhNote, boolean interp) {
    int phnum = (pvhNote ? 1 : 0) + (interp ? 1 : 0);
    int dataAt = 64 + 56 * phnum;
    ByteBuffer b = ByteBuffer.allocate(dataAt + 64).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 2).putShort(18, (short) 0x3e).putInt(20, 1);
    b.putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56);
    b.putShort(56, (short) phnum);
    int ph = 64;
    int data = dataAt;
    if (pvhNote) {
      b.putInt(ph, 4).putLong(ph + 8, data).putLong(ph + 32, 20);
      b.putInt(data, 4).putInt(data + 4, 4).putInt(data + 8, 18);
      b.put(data + 12, new byte[] {'X', 'e', 'n', 0});
      b.putInt(data + 16, 0x1000000);
      ph += 56;
      data += 20;
    }
    if (interp) {
      byte[] path = "/lib64/ld-linux-x86-64.so.2\0".getBytes(StandardCharsets.US_ASCII);
      b.putInt(ph, 3).putLong(ph + 8, data).putLong(ph + 32, path.length);
      b.put(data, path);
    }
    return b.array();
  }
}
