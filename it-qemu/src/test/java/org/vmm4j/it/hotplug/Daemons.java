package org.vmm4j.it.hotplug;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * vhost-user daemons for the tests: {@code qemu-storage-daemon} exporting a file as vhost-user-blk,
 * Debian's {@code virtiofsd} sharing a directory, and a "daemon" that hangs up on every connection
 * (where the host has no daemon for a kind). Each is killed (or closed) by {@code close()}.
 */
final class Daemons {
  static final Path QSD = Path.of("/usr/bin/qemu-storage-daemon");
  static final Path VIRTIOFSD = Path.of("/usr/lib/qemu/virtiofsd");

  private Daemons() {}

  /** A process serving a unix socket. */
  static final class Served implements AutoCloseable {
    final Path socket;
    final Process process;

    Served(Path socket, Process process) {
      this.socket = socket;
      this.process = process;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code qemu-storage-daemon} exporting {@code image} (raw, writable) on {@code socket}. */
  static Served storageDaemon(Path image, Path socket, Path log) throws Exception {
    return serve(
        List.of(
            QSD.toString(),
            "--blockdev",
            "driver=file,node-name=file0,filename=" + image,
            "--blockdev",
            "driver=raw,node-name=fmt0,file=file0",
            "--export",
            "type=vhost-user-blk,id=exp0,node-name=fmt0,addr.type=unix,addr.path="
                + socket
                + ",writable=on,num-queues=1"),
        socket,
        log);
  }

  /** virtiofsd sharing {@code dir} on {@code socket} (it serves one connection, then exits). */
  static Served virtiofsd(Path dir, Path socket, Path log) throws Exception {
    return serve(
        List.of(
            VIRTIOFSD.toString(),
            "--socket-path=" + socket,
            "-o",
            "source=" + dir,
            "-o",
            "cache=none"),
        socket,
        log);
  }

  private static Served serve(List<String> argv, Path socket, Path log) throws Exception {
    Process p =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(socket)) {
      if (!p.isAlive() || System.nanoTime() - deadline > 0) {
        p.destroyForcibly();
        throw new AssertionError(
            argv.get(0) + " did not serve " + socket + ": " + Files.readString(log));
      }
      Thread.sleep(10);
    }
    return new Served(socket, p);
  }

  /** A "vhost-user daemon" that accepts each connection and closes it at once. */
  static final class HangUp implements AutoCloseable {
    final Path socket;
    private final ServerSocketChannel server;
    private final Thread thread;

    HangUp(Path socket) throws IOException {
      this.socket = socket;
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      thread =
          new Thread(
              () -> {
                while (server.isOpen()) {
                  try (SocketChannel c = server.accept()) {
                    // hang up
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "hang-up-daemon");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5000);
      Files.deleteIfExists(socket);
    }
  }
}
