package org.vmm4j.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue descriptors of a tap or macvtap device, one per queue (QEMU's {@code netdev tap
 * fds=...}: one per vCPU). Owns them; {@link #close()} closes them, which leaves a persistent tap
 * and any macvtap in place (deleting the link is the endpoint's business).
 */
public final class TapDevice implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TapDevice.class);

  /** Where macvtap character devices are looked for and, without udev, created. */
  public static final Path DEV_DIR = Path.of("/dev");

  /** {@code TUNSETIFF} flag: a tap device (Ethernet frames). */
  public static final int IFF_TAP = 0x0002;

  /** {@code TUNSETIFF} flag: one descriptor per queue. */
  public static final int IFF_MULTI_QUEUE = 0x0100;

  /** {@code TUNSETIFF} flag: frames without the 4-byte packet-information header. */
  public static final int IFF_NO_PI = 0x1000;

  /** {@code TUNSETIFF} flag: frames carry a virtio-net header. */
  public static final int IFF_VNET_HDR = 0x4000;

  private final String name;
  private final List<OwnedFd> queues;

  private TapDevice(String name, List<OwnedFd> queues) {
    this.name = name;
    this.queues = List.copyOf(queues);
  }

  /**
   * A tap to open.
   *
   * @param name the interface name
   * @param queues how many queue descriptors to open (at least 1)
   * @param flags {@code IFF_*} for {@code TUNSETIFF}, e.g. {@code IFF_TAP | IFF_NO_PI} (see {@link
   *     #kata})
   * @param persist keep the device when the descriptors close ({@code TUNSETPERSIST})
   */
  public record Config(String name, int queues, int flags, boolean persist) {
    public Config {
      if (queues < 1 || (queues > 1 && (flags & IFF_MULTI_QUEUE) == 0)) {
        throw new IllegalArgumentException(
            "tap " + name + ": " + queues + " queues (more than 1 needs IFF_MULTI_QUEUE)");
      }
    }

    /**
     * What Kata creates for a VM: a persistent multi-queue tap with the virtio-net header and no
     * packet information ({@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE}).
     */
    public static Config kata(String name, int queues) {
      return new Config(name, queues, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE, true);
    }
  }

  /**
   * Creates (or attaches to) the tap in the calling thread's namespace and opens its queues. Use
   * {@link NetNs.Context#openTap} to get the right namespace.
   */
  static TapDevice open(Config config, String where) {
    List<OwnedFd> fds = new ArrayList<>();
    try {
      for (int q = 0; q < config.queues(); q++) {
        fds.add(
            Tun.openQueue(
                config.name(),
                config.flags(),
                "/dev/net/tun " + config.name() + " queue " + q + " (netns " + where + ")"));
      }
      if (config.persist()) {
        Tun.setPersist(fds.get(0), true, config.name());
      }
      return new TapDevice(config.name(), fds);
    } catch (RuntimeException e) {
      fds.forEach(OwnedFd::close);
      throw e;
    }
  }

  /**
   * Opens {@code queues} descriptors of macvtap {@code link} through its character device {@code
   * devDir/tap<ifindex>}. Without udev the node is created from {@code
   * <sysfs>/class/net/<name>/macvtap/tap<ifindex>/dev} and removed again once the queues are open
   * (an open descriptor does not need it). Run on the namespace's thread: {@code sysfs} must show
   * that namespace ({@link NetNs.Context#sysfs()}).
   *
   * @throws NetlinkException.Exists if the node exists for another device
   */
  public static TapDevice openMacvtap(Link link, int queues, Path sysfs, Path devDir) {
    Path devFile =
        sysfs
            .resolve("class/net")
            .resolve(link.name())
            .resolve("macvtap")
            .resolve("tap" + link.index())
            .resolve("dev");
    String[] majMin = readLine(devFile).split(":");
    int major = Integer.parseInt(majMin[0]);
    int minor = Integer.parseInt(majMin[1]);
    Path node = devDir.resolve("tap" + link.index());
    boolean created = false;
    if (Files.exists(node)) {
      if (DeviceNodes.deviceNumber(node) != DeviceNodes.makedev(major, minor)) {
        throw new NetlinkException.Exists(
            "mknod", node.toString(), "exists for another device than " + major + ":" + minor, 17);
      }
    } else {
      DeviceNodes.mknodChar(node, major, minor);
      created = true;
    }
    List<OwnedFd> fds = new ArrayList<>();
    try {
      for (int q = 0; q < queues; q++) {
        fds.add(Fds.openReadWrite(node, node + " (macvtap " + link.name() + ") queue " + q));
      }
      return new TapDevice(link.name(), fds);
    } catch (RuntimeException e) {
      fds.forEach(OwnedFd::close);
      throw e;
    } finally {
      if (created) {
        removeNode(node);
      }
    }
  }

  private static String readLine(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new NetlinkException.NotFound("read", file.toString(), e.toString(), 2);
    }
  }

  private static void removeNode(Path node) {
    try {
      Files.deleteIfExists(node);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", node, e.toString());
    }
  }

  /** The interface name. */
  public String name() {
    return name;
  }

  /** The queue descriptors, queue 0 first. */
  public List<OwnedFd> queues() {
    return queues;
  }

  /** Closes every queue descriptor. Idempotent. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (OwnedFd fd : queues) {
      try {
        fd.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
