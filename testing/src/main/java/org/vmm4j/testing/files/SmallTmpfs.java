package org.vmm4j.testing.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs (mode 0700) mounted on a directory for a test, to fill up: a state root whose file
 * system is full, for real. {@link #fill()} writes a filler file until the file system refuses
 * another page ({@code ENOSPC}); {@link #free()} removes it; {@link #close()} unmounts.
 */
public final class SmallTmpfs implements AutoCloseable {
  private static final String FILLER = ".filler";

  private final Path dir;
  private boolean mounted = true;

  private SmallTmpfs(Path dir) {
    this.dir = dir;
  }

  /**
   * Why a tmpfs cannot be mounted here (not root, or mounting is not permitted, e.g. a container
   * without {@code CAP_SYS_ADMIN}); empty when it can. Probes with a mount of its own. A test skips
   * with this as its reason.
   */
  public static Optional<String> unavailable() {
    Path probe;
    try {
      probe = Files.createTempDirectory("vmm4j-tmpfs-probe");
    } catch (IOException e) {
      return Optional.of("no temporary directory to probe mount(8) on: " + e);
    }
    try {
      String out =
          run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", probe.toString());
      if (out != null) {
        return Optional.of(
            "mount -t tmpfs is not permitted here (needs root with CAP_SYS_ADMIN): " + out);
      }
      String left = run("umount", probe.toString());
      return left == null ? Optional.empty() : Optional.of("umount of the probe failed: " + left);
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // the probe directory stays in the temporary directory
      }
    }
  }

  /**
   * Mounts a tmpfs of {@code bytes} (whole pages) with mode 0700 on {@code dir}, made if missing.
   *
   * @throws IOException when mount(8) fails (see {@link #unavailable()})
   */
  public static SmallTmpfs mount(Path dir, long bytes) throws IOException {
    Files.createDirectories(dir);
    String out =
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString());
    if (out != null) {
      throw new IOException("mount -t tmpfs on " + dir + ": " + out);
    }
    return new SmallTmpfs(dir);
  }

  /** Where it is mounted. */
  public Path root() {
    return dir;
  }

  /**
   * Writes a filler file, a page at a time, until the file system refuses the next one: then no
   * file on it can grow by a page.
   *
   * @return how many bytes the filler took
   */
  public long fill() throws IOException {
    ByteBuffer page = ByteBuffer.allocate(4096);
    long written = 0;
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve(FILLER),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      while (true) {
        page.clear();
        written += ch.write(page);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
    return written;
  }

  /** Removes the filler: the space is free again. */
  public void free() throws IOException {
    Files.deleteIfExists(dir.resolve(FILLER));
  }

  /** Unmounts (what is on it goes) and removes the mount point. */
  @Override
  public void close() throws IOException {
    if (!mounted) {
      return;
    }
    String out = run("umount", dir.toString());
    if (out != null) {
      throw new IOException("umount " + dir + ": " + out);
    }
    mounted = false;
    Files.deleteIfExists(dir);
  }

  /** Runs a command; null when it exits 0 within 30 s, else what it printed. */
  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", cmd) + ": still running after 30 s";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return String.join(" ", cmd) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
