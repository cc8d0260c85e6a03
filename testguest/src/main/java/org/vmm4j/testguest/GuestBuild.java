package org.vmm4j.testguest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One build of the test guest from an unpacked-to-be kernel .deb and busybox, into a directory that
 * holds {@code bzImage}, {@code vmlinux}, {@code initramfs.cpio.gz} and, last, the manifest.
 */
final class GuestBuild {
  private final GuestFiles files;
  private final byte[] busybox;
  private final Duration timeout;
  private final Consumer<String> progress;

  public GuestBuild(GuestFiles files, byte[] busybox, Duration timeout, Consumer<String> progress) {
    this.files = files;
    this.busybox = busybox;
    this.timeout = timeout;
    this.progress = progress;
  }

  /**
   * Builds into {@code out} (which must exist and be empty) using {@code work} for the unpacked
   * package; returns the manifest it wrote.
   */
  public Manifest build(KernelPackage pkg, Path deb, String key, Path work, Path out) {
    try {
      long t0 = System.nanoTime();
      KernelTree tree = KernelTree.unpack(deb, work, timeout);
      progress.accept("test guest: unpacked " + pkg + " (kernel " + tree.release() + ")" + ms(t0));
      Files.copy(tree.vmlinuz(), out.resolve("bzImage"), StandardCopyOption.COPY_ATTRIBUTES);
      long t1 = System.nanoTime();
      Vmlinux.extract(out.resolve("bzImage"), out.resolve("vmlinux"), timeout);
      progress.accept("test guest: extracted the PVH vmlinux" + ms(t1));
      Modules index = Modules.index(tree.modulesDir(), timeout);
      List<Modules.Module> mods = index.resolve(files.modules());
      writeInitramfs(out.resolve("initramfs.cpio.gz"), mods, index);
      String names = mods.stream().map(Modules.Module::stem).collect(Collectors.joining(" "));
      progress.accept("test guest: initramfs with busybox and " + mods.size() + " modules");
      Manifest m = Manifest.describe(out, key, pkg, tree.release(), names);
      m.write(out);
      return m;
    } catch (IOException e) {
      throw new TestGuestException("test guest build: writing " + out + ": " + e, e);
    }
  }

  private void writeInitramfs(Path target, List<Modules.Module> mods, Modules index)
      throws IOException {
    try (OutputStream fos = Files.newOutputStream(target);
        OutputStream gz = new BestGzip(fos);
        Cpio cpio = new Cpio(gz)) {
      for (String d :
          List.of(
              "bin",
              "sbin",
              "usr",
              "usr/bin",
              "usr/sbin",
              "dev",
              "proc",
              "sys",
              "tmp",
              "run",
              "etc",
              "root",
              "lib",
              "lib/modules")) {
        cpio.dir(d);
      }
      cpio.charDevice("dev/console", 0600, 5, 1);
      cpio.charDevice("dev/null", 0666, 1, 3);
      cpio.file("bin/busybox", 0755, busybox);
      cpio.symlink("bin/sh", "busybox");
      cpio.file("init", 0755, files.init());
      cpio.file("agent.sh", 0755, files.agent());
      StringBuilder load = new StringBuilder();
      for (Modules.Module m : mods) {
        cpio.file("lib/modules/" + m.stem() + ".ko", 0644, index.content(m));
        load.append(m.stem()).append('\n');
      }
      cpio.file("etc/modules.load", 0644, load.toString().getBytes());
    }
  }

  private static String ms(long t0) {
    return String.format(" in %.1f s", (System.nanoTime() - t0) / 1e9);
  }

  /** gzip -9. */
  private static final class BestGzip extends GZIPOutputStream {
    BestGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}
