package org.vmm4j.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A network namespace and the dedicated platform thread that works inside it. Everything that
 * depends on the namespace of the calling thread (netlink sockets, {@code /dev/net/tun}, sysfs)
 * runs through {@link #run}, on that thread. Named namespaces live under {@code /run/netns} as
 * {@code ip netns} keeps them, so {@code ip netns exec NAME ...} sees the same one.
 *
 * <p>Owns the namespace descriptor, the thread and the thread's netlink socket; {@link #close()}
 * releases them and leaves the namespace itself in place ({@link #delete()} removes a named one).
 * Work must not start threads of its own: they would inherit the namespace (and the private mount
 * namespace of {@link Context#sysfs()}).
 */
public final class NetNs implements AutoCloseable {
  /** Default deadline for work run in the namespace (and for starting its thread). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Where {@code ip netns} keeps named namespaces. */
  public static final Path RUN_DIR = Path.of("/run/netns");

  private final String name;
  private final Path path;
  private final boolean created;
  private final OwnedFd fd;
  private final NsThread thread;
  private final Context context;

  private NetNs(String name, Path path, boolean created, OwnedFd fd, NsThread thread) {
    this.name = name;
    this.path = path;
    this.created = created;
    this.fd = fd;
    this.thread = thread;
    this.context = new Context();
  }

  /**
   * Creates a named namespace, as {@code ip netns add NAME} does.
   *
   * @throws NetlinkException.Exists if {@code /run/netns/NAME} exists
   */
  public static NetNs create(String name) {
    checkName(name);
    checkOutside("create", name);
    Path path = RUN_DIR.resolve(name);
    NsThread thread =
        new NsThread(name, () -> Namespaces.createNamed(RUN_DIR, name), DEFAULT_TIMEOUT);
    OwnedFd fd = null;
    try {
      fd = Namespaces.open(path);
      return new NetNs(name, path, true, fd, thread);
    } catch (RuntimeException e) {
      thread.stop(() -> {}, DEFAULT_TIMEOUT);
      Namespaces.deleteNamed(path);
      throw e;
    }
  }

  /** Opens the named namespace {@code /run/netns/NAME}. */
  public static NetNs open(String name) {
    checkName(name);
    return open(RUN_DIR.resolve(name), name);
  }

  /**
   * Opens the namespace behind any namespace file ({@code /proc/PID/ns/net}, a CNI plugin's {@code
   * /var/run/netns/cni-...}).
   */
  public static NetNs open(Path path) {
    return open(path, path.toString());
  }

  /** The namespace of this process (of its main thread), e.g. the host's. */
  public static NetNs ofThisProcess() {
    return open(Path.of("/proc/self/ns/net"), "process");
  }

  private static NetNs open(Path path, String name) {
    checkOutside("open", name);
    OwnedFd fd = Namespaces.open(path);
    try {
      NsThread thread = new NsThread(name, () -> Namespaces.enter(fd), DEFAULT_TIMEOUT);
      return new NetNs(name, path, false, fd, thread);
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /** Whether {@code /run/netns/NAME} exists. */
  public static boolean exists(String name) {
    checkName(name);
    return Files.exists(RUN_DIR.resolve(name));
  }

  /**
   * Removes the named namespace, as {@code ip netns delete NAME} does (the namespace goes away once
   * nothing holds it any more).
   *
   * @throws NetlinkException.NotFound if there is no such namespace
   */
  public static void delete(String name) {
    checkName(name);
    Namespaces.deleteNamed(RUN_DIR.resolve(name));
  }

  /**
   * A namespace thread is the wrong place to start another: the new thread would inherit its
   * namespaces, and after {@link Context#sysfs()} its private mount namespace, where a bind mount
   * under {@code /run/netns} would not reach the rest of the system.
   */
  private static void checkOutside(String operation, String name) {
    if (NsThread.current() != null) {
      throw new IllegalStateException(
          "netns "
              + operation
              + " "
              + name
              + " from inside the work of netns "
              + NsThread.current());
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a namespace name: '" + name + "'");
    }
  }

  /** The name ({@code ip netns} name, or the path it was opened from). */
  public String name() {
    return name;
  }

  /** The namespace file (what Kata persists as {@code NetNsPath}). */
  public Path path() {
    return path;
  }

  /** Whether this object created the namespace (Kata's {@code NetNsCreated}). */
  public boolean created() {
    return created;
  }

  /** The namespace descriptor, for {@code IFLA_NET_NS_FD}. */
  OwnedFd fd() {
    return fd;
  }

  /** Runs {@code work} on the namespace's thread, waiting at most {@link #DEFAULT_TIMEOUT}. */
  public <T> T run(Work<T> work) {
    return run(work, DEFAULT_TIMEOUT);
  }

  /**
   * Runs {@code work} on the namespace's thread and returns its result.
   *
   * @throws NetlinkException.Timeout if it does not finish within {@code timeout} (it keeps running
   *     on the namespace thread; later work waits behind it)
   */
  public <T> T run(Work<T> work, Duration timeout) {
    return thread.call(() -> work.run(context), "run", timeout);
  }

  /** Stops the thread, closes its netlink socket and the namespace descriptor. Idempotent. */
  @Override
  public void close() {
    thread.stop(context::closeResources, DEFAULT_TIMEOUT);
    fd.close();
  }

  /** {@link #close()}, then removes the namespace if it is a named one under {@link #RUN_DIR}. */
  public void delete() {
    close();
    if (path.startsWith(RUN_DIR) && Files.exists(path)) {
      Namespaces.deleteNamed(path);
    }
  }

  @Override
  public String toString() {
    return "netns " + name;
  }

  /** Work for a namespace's thread. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Context ns) throws Exception;
  }

  /**
   * What work inside a namespace can use. Valid only on the namespace's thread, during {@link
   * #run}: every method checks.
   */
  public final class Context {
    private Netlink netlink;
    private boolean privateSysfs;

    private Context() {}

    /** The namespace this is the context of. */
    public NetNs namespace() {
      return NetNs.this;
    }

    /** The namespace's netlink connection (opened on first use, closed with the namespace). */
    public Netlink netlink() {
      check();
      if (netlink == null) {
        netlink = Netlink.open("netns " + name, Netlink.DEFAULT_TIMEOUT);
      }
      return netlink;
    }

    /**
     * The root of a sysfs that shows this namespace ({@code /sys/class/net} lists its interfaces):
     * on first use the thread gets a private mount namespace with a fresh sysfs on {@code /sys}.
     */
    public Path sysfs() {
      check();
      if (!privateSysfs) {
        Namespaces.privateSysfs();
        privateSysfs = true;
      }
      return Path.of("/sys");
    }

    /** Creates (or attaches to) a tap device here: see {@link TapDevice#open}. */
    public TapDevice openTap(TapDevice.Config config) {
      check();
      return TapDevice.open(config, name);
    }

    /**
     * Opens {@code queues} descriptors of a macvtap here: see {@link TapDevice#openMacvtap}.
     *
     * @param devDir where the character device is (made), normally {@link TapDevice#DEV_DIR}
     */
    public TapDevice openMacvtap(Link macvtap, int queues, Path devDir) {
      return TapDevice.openMacvtap(macvtap, queues, sysfs(), devDir);
    }

    private void check() {
      if (!thread.isCurrent()) {
        throw new IllegalStateException("netns " + name + " context used outside its thread");
      }
    }

    private void closeResources() {
      if (netlink != null) {
        netlink.close();
        netlink = null;
      }
    }
  }
}
