package org.vmm4j.testguest;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Run in a child JVM by the tests: holds a cache's lock for a while, saying when it has it. */
public final class HoldCacheLock {
  private HoldCacheLock() {}

  /**
   * Everything the test JVM has, as a class path for this child. On the module path (Surefire's
   * mode for a module with a module-info) the test classes are patched into the module and named by
   * no path property, so they are found where this class was loaded from.
   */
  static String classPath() throws URISyntaxException {
    Path self = Path.of(HoldCacheLock.class.getResource("HoldCacheLock.class").toURI());
    Path testClasses = self.getRoot().resolve(self.subpath(0, self.getNameCount() - 4));
    List<String> parts = new ArrayList<>(List.of(testClasses.toString()));
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null) {
      parts.add(modulePath);
    }
    parts.add(System.getProperty("java.class.path"));
    return String.join(File.pathSeparator, parts);
  }

  public static void main(String[] args) throws Exception {
    try (CacheLock l = CacheLock.acquire(Path.of(args[0]), Duration.ofSeconds(10), s -> {})) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
    }
  }
}
