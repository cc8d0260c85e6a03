package org.vmm4j.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxListener;
import org.vmm4j.persist.FsStore;

/**
 * The events of every sandbox of one store that this JVM manages ({@link #of(FsStore)}): a listener
 * added here hears every {@link SandboxEvent} of every {@link Sandbox} object of that store in this
 * JVM, started or restored, before or after it was added. Events are delivered in order on one
 * daemon thread, {@code vmm4j-events}, shared by every sandbox of the JVM.
 */
public final class SandboxEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxEvents.class);
  private static final Map<Path, SandboxEvents> BY_ROOT = new ConcurrentHashMap<>();
  private static final ExecutorService DELIVERY =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "vmm4j-events");
            t.setDaemon(true);
            return t;
          });

  private final List<SandboxListener> listeners = new CopyOnWriteArrayList<>();

  private SandboxEvents() {}

  /** The events of the sandboxes of {@code store} (by its root). */
  public static SandboxEvents of(FsStore store) {
    return BY_ROOT.computeIfAbsent(store.root(), r -> new SandboxEvents());
  }

  /** Adds a listener of every sandbox of the store. */
  public void addListener(SandboxListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(SandboxListener l) {
    listeners.remove(l);
  }

  /**
   * Delivers {@code e} on the event thread to the store's listeners, then to {@code own} (the
   * sandbox's own).
   */
  static void publish(FsStore store, SandboxEvent e, List<SandboxListener> own) {
    List<SandboxListener> all = new java.util.ArrayList<>(of(store).listeners);
    all.addAll(own);
    if (all.isEmpty()) {
      return;
    }
    DELIVERY.execute(
        () -> {
          for (SandboxListener l : all) {
            try {
              l.onEvent(e);
            } catch (RuntimeException x) {
              LOG.warn("sandbox {}: a listener failed on {}: {}", e.sandboxId(), e, x.toString());
            }
          }
        });
  }
}
