package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real build: apt resolves and fetches the Debian kernel, the default cache keeps it (cold on a
 * fresh machine, cached afterwards). Needs apt-cache and dpkg-deb (Debian).
 */
class GuestBuildIT {
  @TempDir Path dir;

  @BeforeAll
  static void debian() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/apt-cache")), "no apt-cache: not a Debian host");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "no dpkg-deb: not a Debian host");
  }

  @Test
  void buildsTheDebianKernelGuestAndThenAnswersFromTheCache() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    GuestArtifacts a = TestGuest.withDefaults().ensureBuilt(progress::add);
    double first = (System.nanoTime() - t0) / 1e9;
    assertThat(a.kernelPackage()).matches("linux-image-[0-9.]+-[0-9]+-amd64");
    assertThat(a.kernelVersion()).isEqualTo(a.kernelPackage().substring("linux-image-".length()));
    Elf vmlinux = Elf.open(a.vmlinux());
    assertThat(vmlinux).as("vmlinux is an ELF").isNotNull();
    assertThat(vmlinux.hasPvhNote()).isTrue();
    Map<String, CpioEntries.Entry> cpio = CpioEntries.read(a.initramfs());
    String load = new String(cpio.get("etc/modules.load").data());
    assertThat(load.lines())
        .contains(
            "virtio_pci",
            "virtio_blk",
            "sd_mod",
            "virtio_scsi",
            "virtio_net",
            "virtio_console",
            "crc64_rocksoft_generic");
    assertThat(load.lines().toList().indexOf("virtio"))
        .isLessThan(load.lines().toList().indexOf("virtio_pci"));
    for (String m : load.lines().toList()) {
      assertThat(cpio).containsKey("lib/modules/" + m + ".ko");
    }

    List<String> again = new CopyOnWriteArrayList<>();
    long t1 = System.nanoTime();
    assertThat(TestGuest.withDefaults().ensureBuilt(again::add)).isEqualTo(a);
    System.err.printf(
        "test guest: first ensureBuilt %.2f s (%s), second %.2f s%n",
        first,
        progress.stream().anyMatch(s -> s.contains("building")) ? "built" : "cached",
        (System.nanoTime() - t1) / 1e9);
    assertThat(again).noneMatch(s -> s.contains("building"));
  }

  @Test
  void unknownKernelPackageIsAClearError() {
    TestGuest bogus =
        TestGuest.builder()
            .cacheDir(dir)
            .kernelPackage("linux-image-0.0.0-vmm4j-bogus-amd64")
            .build();
    assertThatThrownBy(() -> bogus.ensureBuilt(s -> {}))
        .isInstanceOf(TestGuestException.class)
        .hasMessageStartingWith(
            "test guest build: kernel package 'linux-image-0.0.0-vmm4j-bogus-amd64'"
                + " is not known to apt")
        .hasMessageContaining("check the name, or run apt-get update");
  }
}
