package org.vmm4j.core.internal.vm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.api.HostException;

/**
 * A process vmm4j supervises (QEMU, virtiofsd): either its own child, started by {@link #spawn} in
 * a session of its own so that it outlives the controller, or a process found again by pid ({@link
 * #attach}). A child is reaped by the JDK as soon as it exits; for another process, exit means the
 * pid is gone, is a zombie (its real parent has not reaped it yet), or now belongs to a later
 * process (only the parent can reap it).
 */
public final class HostProcess {
  /** How often a process that is not our child is polled while waiting for its exit. */
  static final Duration POLL = Duration.ofMillis(10);

  private static final String SETSID = "/usr/bin/setsid";
  private static final int SIGCONT = 18;
  private static final int ESRCH = 3;

  private final long pid;
  private final Process child;
  private final long startTicks;

  private HostProcess(long pid, Process child, long startTicks) {
    this.pid = pid;
    this.child = child;
    this.startTicks = startTicks;
  }

  /**
   * Starts {@code argv} as {@code setsid <argv>}: a Java child is not a process-group leader, so
   * setsid(1) calls setsid(2) and execs in place (same pid, own session: no terminal signal reaches
   * it and it survives the controller). stdin is {@code /dev/null}; stdout and stderr are appended
   * to {@code output}.
   */
  public static HostProcess spawn(List<String> argv, Path output) {
    List<String> cmd = new ArrayList<>(argv.size() + 1);
    cmd.add(SETSID);
    cmd.addAll(argv);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new HostException("start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    long ticks = ProcStat.read(p.pid()).map(ProcStat::startTicks).orElse(-1L);
    return new HostProcess(p.pid(), p, ticks);
  }

  /** The running (not exited) process {@code pid}, or empty. */
  public static Optional<HostProcess> attach(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return ProcStat.read(pid)
        .filter(s -> !s.exited())
        .map(s -> new HostProcess(pid, null, s.startTicks()));
  }

  public long pid() {
    return pid;
  }

  /** Whether this JVM started it (and so reaps it). */
  public boolean isChild() {
    return child != null;
  }

  /** False once it exited (a zombie counts as exited). */
  public boolean isAlive() {
    if (child != null) {
      return child.isAlive();
    }
    Optional<ProcStat> s = ProcStat.read(pid);
    return s.isPresent() && !s.get().exited() && s.get().startTicks() == startTicks;
  }

  /** Waits up to {@code timeout} for the exit; true when it exited. */
  public boolean awaitExit(Duration timeout) {
    try {
      if (child != null) {
        return child.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (isAlive()) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        Thread.sleep(POLL.toMillis());
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException("wait for pid " + pid + ": interrupted", e);
    }
  }

  /** SIGTERM (nothing when it already exited). */
  public void terminate() {
    if (isAlive()) {
      if (child != null) {
        child.destroy();
      } else {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  /** SIGKILL (nothing when it already exited). */
  public void kill() {
    if (isAlive()) {
      if (child != null) {
        child.destroyForcibly();
      } else {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * Whether it is stopped by a signal ({@code SIGSTOP}, {@code SIGTSTP}; state {@code T}): it acts
   * on SIGTERM only once continued, SIGKILL ends it anyway.
   */
  public boolean isStopped() {
    return isAlive() && ProcStat.read(pid).map(s -> s.state() == 'T').orElse(false);
  }

  /** SIGCONT (nothing when it already exited). */
  public void resume() {
    if (isAlive()) {
      try {
        // NATIVE: kill(2) on the pid just checked to be this process (its start time).
        LibC.INSTANCE.kill((int) pid, SIGCONT);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != ESRCH) {
          throw new HostException("SIGCONT pid " + pid + ": errno " + e.getErrorCode(), e);
        }
      }
    }
  }

  /** NATIVE: libc's kill(2). */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int kill(int pid, int signal) throws LastErrorException;
  }

  /** A child's exit, the moment it is reaped; empty for a process that is not our child. */
  public Optional<CompletableFuture<Process>> onExit() {
    return child == null ? Optional.empty() : Optional.of(child.onExit());
  }

  /** A child's exit status once it exited (128 + n when killed by signal n, as Java reports). */
  public OptionalInt exitStatus() {
    return child != null && !child.isAlive()
        ? OptionalInt.of(child.exitValue())
        : OptionalInt.empty();
  }

  /** {@code "exit status 1"}, {@code "killed by signal 9"}, or {@code "exited"}. */
  public String describeExit() {
    OptionalInt s = exitStatus();
    if (s.isEmpty()) {
      return "exited";
    }
    int v = s.getAsInt();
    return v > 128 ? "killed by signal " + (v - 128) : "exit status " + v;
  }

  @Override
  public String toString() {
    return "pid " + pid;
  }
}
