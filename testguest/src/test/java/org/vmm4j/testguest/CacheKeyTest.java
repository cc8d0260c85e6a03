package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache key covers the kernel package and version, busybox and the builder's own files. */
class CacheKeyTest {
  private static final KernelPackage PKG =
      new KernelPackage("linux-image-6.1.0-57-amd64", "6.1.192-3");
  private static final byte[] BUSYBOX = {1, 2, 3};

  private static GuestFiles files(String agent) {
    Map<String, byte[]> m = new LinkedHashMap<>(GuestFiles.load().files());
    if (agent != null) {
      m.put("agent.sh", agent.getBytes(StandardCharsets.UTF_8));
    }
    return new GuestFiles(m);
  }

  @Test
  void sameInputsSameKey() {
    assertThat(TestGuest.key(PKG, files(null), BUSYBOX))
        .isEqualTo(TestGuest.key(PKG, files(null), BUSYBOX.clone()))
        .hasSize(64);
  }

  @Test
  void everyInputChangesTheKey() {
    String base = TestGuest.key(PKG, files(null), BUSYBOX);
    assertThat(TestGuest.key(new KernelPackage(PKG.name(), "6.1.192-4"), files(null), BUSYBOX))
        .isNotEqualTo(base);
    assertThat(
            TestGuest.key(
                new KernelPackage("linux-image-6.1.0-58-amd64", PKG.version()),
                files(null),
                BUSYBOX))
        .isNotEqualTo(base);
    assertThat(TestGuest.key(PKG, files(null), new byte[] {1, 2, 4})).isNotEqualTo(base);
    assertThat(TestGuest.key(PKG, files("#!/bin/sh\n# another agent\n"), BUSYBOX))
        .isNotEqualTo(base);
  }

  @Test
  void moduleListIsReadWithoutComments() {
    assertThat(GuestFiles.load().modules())
        .startsWith("crc64_rocksoft_generic", "crct10dif_generic")
        .contains(
            "virtio_pci", "virtio_blk", "sd_mod", "virtio_scsi", "virtio_net", "virtio_console")
        .noneMatch(s -> s.contains("#") || s.isBlank());
  }
}
