package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpacked kernel image package: {@code boot/vmlinuz-RELEASE} and {@code
 * [usr/]lib/modules/RELEASE}.
 */
record KernelTree(Path root, String release, Path vmlinuz, Path modulesDir) {

  /** Unpacks {@code deb} into {@code into} (dpkg-deb -x) and locates the kernel in it. */
  public static KernelTree unpack(Path deb, Path into, Duration timeout) {
    Exec.check(
        List.of("dpkg-deb", "-x", deb.toString(), into.toString()),
        into.getParent(),
        null,
        timeout);
    return locate(into, deb.getFileName().toString());
  }

  /** Finds the one {@code boot/vmlinuz-*} under {@code root} and its modules directory. */
  public static KernelTree locate(Path root, String what) {
    List<Path> images = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("boot"), "vmlinuz-*")) {
      ds.forEach(images::add);
    } catch (IOException e) {
      throw new TestGuestException(
          "test guest build: " + what + " has no boot/ directory: not a kernel image package", e);
    }
    if (images.size() != 1) {
      throw new TestGuestException(
          "test guest build: " + what + " holds " + images.size() + " boot/vmlinuz-* (expected 1)");
    }
    Path vmlinuz = images.get(0);
    String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
    for (String lib : List.of("lib/modules/", "usr/lib/modules/")) {
      Path dir = root.resolve(lib + release);
      if (Files.isDirectory(dir)) {
        return new KernelTree(root, release, vmlinuz, dir);
      }
    }
    throw new TestGuestException(
        "test guest build: " + what + " has no lib/modules/" + release + " for its kernel");
  }
}
