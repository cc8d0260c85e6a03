package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Chooses the guest's kernel modules and their load order. The guest has no modprobe and the host
 * no depmod, so dependencies come from the {@code depends=} string in each module's {@code
 * .modinfo}. Names compare with '-' and '_' equal, as the kernel does.
 */
final class Modules {

  /** A module to load: its file name stem (what {@code insmod /lib/modules/STEM.ko} uses). */
  public record Module(String stem, Path file) {}

  private final Map<String, Path> files;
  private final Set<String> builtin;
  private final Duration timeout;
  private final Map<String, byte[]> contents = new HashMap<>();

  private Modules(Map<String, Path> files, Set<String> builtin, Duration timeout) {
    this.files = files;
    this.builtin = builtin;
    this.timeout = timeout;
  }

  /**
   * Indexes the modules under {@code modulesDir} ({@code .ko}, {@code .ko.xz}, {@code .ko.zst}).
   */
  public static Modules index(Path modulesDir, Duration timeout) {
    Map<String, Path> files = new HashMap<>();
    try (Stream<Path> s = Files.walk(modulesDir)) {
      s.filter(Files::isRegularFile)
          .forEach(
              p -> {
                String stem = stem(p.getFileName().toString());
                if (stem != null) {
                  files.putIfAbsent(normalize(stem), p);
                }
              });
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot list modules in " + modulesDir, e);
    }
    Set<String> builtin = new HashSet<>();
    Path b = modulesDir.resolve("modules.builtin");
    try {
      if (Files.exists(b)) {
        for (String line : Files.readAllLines(b)) {
          String name = line.substring(line.lastIndexOf('/') + 1);
          String stem = stem(name);
          builtin.add(normalize(stem != null ? stem : name));
        }
      }
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot read " + b, e);
    }
    return new Modules(files, builtin, timeout);
  }

  /**
   * The modules to load for {@code wanted} (in that order), each preceded by what it depends on;
   * names the kernel has built in are skipped; an unknown name is an error.
   */
  public List<Module> resolve(List<String> wanted) {
    LinkedHashMap<String, Module> order = new LinkedHashMap<>();
    for (String w : wanted) {
      add(normalize(w), order, new HashSet<>(), w);
    }
    return new ArrayList<>(order.values());
  }

  /** The module's bytes, decompressed. */
  public byte[] content(Module m) {
    return contents.computeIfAbsent(m.stem(), k -> load(m.file()));
  }

  private void add(String name, Map<String, Module> order, Set<String> path, String root) {
    if (order.containsKey(name)) {
      return;
    }
    Path file = files.get(name);
    if (file == null) {
      if (builtin.contains(name)) {
        return;
      }
      throw new TestGuestException(
          "test guest build: kernel module '"
              + name
              + "' (needed for '"
              + root
              + "') is neither in the package nor built in");
    }
    if (!path.add(name)) {
      throw new TestGuestException("test guest build: module dependency cycle at " + name);
    }
    Module m = new Module(stem(file.getFileName().toString()), file);
    for (String dep : depends(content(m))) {
      add(normalize(dep), order, path, root);
    }
    path.remove(name);
    order.put(name, m);
  }

  /** The names in the module's {@code depends=} string (empty when it has none). */
  static List<String> depends(byte[] ko) {
    byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + key.length <= ko.length; i++) {
      if (i > 0 && ko[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < key.length; j++) {
        if (ko[i + j] != key[j]) {
          continue outer;
        }
      }
      int end = i + key.length;
      while (end < ko.length && ko[end] != 0) {
        end++;
      }
      String list = new String(ko, i + key.length, end - i - key.length, StandardCharsets.US_ASCII);
      List<String> out = new ArrayList<>();
      for (String d : list.split(",")) {
        if (!d.isBlank()) {
          out.add(d.strip());
        }
      }
      return out;
    }
    return List.of();
  }

  private byte[] load(Path file) {
    String n = file.getFileName().toString();
    try {
      if (n.endsWith(".ko")) {
        return Files.readAllBytes(file);
      }
      String tool = n.endsWith(".xz") ? "xz" : "zstd";
      Path out = Files.createTempFile("vmm4j-ko", ".ko");
      try {
        Exec.check(List.of(tool, "-dc", file.toString()), file.getParent(), out, timeout);
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot read module " + file, e);
    }
  }

  static String normalize(String name) {
    return name.replace('-', '_');
  }

  private static String stem(String fileName) {
    for (String ext : List.of(".ko", ".ko.xz", ".ko.zst")) {
      if (fileName.endsWith(ext)) {
        return fileName.substring(0, fileName.length() - ext.length());
      }
    }
    return null;
  }
}
