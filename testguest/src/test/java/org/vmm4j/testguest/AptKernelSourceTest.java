package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing what apt-cache says (golden outputs of Debian 12). */
class AptKernelSourceTest {
  private static final String META =
      """
      Package: linux-image-amd64
      Source: linux-signed-amd64 (6.1.192+3)
      Version: 6.1.192-3
      Installed-Size: 13
      Maintainer: Debian Kernel Team <debian-kernel@lists.debian.org>
      Architecture: amd64
      Provides: linux-latest-modules-6.1.0-57-amd64, wireguard-modules (= 1.0.0)
      Depends: linux-image-6.1.0-57-amd64 (= 6.1.192-3)
      Description-en: Linux for 64-bit PCs (meta-package)
      """;

  @Test
  void metaPackageDependencyGivesNameAndVersion() {
    assertThat(AptKernelSource.metaDependency(META))
        .isEqualTo(new KernelPackage("linux-image-6.1.0-57-amd64", "6.1.192-3"));
    assertThat(AptKernelSource.metaDependency("Package: x\nDepends: libc6\n")).isNull();
  }

  @Test
  void versionOfAnExplicitPackage() {
    assertThat(AptKernelSource.version(META)).isEqualTo("6.1.192-3");
    assertThat(AptKernelSource.version("")).isNull();
  }

  @Test
  void kernelPackageRejectsOddNames() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KernelPackage("x y", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
