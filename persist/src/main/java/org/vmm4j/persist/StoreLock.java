package org.vmm4j.persist;

/**
 * A held sandbox lock (shared or exclusive), across threads and processes. {@link #close()}
 * releases it (a second close does nothing); a process that dies releases its locks.
 */
public interface StoreLock extends AutoCloseable {
  String sandboxId();

  boolean exclusive();

  @Override
  void close();
}
