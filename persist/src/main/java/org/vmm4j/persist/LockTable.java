package org.vmm4j.persist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reader-writer locks on lock files, across the threads of this JVM and across processes. Java's
 * {@link FileLock} is per process (POSIX record locks), so the threads of one JVM share one OS lock
 * per file: the first holder takes it in its mode, further shared holders join a shared one, and it
 * is released with its last holder. Waiting polls with a deadline; nothing waits forever.
 */
final class LockTable {
  static final LockTable INSTANCE = new LockTable();

  private static final long MAX_POLL_MS = 50;

  private final Map<Path, Entry> entries = new HashMap<>();

  private static final class Entry {
    int users; // holders and waiters: the entry lives while someone uses it
    int holders;
    boolean exclusive;
    boolean acquiring;
    FileChannel channel;
    FileLock lock;
  }

  /** Acquires; returns null when the deadline passed first. */
  StoreLock acquire(Path file, String sid, boolean exclusive, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Entry e;
    synchronized (this) {
      e = entries.computeIfAbsent(file, k -> new Entry());
      e.users++;
      try {
        while (e.acquiring || (e.holders > 0 && (exclusive || e.exclusive))) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            leave(file, e);
            return null;
          }
          wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException ie) {
        leave(file, e);
        throw ie;
      }
      if (e.holders > 0) {
        e.holders++; // join the shared lock this JVM holds
        return new Held(file, e, sid, false);
      }
      e.acquiring = true;
    }
    return acquireOs(file, e, sid, exclusive, deadline);
  }

  private StoreLock acquireOs(Path file, Entry e, String sid, boolean exclusive, long deadline)
      throws IOException, InterruptedException {
    FileChannel ch = null;
    FileLock lock = null;
    try {
      ch = open(file);
      lock = poll(ch, exclusive, deadline);
    } finally {
      synchronized (this) {
        e.acquiring = false;
        if (lock != null) {
          e.holders = 1;
          e.exclusive = exclusive;
          e.channel = ch;
          e.lock = lock;
        } else {
          if (ch != null) {
            ch.close();
          }
          leave(file, e);
        }
        notifyAll();
      }
    }
    return lock == null ? null : new Held(file, e, sid, exclusive);
  }

  /**
   * Opens the lock file, creating it 0600 (exactly, whatever the umask) when it is missing; never
   * through a symbolic link (O_NOFOLLOW).
   */
  private static FileChannel open(Path file) throws IOException {
    try {
      FileChannel ch =
          FileChannel.open(
              file,
              Set.<OpenOption>of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(SystemFileOps.FILE_MODE));
      Files.setPosixFilePermissions(file, SystemFileOps.FILE_MODE);
      return ch;
    } catch (FileAlreadyExistsException e) {
      return FileChannel.open(
          file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static FileLock poll(FileChannel ch, boolean exclusive, long deadline)
      throws IOException, InterruptedException {
    long sleep = 1;
    while (true) {
      FileLock l = ch.tryLock(0, Long.MAX_VALUE, !exclusive);
      if (l != null) {
        return l;
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return null;
      }
      Thread.sleep(Math.min(sleep, left));
      sleep = Math.min(sleep * 2, MAX_POLL_MS);
    }
  }

  private void leave(Path file, Entry e) {
    if (--e.users == 0) {
      entries.remove(file);
    }
  }

  private synchronized void release(Path file, Entry e) {
    if (--e.holders == 0) {
      try {
        e.lock.release();
        e.channel.close();
      } catch (IOException ex) {
        // closing the channel releases the lock in any case
      }
      e.lock = null;
      e.channel = null;
      e.exclusive = false;
    }
    leave(file, e);
    notifyAll();
  }

  private final class Held implements StoreLock {
    private final Path file;
    private final Entry entry;
    private final String sid;
    private final boolean exclusive;
    private boolean closed;

    Held(Path file, Entry entry, String sid, boolean exclusive) {
      this.file = file;
      this.entry = entry;
      this.sid = sid;
      this.exclusive = exclusive;
    }

    @Override
    public String sandboxId() {
      return sid;
    }

    @Override
    public boolean exclusive() {
      return exclusive;
    }

    @Override
    public void close() {
      synchronized (LockTable.this) {
        if (closed) {
          return;
        }
        closed = true;
        release(file, entry);
      }
    }

    @Override
    public String toString() {
      return (exclusive ? "exclusive" : "shared") + " lock of sandbox " + sid + " (" + file + ")";
    }
  }
}
