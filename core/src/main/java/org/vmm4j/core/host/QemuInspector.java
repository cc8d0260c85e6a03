package org.vmm4j.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the QEMU binary and asks it for its version, its options and its machine types (three
 * queries at once, ~80 ms). A usable answer is remembered for the JVM's life per binary (its real
 * path, size and modification time), so repeated checks cost file reads only.
 */
final class QemuInspector {
  static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\d+\\.\\d+(?:\\.\\d+)?)");

  private record Key(Path realPath, long size, long modified) {}

  private static final Map<Key, QemuBinary> KNOWN = new ConcurrentHashMap<>();

  private QemuInspector() {}

  static QemuBinary inspect(Path requested, List<Path> searchPath, Duration timeout) {
    Path found = resolve(requested, searchPath);
    if (found == null) {
      return QemuBinary.unusable(requested, null, notFound(requested, searchPath));
    }
    if (!Files.isRegularFile(found) || !Files.isExecutable(found)) {
      return QemuBinary.unusable(requested, found, found + " is not an executable file");
    }
    Key key = key(found);
    QemuBinary known = key == null ? null : KNOWN.get(key);
    if (known != null) {
      return new QemuBinary(
          requested,
          found,
          known.versionLine(),
          known.version(),
          known.seccomp(),
          known.machines(),
          "");
    }
    QemuBinary b = query(requested, found, timeout);
    if (b.usable() && key != null) {
      KNOWN.put(key, b);
    }
    return b;
  }

  /** {@code requested} itself when it names a directory, else the first executable on the path. */
  static Path resolve(Path requested, List<Path> searchPath) {
    if (requested.getNameCount() > 1 || requested.isAbsolute()) {
      return Files.exists(requested) ? requested.toAbsolutePath() : null;
    }
    for (Path dir : searchPath) {
      Path p = dir.resolve(requested);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
    }
    return null;
  }

  private static QemuBinary query(Path requested, Path found, Duration timeout) {
    String bin = found.toString();
    QemuProcess version = QemuProcess.start(List.of(bin, "-version"));
    QemuProcess help = QemuProcess.start(List.of(bin, "-help"));
    QemuProcess machines = QemuProcess.start(List.of(bin, "-machine", "help"));
    QemuProcess.Outcome v = version.await(timeout);
    QemuProcess.Outcome h = help.await(timeout);
    QemuProcess.Outcome m = machines.await(timeout);
    if (!v.ok()) {
      return QemuBinary.unusable(requested, found, version.command() + " " + v.why());
    }
    String line = v.output().lines().findFirst().orElse("").strip();
    Matcher vm = VERSION.matcher(line);
    if (!vm.find()) {
      return QemuBinary.unusable(
          requested,
          found,
          version.command() + " printed no 'QEMU emulator version' line: '" + line + "'");
    }
    boolean seccomp = h.ok() && h.output().lines().anyMatch(l -> l.startsWith("-sandbox"));
    List<String> types = m.ok() ? machineTypes(m.output()) : List.of();
    return new QemuBinary(requested, found, line, vm.group(1), seccomp, types, "");
  }

  /** The first word of each line of {@code -machine help} after its header. */
  static List<String> machineTypes(String help) {
    List<String> types = new ArrayList<>();
    for (String line : help.split("\n")) {
      if (line.isBlank() || line.startsWith("Supported machines")) {
        continue;
      }
      types.add(line.strip().split("\\s+", 2)[0]);
    }
    return types;
  }

  private static String notFound(Path requested, List<Path> searchPath) {
    if (requested.getNameCount() > 1 || requested.isAbsolute()) {
      return requested + " does not exist";
    }
    List<String> dirs = searchPath.stream().map(Path::toString).distinct().toList();
    return requested + " not found in " + String.join(":", dirs);
  }

  private static Key key(Path found) {
    try {
      Path real = found.toRealPath();
      return new Key(real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
    } catch (IOException e) {
      return null;
    }
  }
}
