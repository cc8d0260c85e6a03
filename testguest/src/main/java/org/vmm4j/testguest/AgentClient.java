package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the test guest's agent over a unix socket: QEMU's side of {@code hvc0} (vmm4j's {@code
 * console.sock}), of a virtio-serial port or of a serial port.
 *
 * <p>Protocol: the client syncs by sending an empty line and {@code hello NONCE} (again every
 * second) until {@code READY <uptime> NONCE} comes back; everything before that is stale (boot
 * messages, echoes, answers meant for an earlier client). Then each {@link #call} sends one line
 * and collects lines until {@code @@END@@ <rc>}, found anywhere in a line. {@code READY} lines are
 * never part of a reply. A call that times out leaves the client out of sync: the next call syncs
 * again first. Every operation has a deadline; failures are {@link AgentException}s naming the
 * socket, the command and the last output.
 */
public final class AgentClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentClient.class);
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
  static final String END = "@@END@@";
  private static final long RETRY_NANOS = 50_000_000L;
  private static final long HELLO_EVERY_NANOS = 1_000_000_000L;

  private final Path socket;
  private final LineSocket line;
  private final Duration callTimeout;
  private boolean inSync;
  private String readyUptime;

  private AgentClient(Path socket, LineSocket line, Duration callTimeout) {
    this.socket = socket;
    this.line = line;
    this.callTimeout = callTimeout;
  }

  /** Connects with the default deadlines. */
  public static AgentClient connect(Path socket) {
    return connect(socket, DEFAULT_READY_TIMEOUT, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Connects to {@code socket} (retrying while it does not exist or refuses) and waits until the
   * agent answers, both within {@code readyTimeout}. {@code callTimeout} is the default deadline of
   * {@link #call(String)}.
   */
  public static AgentClient connect(Path socket, Duration readyTimeout, Duration callTimeout) {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    IOException last = null;
    while (true) {
      try {
        LineSocket ls = LineSocket.connect(socket);
        AgentClient c = new AgentClient(socket, ls, callTimeout);
        try {
          c.sync(deadline, readyTimeout);
          return c;
        } catch (RuntimeException e) {
          c.close();
          throw e;
        }
      } catch (IOException e) {
        last = e;
      }
      if (System.nanoTime() + RETRY_NANOS > deadline) {
        throw new AgentException(
            "guest agent: cannot connect to "
                + socket
                + " within "
                + seconds(readyTimeout)
                + ": "
                + last,
            last);
      }
      sleep(RETRY_NANOS);
    }
  }

  public Path socket() {
    return socket;
  }

  /** The guest's uptime (seconds, as text) when it last said READY to this client. */
  public String readyUptime() {
    return readyUptime;
  }

  /** {@link #call(String, Duration)} with the client's default deadline. */
  public AgentReply call(String command) {
    return call(command, callTimeout);
  }

  /** Sends one command line and returns the reply; throws when none comes within the deadline. */
  public synchronized AgentReply call(String command, Duration timeout) {
    if (command.isBlank() || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("agent command must be one non-empty line: " + command);
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    if (!inSync) {
      sync(deadline, timeout);
    }
    inSync = false;
    try {
      if (!line.write(command + "\n", deadline)) {
        throw timeout(command, timeout);
      }
      AgentReply r = readReply(command, deadline, timeout);
      inSync = true;
      LOG.debug(
          "agent {}: '{}' -> rc {}, {} lines in {} ms",
          socket,
          shorten(command),
          r.rc(),
          r.lines().size(),
          (System.nanoTime() - start) / 1_000_000);
      return r;
    } catch (IOException e) {
      throw new AgentException(
          "guest agent on "
              + socket
              + ": '"
              + shorten(command)
              + "': "
              + e
              + "; last output: "
              + line.recent(),
          e);
    }
  }

  /** Lines up to the end marker (found anywhere in a line); READY lines are never output. */
  private AgentReply readReply(String command, long deadline, Duration timeout) throws IOException {
    List<String> out = new ArrayList<>();
    while (true) {
      String l = line.readLine(deadline);
      if (l == null) {
        throw timeout(command, timeout);
      }
      int at = l.indexOf(END);
      if (at >= 0) {
        if (at > 0) {
          out.add(l.substring(0, at));
        }
        return new AgentReply(command, out, exitCode(command, l.substring(at)));
      }
      if (!l.startsWith("READY ")) {
        out.add(l);
      }
    }
  }

  /** {@link #call(String)}, then {@link AgentReply#requireOk()}. */
  public AgentReply check(String command) {
    return call(command).requireOk();
  }

  public boolean ping() {
    return check("ping").lines().contains("pong");
  }

  public List<GuestPciDevice> pciDevices() {
    return AgentParsers.pci(check("pci"));
  }

  public List<GuestBlockDevice> blockDevices() {
    return AgentParsers.blk(check("blk"));
  }

  public List<GuestNetInterface> netInterfaces() {
    return AgentParsers.net(check("net"));
  }

  public GuestCpus cpus() {
    return AgentParsers.cpus(check("cpus"));
  }

  public GuestMemory memory() {
    return AgentParsers.mem(check("mem"));
  }

  /** Onlines every offline CPU (hot-added CPUs stay offline); returns the lines "cpuN online". */
  public List<String> onlineCpus() {
    return check("online_cpus").lines();
  }

  /** Writes {@code mode} (online, online_movable, online_kernel) to every offline memory block. */
  public List<String> onlineMemory(String mode) {
    return check("online_mem " + word(mode)).lines();
  }

  public void rescanPci() {
    check("rescan");
  }

  /** The PCI path the guest computes for a sysfs path (empty when it crosses no PCI device). */
  public Optional<String> pciPathOf(String sysfsPath) {
    String p = check("pcipath " + word(sysfsPath)).text().strip();
    return p.equals("-") ? Optional.empty() : Optional.of(p);
  }

  public List<String> dmesg(int lines) {
    return check("dmesg " + lines).lines();
  }

  /** The guest's uptime in seconds. */
  public double uptime() {
    return Double.parseDouble(check("uptime").text().strip());
  }

  /**
   * Runs a shell command line in the guest (busybox sh); the reply has its output and exit code.
   */
  public AgentReply sh(String commandLine) {
    return call("sh " + commandLine);
  }

  /** Adds {@code cidr} (e.g. 10.0.2.15/24) to {@code ifname} and brings it up. */
  public void ifaddr(String ifname, String cidr) {
    check("ifaddr " + word(ifname) + " " + word(cidr));
  }

  /** Pings {@code address} {@code count} times from the guest; true when it answered. */
  public boolean pingHost(String address, int count) {
    return call("ping_host " + word(address) + " " + count, callTimeout.plusSeconds(count + 5L))
        .ok();
  }

  /** Reads {@code length} (at most 65536) bytes of a guest block device at {@code offset}. */
  public byte[] readBlock(String device, long offset, int length) {
    return HexFormat.of()
        .parseHex(check("readblk " + word(device) + " " + offset + " " + length).text().strip());
  }

  /** SHA-256 (hex) of {@code length} bytes of a guest block device at {@code offset}. */
  public String blockSha256(String device, long offset, long length) {
    return check("sumblk " + word(device) + " " + offset + " " + length).text().strip();
  }

  /** Writes {@code data} to a guest block device at {@code offset} and syncs it. */
  public void writeBlock(String device, long offset, byte[] data) {
    check("writeblk " + word(device) + " " + offset + " " + HexFormat.of().formatHex(data));
  }

  /** Asks the guest to power off (the reply comes first; QEMU then exits with -no-reboot). */
  public void poweroff() {
    check("poweroff");
  }

  /** Closes the connection; the guest's agent waits for the next one. */
  @Override
  public synchronized void close() {
    line.close();
  }

  private void sync(long deadline, Duration timeout) {
    String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    long nextHello = 0;
    try {
      while (true) {
        long now = System.nanoTime();
        if (now >= nextHello) {
          if (!line.write("\nhello " + nonce + "\n", deadline)) {
            break;
          }
          nextHello = now + HELLO_EVERY_NANOS;
        }
        String l = line.readLine(Math.min(deadline, nextHello));
        if (l != null && l.startsWith("READY ") && l.endsWith(" " + nonce)) {
          String[] f = l.split("\\s+");
          readyUptime = f.length >= 3 ? f[1] : "";
          inSync = true;
          LOG.debug("agent {}: READY (guest uptime {} s)", socket, readyUptime);
          return;
        }
        if (l == null && System.nanoTime() >= deadline) {
          break;
        }
      }
    } catch (IOException e) {
      throw new AgentException(
          "guest agent on "
              + socket
              + ": waiting for READY: "
              + e
              + "; last output: "
              + line.recent(),
          e);
    }
    throw new AgentException(
        "guest agent on "
            + socket
            + " did not say READY within "
            + seconds(timeout)
            + "; last output: "
            + line.recent());
  }

  private AgentException timeout(String command, Duration timeout) {
    return new AgentException(
        "guest agent on "
            + socket
            + " did not answer '"
            + shorten(command)
            + "' within "
            + seconds(timeout)
            + "; last output: "
            + line.recent());
  }

  private int exitCode(String command, String marker) {
    String[] f = marker.strip().split("\\s+");
    try {
      return Integer.parseInt(f[1]);
    } catch (RuntimeException e) {
      throw new AgentException(
          "guest agent on "
              + socket
              + ": malformed end marker '"
              + marker
              + "' after '"
              + shorten(command)
              + "'");
    }
  }

  private static String word(String s) {
    if (s.isEmpty() || !s.matches("[A-Za-z0-9._:/,+=@-]+")) {
      throw new IllegalArgumentException("agent argument '" + s + "'");
    }
    return s;
  }

  static String shorten(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("guest agent: interrupted", e);
    }
  }
}
