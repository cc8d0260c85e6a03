package org.vmm4j.testing.modules;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path a child JVM needs to run a test's helper class with everything the test's JVM has.
 * On the module path (Surefire's mode for a module with a {@code module-info}) the test classes are
 * patched into the module under test and no path property names them, so they are found where
 * {@code anchor} was loaded from; the module path and the class path follow.
 */
public final class ChildClassPath {
  private ChildClassPath() {}

  /** The class path for a child JVM running test classes that live beside {@code anchor}. */
  public static String of(Class<?> anchor) {
    String file = anchor.getName().replace('.', '/') + ".class";
    try {
      Path self = Path.of(anchor.getClassLoader().getResource(file).toURI());
      int depth = anchor.getName().split("\\.").length;
      Path classes = self.getRoot().resolve(self.subpath(0, self.getNameCount() - depth));
      List<String> parts = new ArrayList<>(List.of(classes.toString()));
      String modulePath = System.getProperty("jdk.module.path");
      if (modulePath != null && !modulePath.isEmpty()) {
        parts.add(modulePath);
      }
      parts.add(System.getProperty("java.class.path"));
      return String.join(File.pathSeparator, parts);
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "the class path of a child JVM: " + anchor.getName() + " was not loaded from a directory",
          e);
    }
  }
}
