package org.vmm4j.core.internal.annotations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * A directory of real files for annotation tests: {@link TestAssets} plus stand-in binaries in
 * {@code bin/}, kernels in {@code kernels/}, root file systems in {@code img/} (with a symbolic
 * link {@code img/link.img}), a firmware in {@code fw/}; and a valid q35 config whose every
 * allowlist names files under it, with {@code EnableAnnotations [".*"]}.
 */
final class AnnotationFixture {
  final Path dir;
  final TestAssets assets;

  private AnnotationFixture(Path dir) {
    this.dir = dir;
    this.assets = TestAssets.create(dir);
  }

  /** Creates the files under {@code tempDir} (resolved to its real path). */
  static AnnotationFixture create(Path tempDir) {
    try {
      AnnotationFixture f = new AnnotationFixture(tempDir.toRealPath());
      for (String b : List.of("qemu", "qemu-alt", "ctl", "jailer", "virtiofsd")) {
        f.executable(f.path("bin/" + b));
      }
      Files.createDirectories(f.path("kernels"));
      Files.copy(f.assets.kernel(), f.path("kernels/vmlinuz"));
      Files.createDirectories(f.path("img"));
      Files.copy(f.assets.image(), f.path("img/rootfs.img"));
      Files.write(f.path("img/initrd2.img"), new byte[8192]);
      Files.createSymbolicLink(f.path("img/link.img"), f.path("img/initrd2.img"));
      Files.createDirectories(f.path("fw"));
      Files.write(f.path("fw/bios.bin"), new byte[64 * 1024]); // QEMU loads a BIOS of 64 KiB units
      Files.createDirectories(f.path("configs"));
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path(String relative) {
    return dir.resolve(relative);
  }

  /** {@code {dir}} replaced by this fixture's directory. */
  String expand(String s) {
    return s.replace("{dir}", dir.toString());
  }

  void executable(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The valid base: q35, 1 of 4 vCPUs, 512 MiB, kernel + initrd, every allowlist set. */
  HypervisorConfig base() {
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath(path("bin/qemu").toString())
                .kernelPath(assets.kernel().toString())
                .initrdPath(assets.initrd().toString())
                .hypervisorMachineType("q35")
                .numVcpus(1)
                .defaultMaxVcpus(4)
                .memorySize(512)
                .enableAnnotations(List.of(".*"))
                .hypervisorPathList(List.of(dir + "/bin/qemu*"))
                .hypervisorCtlPathList(List.of(dir + "/bin/ctl"))
                .jailerPathList(List.of(dir + "/bin/jail[a-z]r"))
                .virtioFsDaemonList(List.of(dir + "/bin/virtiofsd"))
                .fileBackedMemRootList(List.of(dir + "/shm"))
                .vhostUserStorePathList(List.of(dir + "/vhost-user"))
                .build())
        .editLive(
            l ->
                l.kernelPathList(List.of(dir + "/kernels/*"))
                    .imagePathList(List.of(dir + "/img/*.img"))
                    .initrdPathList(List.of(dir + "/img/*.img"))
                    .firmwarePathList(List.of(dir + "/fw/*.bin"))
                    .entropySourceList(List.of("/dev/urandom"))
                    .configPathList(List.of(dir + "/configs/*.json")));
  }

  RuntimeConfig runtime() {
    return RuntimeConfig.shimV2(base(), false);
  }

  static LoadOptions loadOptions() {
    return new LoadOptions(2, false, false);
  }

  /** 2 host CPUs, no vhost-vsock. */
  static AnnotationPolicy policy() {
    return AnnotationPolicy.of(loadOptions());
  }
}
