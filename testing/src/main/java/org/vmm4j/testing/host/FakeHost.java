package org.vmm4j.testing.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A fake host for host checks (vmm4j's {@code HostCheck} given {@link #root()} as host root, {@link
 * #qemuPath()} and {@link #searchPath()}): a directory with {@code proc/meminfo}, {@code
 * proc/cpuinfo}, {@code proc/mounts}, device files under {@code dev/}, and a fake QEMU (a shell
 * script printing canned {@code -version}, {@code -help} and {@code -machine help} output) in
 * {@code usr/bin}. Defaults: 2 CPUs, 24002 MiB, not nested, no huge pages, no devices, QEMU 7.2.22
 * with seccomp and the machines q35, pc, microvm.
 */
public final class FakeHost {
  public static final String VERSION_LINE =
      "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)";
  public static final String MEMINFO =
      "MemTotal:       24578232 kB\n"
          + "MemFree:        20000000 kB\n"
          + "HugePages_Total:       0\n"
          + "HugePages_Free:        0\n"
          + "HugePages_Rsvd:        0\n"
          + "Hugepagesize:       2048 kB\n";
  public static final String CPUINFO =
      "processor\t: 0\nflags\t\t: fpu vme de pse lm\n\nprocessor\t: 1\nflags\t\t: fpu vme de pse lm\n";
  public static final String MOUNTS =
      "proc /proc proc rw,relatime 0 0\nsysfs /sys sysfs rw,relatime 0 0\n"
          + "devtmpfs /dev devtmpfs rw,relatime,mode=755 0 0\n";

  private final Path root;

  private FakeHost(Path root) {
    this.root = root;
  }

  /** A fake host in {@code dir} with the defaults and QEMU 7.2.22. */
  public static FakeHost in(Path dir) {
    FakeHost h = new FakeHost(dir);
    h.proc("meminfo", MEMINFO).proc("cpuinfo", CPUINFO).proc("mounts", MOUNTS);
    h.qemu(VERSION_LINE, 0, true);
    return h;
  }

  /** The fake's {@code /}. */
  public Path root() {
    return root;
  }

  /** The fake QEMU: {@code usr/bin/qemu-system-x86_64} under the root. */
  public Path qemuPath() {
    return root.resolve("usr/bin/qemu-system-x86_64");
  }

  /** Where the fake QEMU is found by name: the fake's {@code usr/bin}. */
  public List<Path> searchPath() {
    return List.of(root.resolve("usr/bin"));
  }

  /** Writes {@code /proc/NAME}. */
  public FakeHost proc(String name, String text) {
    return write(root.resolve("proc").resolve(name), text);
  }

  /** Creates device files ({@code /dev/kvm}, ...) as empty files. */
  public FakeHost devices(Path... devs) {
    for (Path d : devs) {
      write(root.resolve(d.toString().substring(1)), "");
    }
    return this;
  }

  /**
   * Replaces the fake QEMU: {@code -version} prints {@code versionLine} and exits with {@code
   * versionExit}; {@code -help} lists {@code -sandbox} when {@code seccomp}.
   */
  public FakeHost qemu(String versionLine, int versionExit, boolean seccomp) {
    String help =
        versionLine
            + "\nusage: qemu-system-x86_64 [options] [disk_image]\n-machine [type=]name\n"
            + (seccomp ? "-sandbox on[,obsolete=allow|deny]\n" : "")
            + "-nodefaults\n";
    String machines =
        "Supported machines are:\n"
            + "microvm              microvm (i386)\n"
            + "pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)\n"
            + "q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)\n"
            + "pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)\n";
    return script(
        "case \"$1\" in\n"
            + "  -version) cat <<'X'\n"
            + versionLine
            + "\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\nX\n"
            + "    exit "
            + versionExit
            + " ;;\n"
            + "  -help) cat <<'X'\n"
            + help
            + "X\n ;;\n"
            + "  -machine) cat <<'X'\n"
            + machines
            + "X\n ;;\n"
            + "esac\n");
  }

  /** A QEMU that never answers (for the query deadline). */
  public FakeHost hangingQemu() {
    return script("exec sleep 30\n");
  }

  private FakeHost script(String body) {
    Path q = qemuPath();
    write(q, "#!/bin/sh\n" + body);
    try {
      Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private FakeHost write(Path p, String text) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
