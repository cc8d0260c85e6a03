package org.vmm4j.testguest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code manifest.properties} of a cache entry: what was built from what, and the size and SHA-256
 * of every file. Written last, so an entry without a valid manifest is unfinished or damaged.
 */
record Manifest(
    String key,
    String kernelPackage,
    String packageVersion,
    String kernelVersion,
    String modules,
    Map<String, String> files) {
  public static final String NAME = "manifest.properties";
  public static final List<String> FILES = List.of("vmlinux", "bzImage", "initramfs.cpio.gz");
  static final String FORMAT = "1";

  /** Files verified in this JVM, by path: "size mtime" when verified (hashing 75 MB takes time). */
  private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

  /** Builds the manifest of the files in {@code dir} (hashing them). */
  public static Manifest describe(
      Path dir, String key, KernelPackage pkg, String kernelVersion, String modules) {
    Map<String, String> files = new TreeMap<>();
    for (String f : FILES) {
      Path p = dir.resolve(f);
      try {
        files.put(f, Files.size(p) + " " + sha256(p));
      } catch (IOException e) {
        throw new TestGuestException("test guest build: cannot hash " + p, e);
      }
    }
    return new Manifest(key, pkg.name(), pkg.version(), kernelVersion, modules, files);
  }

  public void write(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("key", key);
    p.setProperty("kernelPackage", kernelPackage);
    p.setProperty("packageVersion", packageVersion);
    p.setProperty("kernelVersion", kernelVersion);
    p.setProperty("modules", modules);
    files.forEach((f, v) -> p.setProperty("file." + f, v));
    try (Writer w = Files.newBufferedWriter(dir.resolve(NAME))) {
      p.store(w, "vmm4j test guest cache entry");
    }
  }

  /**
   * Reads and checks the entry in {@code dir}: the manifest is complete, made for {@code
   * expectedKey} (when not null), and every file has its recorded size and SHA-256. Throws a {@link
   * TestGuestException} saying what is wrong otherwise.
   */
  public static Manifest verify(Path dir, String expectedKey) {
    Manifest m = read(dir);
    if (expectedKey != null && !expectedKey.equals(m.key)) {
      throw corrupt(dir, "its manifest is for key " + m.key + ", not " + expectedKey);
    }
    for (String f : FILES) {
      String want = m.files.get(f);
      if (want == null) {
        throw corrupt(dir, "its manifest lists no " + f);
      }
      check(dir, dir.resolve(f), want);
    }
    return m;
  }

  private static void check(Path dir, Path p, String want) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      String stamp = a.size() + " " + a.lastModifiedTime().toMillis();
      if (stamp.equals(VERIFIED.get(p))) {
        return;
      }
      String wantSize = want.substring(0, want.indexOf(' '));
      if (!wantSize.equals(Long.toString(a.size()))) {
        throw corrupt(dir, p.getFileName() + " has " + a.size() + " bytes, not " + wantSize);
      }
      String got = a.size() + " " + sha256(p);
      if (!got.equals(want)) {
        throw corrupt(
            dir,
            p.getFileName()
                + " has SHA-256 "
                + got.substring(got.indexOf(' ') + 1)
                + ", not "
                + want.substring(want.indexOf(' ') + 1));
      }
      VERIFIED.put(p, stamp);
    } catch (IOException e) {
      throw corrupt(dir, "cannot read " + p.getFileName() + " (" + e + ")");
    }
  }

  static Manifest read(Path dir) {
    Path f = dir.resolve(NAME);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      p.load(r);
    } catch (IOException e) {
      throw corrupt(dir, "cannot read " + NAME + " (" + e + ")");
    }
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw corrupt(dir, NAME + " has format " + p.getProperty("format") + ", not " + FORMAT);
    }
    Map<String, String> files = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("file.")) {
        String v = p.getProperty(name);
        if (!v.matches("[0-9]+ [0-9a-f]{64}")) {
          throw corrupt(dir, NAME + " has a malformed " + name);
        }
        files.put(name.substring(5), v);
      }
    }
    for (String k : List.of("key", "kernelPackage", "packageVersion", "kernelVersion", "modules")) {
      if (p.getProperty(k) == null) {
        throw corrupt(dir, NAME + " has no " + k);
      }
    }
    return new Manifest(
        p.getProperty("key"),
        p.getProperty("kernelPackage"),
        p.getProperty("packageVersion"),
        p.getProperty("kernelVersion"),
        p.getProperty("modules"),
        files);
  }

  private static TestGuestException corrupt(Path dir, String why) {
    return new TestGuestException("test guest cache entry " + dir + " is corrupt: " + why);
  }

  public static String sha256(Path p) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
