package org.vmm4j.testguest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder's own inputs shipped as resources: {@code init}, {@code agent.sh}, {@code
 * modules.list}. Their bytes are part of the cache key, so editing the agent rebuilds the guest.
 */
record GuestFiles(Map<String, byte[]> files) {
  static final String DIR = "/org/vmm4j/testguest/guest/";
  static final List<String> NAMES = List.of("init", "agent.sh", "modules.list");

  public static GuestFiles load() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (String n : NAMES) {
      try (InputStream in = GuestFiles.class.getResourceAsStream(DIR + n)) {
        if (in == null) {
          throw new TestGuestException("test guest build: resource " + DIR + n + " is missing");
        }
        m.put(n, in.readAllBytes());
      } catch (IOException e) {
        throw new TestGuestException("test guest build: cannot read resource " + DIR + n, e);
      }
    }
    return new GuestFiles(m);
  }

  public byte[] init() {
    return files.get("init");
  }

  public byte[] agent() {
    return files.get("agent.sh");
  }

  /** The module names of {@code modules.list}, in order, without comments and blank lines. */
  public List<String> modules() {
    List<String> out = new ArrayList<>();
    for (String line : new String(files.get("modules.list"), StandardCharsets.UTF_8).split("\n")) {
      String s = line.replaceAll("#.*", "").strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Feeds every file (name and bytes) into {@code md}. */
  public void digest(MessageDigest md) {
    files.forEach(
        (n, b) -> {
          md.update((n + " " + b.length + " ").getBytes(StandardCharsets.UTF_8));
          md.update(b);
        });
  }

  /** SHA-256 of everything, hex. */
  public String hash() {
    MessageDigest md = Manifest.digest();
    digest(md);
    return HexFormat.of().formatHex(md.digest());
  }
}
