package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The cache's build lock: a lock within this JVM (file locks are per process) and a POSIX lock on
 * {@code <cache>/.lock} between processes; both waited for up to a deadline. Release it on the
 * thread that acquired it.
 */
final class CacheLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  private static final long POLL_MS = 100;

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private CacheLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  public static CacheLock acquire(Path cacheDir, Duration timeout, Consumer<String> progress) {
    Path file = cacheDir.resolve(".lock").toAbsolutePath().normalize();
    long deadline = System.nanoTime() + timeout.toNanos();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock());
    try {
      if (!jvm.tryLock()) {
        progress.accept("test guest: waiting for another build in this process (" + file + ")");
        if (!jvm.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          throw timedOut(file, timeout);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestGuestException("test guest build: interrupted waiting for " + file, e);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      boolean told = false;
      for (FileLock l; ; ) {
        l = ch.tryLock();
        if (l != null) {
          return new CacheLock(jvm, ch, l);
        }
        if (!told) {
          progress.accept("test guest: waiting for another process's build (" + file + ")");
          told = true;
        }
        if (System.nanoTime() > deadline) {
          throw timedOut(file, timeout);
        }
        Thread.sleep(POLL_MS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(ch);
      jvm.unlock();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof TestGuestException t) {
        throw t;
      }
      throw new TestGuestException("test guest build: cannot lock " + file + ": " + e, e);
    }
  }

  private static TestGuestException timedOut(Path file, Duration timeout) {
    return new TestGuestException(
        "test guest build: another build held "
            + file
            + " for more than "
            + timeout.toMillis() / 1000.0
            + " s");
  }

  @Override
  public void close() {
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
    jvmLock.unlock();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
