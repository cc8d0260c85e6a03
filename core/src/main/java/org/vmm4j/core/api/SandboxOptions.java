package org.vmm4j.core.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpOptions;

/**
 * The deadlines and hooks of a {@code Sandbox}. Every wait has a deadline: the defaults are the
 * constants below; {@code withX} returns a copy with one changed.
 *
 * @param readyTimeout from spawning QEMU to ready (QMP greeting, pre-{@code cont} steps, {@code
 *     cont}, state saved); virtiofsd's socket too
 * @param quitTimeout stop: how long QEMU has to exit after {@code quit}
 * @param termTimeout stop: how long after SIGTERM
 * @param killTimeout stop: how long after SIGKILL
 * @param lockTimeout how long an operation waits for the sandbox's store lock; also how long a
 *     {@link org.vmm4j.core.Sandbox#restore} waits for one of its QMP sockets (QEMU serves one
 *     client per socket: other processes' operations on the sandbox may hold both)
 * @param controllerGreetingTimeout reattach: how long the controller's QMP socket may stay silent
 *     (counted from its connection) before the tools socket is tried too; whichever QEMU serves
 *     first is taken
 * @param exitPollInterval how often a QEMU that is not this JVM's child is polled for its exit
 * @param qmpOptions the QMP connections' options: each command's deadline, and how long an unplug
 *     waits for {@code DEVICE_DELETED} before asking QEMU what is true
 * @param cpuEjectTimeout how long a vCPU unplug waits for the guest to eject the vCPU
 * @param listener told of this sandbox's events (devices added and removed, QEMU's exit, drift)
 * @param startObserver told of each start phase
 */
public record SandboxOptions(
    Duration readyTimeout,
    Duration quitTimeout,
    Duration termTimeout,
    Duration killTimeout,
    Duration lockTimeout,
    Duration controllerGreetingTimeout,
    Duration exitPollInterval,
    QmpOptions qmpOptions,
    Duration cpuEjectTimeout,
    SandboxListener listener,
    StartObserver startObserver) {

  /** Kata's {@code waitSandbox} deadline. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_QUIT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TERM_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_KILL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_LOCK_TIMEOUT = FsStore.DEFAULT_LOCK_TIMEOUT;
  public static final Duration DEFAULT_CONTROLLER_GREETING_TIMEOUT = Duration.ofSeconds(1);

  /** Well under the one second within which an unexpected exit is reported. */
  public static final Duration DEFAULT_EXIT_POLL_INTERVAL = Duration.ofMillis(200);

  /** A guest ejects a vCPU once it has offlined it: seconds under TCG. */
  public static final Duration DEFAULT_CPU_EJECT_TIMEOUT = Duration.ofSeconds(10);

  public SandboxOptions {
    positive(readyTimeout, "readyTimeout");
    positive(quitTimeout, "quitTimeout");
    positive(termTimeout, "termTimeout");
    positive(killTimeout, "killTimeout");
    positive(lockTimeout, "lockTimeout");
    positive(controllerGreetingTimeout, "controllerGreetingTimeout");
    positive(exitPollInterval, "exitPollInterval");
    Objects.requireNonNull(qmpOptions, "qmpOptions");
    positive(cpuEjectTimeout, "cpuEjectTimeout");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(startObserver, "startObserver");
  }

  /** Every default. */
  public static SandboxOptions defaults() {
    return new SandboxOptions(
        DEFAULT_READY_TIMEOUT,
        DEFAULT_QUIT_TIMEOUT,
        DEFAULT_TERM_TIMEOUT,
        DEFAULT_KILL_TIMEOUT,
        DEFAULT_LOCK_TIMEOUT,
        DEFAULT_CONTROLLER_GREETING_TIMEOUT,
        DEFAULT_EXIT_POLL_INTERVAL,
        QmpOptions.defaults(),
        DEFAULT_CPU_EJECT_TIMEOUT,
        SandboxListener.NONE,
        StartObserver.NONE);
  }

  public SandboxOptions withReadyTimeout(Duration d) {
    return with(f -> f.readyTimeout = d);
  }

  /** The three stop deadlines at once. */
  public SandboxOptions withStopTimeouts(Duration quit, Duration term, Duration kill) {
    return with(
        f -> {
          f.quitTimeout = quit;
          f.termTimeout = term;
          f.killTimeout = kill;
        });
  }

  public SandboxOptions withLockTimeout(Duration d) {
    return with(f -> f.lockTimeout = d);
  }

  public SandboxOptions withControllerGreetingTimeout(Duration d) {
    return with(f -> f.controllerGreetingTimeout = d);
  }

  public SandboxOptions withExitPollInterval(Duration d) {
    return with(f -> f.exitPollInterval = d);
  }

  public SandboxOptions withQmpOptions(QmpOptions o) {
    return with(f -> f.qmpOptions = o);
  }

  public SandboxOptions withCpuEjectTimeout(Duration d) {
    return with(f -> f.cpuEjectTimeout = d);
  }

  public SandboxOptions withListener(SandboxListener l) {
    return with(f -> f.listener = l);
  }

  public SandboxOptions withStartObserver(StartObserver o) {
    return with(f -> f.startObserver = o);
  }

  private SandboxOptions with(Consumer<Fields> edit) {
    Fields f = new Fields(this);
    edit.accept(f);
    return f.options();
  }

  /** The components of a copy being made, one of them changed by a {@code withX}. */
  private static final class Fields {
    Duration readyTimeout;
    Duration quitTimeout;
    Duration termTimeout;
    Duration killTimeout;
    Duration lockTimeout;
    Duration controllerGreetingTimeout;
    Duration exitPollInterval;
    QmpOptions qmpOptions;
    Duration cpuEjectTimeout;
    SandboxListener listener;
    StartObserver startObserver;

    Fields(SandboxOptions o) {
      readyTimeout = o.readyTimeout;
      quitTimeout = o.quitTimeout;
      termTimeout = o.termTimeout;
      killTimeout = o.killTimeout;
      lockTimeout = o.lockTimeout;
      controllerGreetingTimeout = o.controllerGreetingTimeout;
      exitPollInterval = o.exitPollInterval;
      qmpOptions = o.qmpOptions;
      cpuEjectTimeout = o.cpuEjectTimeout;
      listener = o.listener;
      startObserver = o.startObserver;
    }

    SandboxOptions options() {
      return new SandboxOptions(
          readyTimeout,
          quitTimeout,
          termTimeout,
          killTimeout,
          lockTimeout,
          controllerGreetingTimeout,
          exitPollInterval,
          qmpOptions,
          cpuEjectTimeout,
          listener,
          startObserver);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
