package org.vmm4j.testing.modules;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;

/**
 * The package cycles in a module's classes, from {@code jdeps -verbose:package} (the JDK's own
 * tool): the dependencies between the packages of those classes, then every strongly connected set
 * of more than one package. The other modules and jars it needs are taken from this JVM's module
 * path and class path, so a test calls {@link #of(Class)} with a class of the module.
 */
public final class PackageCycles {
  private PackageCycles() {}

  /** The cycles among the packages of the classes (directory or jar) {@code member} comes from. */
  public static List<List<String>> of(Class<?> member) {
    try {
      return of(Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("where " + member.getName() + " comes from: " + e, e);
    }
  }

  /** The cycles among the packages of {@code classes} (a directory or a jar), each sorted. */
  public static List<List<String>> of(Path classes) {
    return cycles(edges(jdeps(classes)));
  }

  /**
   * The packages each package of {@code member}'s classes depends on, among those classes' own
   * packages (a package's dependency on itself left out).
   */
  public static Map<String, Set<String>> dependencies(Class<?> member) {
    try {
      Path classes = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
      return edges(jdeps(classes));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("where " + member.getName() + " comes from: " + e, e);
    }
  }

  /** jdeps' package-level report of {@code classes}. */
  static String jdeps(Path classes) {
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
    boolean named =
        Files.isDirectory(classes)
            ? Files.exists(classes.resolve("module-info.class"))
            : classes.toString().endsWith(".jar");
    String others = otherEntries(classes);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--multi-release",
            "17",
            named ? "--module-path" : "-cp",
            others,
            "-verbose:package",
            "-filter:none",
            classes.toString());
    if (rc != 0) {
      throw new IllegalStateException("jdeps " + classes + ": exit " + rc + ": " + err + out);
    }
    // a module of the same name elsewhere on the module path would be analysed instead
    String where = "[" + classes.toAbsolutePath().toUri() + "]";
    if (named && !out.toString().contains(where)) {
      throw new IllegalStateException(
          "jdeps analysed another copy of "
              + classes
              + ": "
              + out.toString().lines().limit(2).toList());
    }
    return out.toString();
  }

  private static String otherEntries(Path classes) {
    Set<String> entries = new LinkedHashSet<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      for (String e : System.getProperty(property, "").split(File.pathSeparator)) {
        if (!e.isEmpty() && Files.exists(Path.of(e)) && !Path.of(e).equals(classes)) {
          entries.add(e);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The edges {@code from -> to} between the packages the report describes (its detail lines {@code
   * " FROM -> TO MODULE"}), leaving out dependencies on other modules and the JDK.
   */
  static Map<String, Set<String>> edges(String report) {
    Map<String, Set<String>> edges = new HashMap<>();
    List<String[]> lines = new ArrayList<>();
    for (String line : report.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (line.startsWith("   ") && f.length >= 3 && f[1].equals("->")) {
        lines.add(f);
        edges.putIfAbsent(f[0], new HashSet<>());
      }
    }
    for (String[] f : lines) {
      if (!f[0].equals(f[2]) && edges.containsKey(f[2])) {
        edges.get(f[0]).add(f[2]);
      }
    }
    return edges;
  }

  /** The strongly connected sets of more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> edges) {
    return new Tarjan(edges).run();
  }
}
