package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder and its cache, on a fake kernel package (no apt, no network, no QEMU). */
class TestGuestBuildTest {
  @TempDir Path dir;
  Path cache;
  Path busybox;
  final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    cache = dir.resolve("cache");
    busybox = dir.resolve("busybox");
    Files.write(busybox, FakeKernel.elf(false, false));
  }

  private TestGuest guest(FakeKernel k) {
    return TestGuest.builder()
        .cacheDir(cache)
        .busybox(busybox)
        .kernelSource(k)
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  private long builds() {
    return progress.stream().filter(s -> s.startsWith("test guest: building from")).count();
  }

  @Test
  void coldBuildMakesTheFilesThenTheCacheAnswers() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    GuestArtifacts a = guest(k).ensureBuilt(progress::add);

    assertThat(a.kernelVersion()).isEqualTo(FakeKernel.RELEASE);
    assertThat(a.kernelPackage()).isEqualTo("linux-image-9.9.9-test");
    assertThat(a.packageVersion()).isEqualTo("9.9.9-1");
    assertThat(Files.readAllBytes(a.bzImage())).isEqualTo(k.bzImage);
    assertThat(Files.readAllBytes(a.vmlinux())).isEqualTo(k.vmlinux);
    Map<String, CpioEntries.Entry> cpio = CpioEntries.read(a.initramfs());
    assertThat(cpio).containsKeys("init", "agent.sh", "bin/busybox", "bin/sh", "dev/console");
    assertThat(cpio.get("init").mode() & 0777).isEqualTo(0755);
    assertThat(cpio.get("bin/busybox").data()).isEqualTo(Files.readAllBytes(busybox));
    assertThat(new String(cpio.get("etc/modules.load").data(), StandardCharsets.UTF_8))
        .isEqualTo(FakeKernel.LOAD_ORDER);
    assertThat(cpio.get("lib/modules/virtio_console.ko").data())
        .isEqualTo(FakeKernel.ko("virtio_console", "virtio,virtio_ring"));
    assertThat(cpio.get("dev/console").rdevMajor()).isEqualTo(5);
    assertThat(builds()).isEqualTo(1);

    GuestArtifacts again = guest(k).ensureBuilt(progress::add);
    assertThat(again).isEqualTo(a);
    assertThat(builds()).isEqualTo(1);
    assertThat(k.downloads).hasValue(1);
    assertThat(TestGuest.verify(a.dir())).isEqualTo(a);
    assertThat(cache.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void corruptFileIsReportedByVerifyAndRebuiltByEnsure() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    GuestArtifacts a = guest(k).ensureBuilt(progress::add);
    byte[] v = Files.readAllBytes(a.vmlinux());
    v[v.length / 2] ^= 1;
    Files.write(a.vmlinux(), v);
    Files.setLastModifiedTime(a.vmlinux(), FileTime.fromMillis(System.currentTimeMillis() + 5000));

    assertThatThrownBy(() -> TestGuest.verify(a.dir()))
        .isInstanceOf(TestGuestException.class)
        .hasMessageStartingWith(
            "test guest cache entry " + a.dir() + " is corrupt: vmlinux has SHA-256 ");

    GuestArtifacts b = guest(k).ensureBuilt(progress::add);
    assertThat(progress)
        .anyMatch(
            s ->
                s.startsWith("test guest cache entry " + a.dir() + " is corrupt")
                    && s.endsWith(": rebuilding"));
    assertThat(builds()).isEqualTo(2);
    assertThat(Files.readAllBytes(b.vmlinux())).isEqualTo(k.vmlinux);
    assertThat(k.downloads).as("the kept .deb is reused").hasValue(1);
    TestGuest.verify(b.dir());
  }

  @Test
  void missingManifestOrFileIsCorruptToo() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    GuestArtifacts a = guest(k).ensureBuilt(progress::add);
    Files.delete(a.dir().resolve("manifest.properties"));
    assertThatThrownBy(() -> TestGuest.verify(a.dir()))
        .hasMessageContaining("is corrupt: cannot read manifest.properties");
    guest(k).ensureBuilt(progress::add);
    Files.delete(a.initramfs());
    assertThatThrownBy(() -> TestGuest.verify(a.dir()))
        .hasMessageContaining("is corrupt: cannot read initramfs.cpio.gz");
    guest(k).ensureBuilt(progress::add);
    assertThat(builds()).isEqualTo(3);
    TestGuest.verify(a.dir());
  }

  @Test
  void damagedKeptDebIsDownloadedAgain() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    GuestArtifacts a = guest(k).ensureBuilt(progress::add);
    Path kept = cache.resolve("downloads/linux-image-9.9.9-test_9.9.9-1.deb");
    Files.write(kept, "not a deb".getBytes(StandardCharsets.US_ASCII));
    Files.delete(a.dir().resolve("manifest.properties"));
    GuestArtifacts b = guest(k).ensureBuilt(progress::add);
    assertThat(progress)
        .anyMatch(
            s ->
                s.startsWith("test guest: building from the kept ")
                    && s.endsWith("; downloading it again"));
    assertThat(k.downloads).hasValue(2);
    assertThat(Files.readAllBytes(b.vmlinux())).isEqualTo(k.vmlinux);
    assertThat(Files.size(kept)).isEqualTo(Files.size(k.deb));
  }

  @Test
  void twoThreadsBuildOnce() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    ExecutorService ex = Executors.newFixedThreadPool(2);
    try {
      Future<GuestArtifacts> f1 = ex.submit(() -> guest(k).ensureBuilt(progress::add));
      Future<GuestArtifacts> f2 = ex.submit(() -> guest(k).ensureBuilt(progress::add));
      assertThat(f1.get()).isEqualTo(f2.get());
    } finally {
      ex.shutdownNow();
    }
    assertThat(builds()).isEqualTo(1);
    assertThat(k.downloads).hasValue(1);
  }

  @Test
  void anotherProcessHoldingTheLockIsWaitedForUpToTheDeadline() throws Exception {
    Files.createDirectories(cache);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                HoldCacheLock.classPath(),
                HoldCacheLock.class.getName(),
                cache.toString(),
                "2500")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> CacheLock.acquire(cache, Duration.ofMillis(300), progress::add))
          .isInstanceOf(TestGuestException.class)
          .hasMessage(
              "test guest build: another build held "
                  + cache.resolve(".lock")
                  + " for more than 0.3 s");
      assertThat(progress).anyMatch(s -> s.contains("waiting for another process's build"));
      try (CacheLock l = CacheLock.acquire(cache, Duration.ofSeconds(30), progress::add)) {
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void newPackageVersionIsANewEntryAndOldDebsGo() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    GuestArtifacts a = guest(k).ensureBuilt(progress::add);
    k.pkg = new KernelPackage("linux-image-9.9.9-test", "9.9.9-2");
    GuestArtifacts b = guest(k).ensureBuilt(progress::add);
    assertThat(b.dir()).isNotEqualTo(a.dir());
    assertThat(b.cacheKey()).isNotEqualTo(a.cacheKey());
    assertThat(b.packageVersion()).isEqualTo("9.9.9-2");
    try (Stream<Path> s = Files.list(cache.resolve("downloads"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("linux-image-9.9.9-test_9.9.9-2.deb");
    }
    TestGuest.verify(a.dir());
  }

  @Test
  void bzImageWithoutXzPayloadIsAClearErrorAndLeavesNothing() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"), FakeKernel.elf(true, false), false, true);
    assertThatThrownBy(() -> guest(k).ensureBuilt(progress::add))
        .isInstanceOf(TestGuestException.class)
        .hasMessageStartingWith("test guest build: cannot extract vmlinux from ")
        .hasMessageEndingWith("no XZ stream magic (FD 37 7A 58 5A 00) in the file");
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(".lock", "downloads", "tmp");
    }
    assertThat(cache.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void payloadWithoutPvhNoteIsAClearError() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"), FakeKernel.elf(false, false), true, true);
    assertThatThrownBy(() -> guest(k).ensureBuilt(progress::add))
        .hasMessageContaining("the ELF has no PVH entry note");
  }

  @Test
  void missingModuleIsAClearError() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"), FakeKernel.elf(true, false), true, false);
    assertThatThrownBy(() -> guest(k).ensureBuilt(progress::add))
        .hasMessage(
            "test guest build: kernel module 'virtio_blk' (needed for 'virtio_blk') is"
                + " neither in the package nor built in");
  }

  @Test
  void dynamicBusyboxIsRefused() throws Exception {
    FakeKernel k = FakeKernel.create(dir.resolve("k"));
    Files.write(busybox, FakeKernel.elf(false, true));
    assertThatThrownBy(() -> guest(k).ensureBuilt(progress::add))
        .hasMessage(
            "test guest build: "
                + busybox
                + " is dynamically linked: install busybox-static (scripts/deps.sh)");
    Files.delete(busybox);
    assertThatThrownBy(() -> guest(k).ensureBuilt(progress::add))
        .hasMessageStartingWith(
            "test guest build: cannot read " + busybox + ": install busybox-static");
  }
}
