package org.vmm4j.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FileOps} spy: records every call as {@code "op path"} (paths relative to a base) on the
 * real file system, and fails the call named by {@link #failOn}.
 */
public final class RecordingFileOps implements FileOps {
  private final FileOps real = FileOps.system();
  private final Path base;
  private final Map<FileChannel, Path> open = new IdentityHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private String failOn;

  public RecordingFileOps(Path base) {
    this.base = base;
  }

  /** The calls so far, e.g. {@code "fsync sbs/a/.persist.json.tmp-…"}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clear() {
    calls.clear();
  }

  /** Makes the next call whose operation is {@code op} throw an IOException. */
  public synchronized void failOn(String op) {
    this.failOn = op;
  }

  private synchronized void record(String op, Path... paths) throws IOException {
    StringBuilder sb = new StringBuilder(op);
    for (Path p : paths) {
      String rel = base.relativize(p).toString();
      sb.append(' ').append(rel.isEmpty() ? "." : rel);
    }
    calls.add(sb.toString());
    if (op.equals(failOn)) {
      failOn = null;
      throw new IOException("injected failure of " + op);
    }
  }

  @Override
  public FileChannel createNew(Path file) throws IOException {
    record("createNew", file);
    FileChannel ch = real.createNew(file);
    synchronized (this) {
      open.put(ch, file);
    }
    return ch;
  }

  @Override
  public void write(FileChannel file, ByteBuffer data) throws IOException {
    record("write", pathOf(file));
    real.write(file, data);
  }

  @Override
  public void fsync(FileChannel file) throws IOException {
    record("fsync", pathOf(file));
    real.fsync(file);
  }

  @Override
  public void rename(Path source, Path target) throws IOException {
    record("rename", source, target);
    real.rename(source, target);
  }

  @Override
  public void fsyncDirectory(Path dir) throws IOException {
    record("fsyncDirectory", dir);
    real.fsyncDirectory(dir);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    record("createDirectory", dir);
    real.createDirectory(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    record("delete", path);
    real.delete(path);
  }

  private synchronized Path pathOf(FileChannel ch) {
    return open.get(ch);
  }
}
