package org.vmm4j.testguest;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Remembers which kernel package apt resolved, for as long as apt's inputs (a stamp of its package
 * lists and preferences) stay the same. A missing or unreadable file just means asking apt again.
 */
final class ResolveMemo {
  private final Path file;

  ResolveMemo(Path file) {
    this.file = file;
  }

  KernelPackage read(String want, String stamp) {
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      if (!hash(stamp).equals(p.getProperty(want + ".stamp"))) {
        return null;
      }
      String name = p.getProperty(want + ".name");
      String version = p.getProperty(want + ".version");
      return name == null || version == null ? null : new KernelPackage(name, version);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  void write(String want, String stamp, KernelPackage pkg) {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Properties p = new Properties();
      if (Files.isRegularFile(file)) {
        try (Reader r = Files.newBufferedReader(file)) {
          p.load(r);
        }
      }
      p.setProperty(want + ".stamp", hash(stamp));
      p.setProperty(want + ".name", pkg.name());
      p.setProperty(want + ".version", pkg.version());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(w, "kernel packages resolved by apt-cache, valid while the stamp matches");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | IllegalArgumentException e) {
      // the memo only saves time
    }
  }

  private static String hash(String s) {
    return HexFormat.of().formatHex(Manifest.digest().digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
