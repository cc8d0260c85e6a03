package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM rewrites a growing state in a loop and is SIGKILLed at a random moment, again and
 * again (200 times by default, {@code -Dvmm4j.crashKills=N}); after every kill the files parse and
 * equal states that were written: the sandbox file is the last save the child reported or the one
 * it was in the middle of, never a torn or older one. Two workers (separate roots) share the cores.
 */
class FsStoreCrashTest {
  private static final int KILLS = Integer.getInteger("vmm4j.crashKills", 200);
  private static final int WORKERS = 2;
  private static final int MAX_DELAY_MS = 40;

  @TempDir Path tmp;

  @Test
  void everyKillLeavesTheLastOrTheNextStateNeverATornOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int kills = KILLS / WORKERS + (w < KILLS % WORKERS ? 1 : 0);
        Path root = tmp.resolve("root-" + w);
        String sid = "crash-" + w;
        results.add(pool.submit(() -> worker(root, sid, kills)));
      }
      int kills = 0;
      int inFlight = 0;
      for (Future<int[]> f : results) {
        int[] r = f.get();
        kills += r[0];
        inFlight += r[1];
      }
      System.out.printf(
          "crash test: %d SIGKILLs; every file parsed and equalled a written state"
              + " (%d kills landed after a rename the child had not reported yet)%n",
          kills, inFlight);
      assertThat(kills).isEqualTo(KILLS);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Returns {kills, kills whose file was one save ahead of the child's last report}. */
  private static int[] worker(Path root, String sid, int kills) throws Exception {
    FsStore store = new FsStore(root);
    long next = 0;
    int ahead = 0;
    for (int k = 0; k < kills; k++) {
      long confirmed;
      try (ChildJvm child = ChildJvm.start("crash", root.toString(), sid, Long.toString(next))) {
        child.awaitLine("saved ");
        Thread.sleep(ThreadLocalRandom.current().nextInt(MAX_DELAY_MS + 1));
        child.kill();
        confirmed = Long.parseLong(child.drain().substring("saved ".length()));
      }
      StoredSandbox s = store.load(sid);
      long n = StoreSamples.generation(s.sandbox());
      assertThat(n)
          .as("kill %d: file generation vs last reported save", k)
          .isBetween(confirmed, confirmed + 1);
      assertThat(s.sandbox()).isEqualTo(StoreSamples.growing(sid, n));
      checkContainers(s.containers(), n);
      ahead += n > confirmed ? 1 : 0;
      next = n + 1;
    }
    return new int[] {kills, ahead};
  }

  /** Containers of the last, the current or the next save (stale ones go after the rename). */
  private static void checkContainers(Map<String, ContainerState> containers, long n) {
    assertThat(containers).isNotEmpty();
    for (Map.Entry<String, ContainerState> e : containers.entrySet()) {
      String token = e.getValue().process().token();
      long m = Long.parseLong(token.substring(token.lastIndexOf('-') + 1));
      assertThat(m).as("container %s generation", e.getKey()).isBetween(n - 1, n + 1);
      assertThat(StoreSamples.growingContainers(m)).containsKey(e.getKey());
      assertThat(e.getValue()).isEqualTo(StoreSamples.container(e.getKey(), m));
    }
  }
}
