package org.vmm4j.core.internal.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.HypervisorConfig;

/**
 * The shared file system, tag {@code kataShared} (as Kata adds it): virtio-9p over the shared
 * directory, or virtio-fs through a virtiofsd that the launcher starts first with {@code
 * --socket-path} (QEMU connects to it as a client). {@code Msize9p} is a guest mount option and
 * does not appear here.
 */
final class SharedFsArgs {
  static final String TAG = "kataShared";
  static final String FSDEV_9P = "extra-9p-kataShared";

  private SharedFsArgs() {}

  static void append(Argv a, Plan p) {
    if (p.c().usesVirtioFs()) {
      String chardev = "char-" + p.fsDevId();
      a.chardev(Opts.of("socket").add("id", chardev).add("path", p.paths().virtiofsSocket()));
      a.device(
          p.romfile(Opts.of(p.virtio("vhost-user-fs")).add("chardev", chardev).add("tag", TAG)));
      return;
    }
    Opts dev = p.disableModern(Opts.of(p.virtio("virtio-9p"))).add("fsdev", FSDEV_9P);
    a.device(p.romfile(dev.add("mount_tag", TAG)));
    a.add(
        "-fsdev",
        Opts.of("local")
            .add("id", FSDEV_9P)
            .add("path", p.paths().sharedDir())
            .add("security_model", "none")
            .add("multidevs", "remap"));
  }

  /**
   * Kata's virtiofsd arguments ({@code TestQemuVirtiofsdArgs}) with {@code --socket-path} for
   * {@code --fd} and without {@code --syslog}: {@code <daemon> --socket-path=<sock> -o
   * source=<shared dir> [-o cache=<mode>] -o no_posix_lock (-d | -f) <extra args>}.
   */
  static Optional<VirtiofsdCommand> virtiofsd(Plan p) {
    HypervisorConfig c = p.c();
    if (!c.usesVirtioFs()) {
      return Optional.empty();
    }
    Path socket = p.paths().virtiofsSocket();
    Path shared = p.paths().sharedDir();
    List<String> argv = new ArrayList<>();
    argv.add(c.kata().virtioFsDaemon());
    argv.add("--socket-path=" + socket);
    argv.add("-o");
    argv.add("source=" + shared);
    if (!c.kata().virtioFsCache().isEmpty()) {
      argv.add("-o");
      argv.add("cache=" + c.kata().virtioFsCache());
    }
    argv.add("-o");
    argv.add("no_posix_lock");
    argv.add(c.kata().debug() ? "-d" : "-f");
    argv.addAll(HypervisorConfig.orEmpty(c.kata().virtioFsExtraArgs()));
    return Optional.of(new VirtiofsdCommand(argv, socket, shared));
  }
}
