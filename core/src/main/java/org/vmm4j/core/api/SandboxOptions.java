package org.vmm4j.core.api;

import java.time.Duration;
import java.util.Objects;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpOptions;

/**
 * The deadlines and hooks of a {@link Sandbox}. Every wait has a deadline: the defaults are the
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
 * @param qmpOptions the QMP connections' options (command deadline etc.)
 * @param listener told of an unexpected exit
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

  public SandboxOptions {
    positive(readyTimeout, "readyTimeout");
    positive(quitTimeout, "quitTimeout");
    positive(termTimeout, "termTimeout");
    positive(killTimeout, "killTimeout");
    positive(lockTimeout, "lockTimeout");
    positive(controllerGreetingTimeout, "controllerGreetingTimeout");
    positive(exitPollInterval, "exitPollInterval");
    Objects.requireNonNull(qmpOptions, "qmpOptions");
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
        SandboxListener.NONE,
        StartObserver.NONE);
  }

  public SandboxOptions withReadyTimeout(Duration d) {
    return new SandboxOptions(
        d,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        controllerGreetingTimeout,
        exitPollInterval,
        qmpOptions,
        listener,
        startObserver);
  }

  /** The three stop deadlines at once. */
  public SandboxOptions withStopTimeouts(Duration quit, Duration term, Duration kill) {
    return new SandboxOptions(
        readyTimeout,
        quit,
        term,
        kill,
        lockTimeout,
        controllerGreetingTimeout,
        exitPollInterval,
        qmpOptions,
        listener,
        startObserver);
  }

  public SandboxOptions withLockTimeout(Duration d) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        d,
        controllerGreetingTimeout,
        exitPollInterval,
        qmpOptions,
        listener,
        startObserver);
  }

  public SandboxOptions withControllerGreetingTimeout(Duration d) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        d,
        exitPollInterval,
        qmpOptions,
        listener,
        startObserver);
  }

  public SandboxOptions withExitPollInterval(Duration d) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        controllerGreetingTimeout,
        d,
        qmpOptions,
        listener,
        startObserver);
  }

  public SandboxOptions withQmpOptions(QmpOptions o) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        controllerGreetingTimeout,
        exitPollInterval,
        o,
        listener,
        startObserver);
  }

  public SandboxOptions withListener(SandboxListener l) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        controllerGreetingTimeout,
        exitPollInterval,
        qmpOptions,
        l,
        startObserver);
  }

  public SandboxOptions withStartObserver(StartObserver o) {
    return new SandboxOptions(
        readyTimeout,
        quitTimeout,
        termTimeout,
        killTimeout,
        lockTimeout,
        controllerGreetingTimeout,
        exitPollInterval,
        qmpOptions,
        listener,
        o);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
