package org.vmm4j.persist;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the multi-process tests run in a child JVM.
 *
 * <ul>
 *   <li>{@code save ROOT SID}: one save with a container, a global write, a lock, a VM directory;
 *   <li>{@code lock ROOT SID shared|exclusive TIMEOUT_MS}: prints {@code locked} or {@code
 *       timeout}, holds the lock until a line arrives on stdin, prints {@code released};
 *   <li>{@code crash ROOT SID START}: saves {@link StoreSamples#growing} states START, START+1, ...
 *       forever, printing {@code saved N} after each.
 * </ul>
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    FsStore store = new FsStore(Path.of(args[1]));
    String sid = args[2];
    switch (args[0]) {
      case "save" -> {
        store.save(StoreSamples.sandbox(sid, 2, 1), Map.of("c1", StoreSamples.container("c1", 1)));
        store.globalWrite("uuid/uuid.json", "{}".getBytes(StandardCharsets.UTF_8));
        store.createVmDir(sid);
        store.lock(sid, true).close();
        out.println("saved");
      }
      case "lock" -> {
        boolean exclusive = args[3].equals("exclusive");
        try (StoreLock l = store.lock(sid, exclusive, Duration.ofMillis(Long.parseLong(args[4])))) {
          out.println("locked");
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (LockTimeoutException e) {
          out.println("timeout");
          return;
        }
        out.println("released");
      }
      case "crash" -> {
        for (long n = Long.parseLong(args[3]); ; n++) {
          store.save(StoreSamples.growing(sid, n), StoreSamples.growingContainers(n));
          out.println("saved " + n);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
