package org.vmm4j.testguest;

import java.nio.file.Path;
import java.time.Duration;
import org.vmm4j.testguest.build.CacheLock;

/** Run in a child JVM by the tests: holds a cache's lock for a while, saying when it has it. */
public final class HoldCacheLock {
  private HoldCacheLock() {}

  public static void main(String[] args) throws Exception {
    try (CacheLock l = CacheLock.acquire(Path.of(args[0]), Duration.ofSeconds(10), s -> {})) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
    }
  }
}
