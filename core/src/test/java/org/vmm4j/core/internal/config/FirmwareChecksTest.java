package org.vmm4j.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.KernelFiles.sparse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.AssetConfigs;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testing.qemu.TestAssets;

/** The firmware and nvdimm image sizes, each at its limit and one past it. */
class FirmwareChecksTest {
  @TempDir Path dir;
  HypervisorConfig initrd;
  HypervisorConfig image;

  @BeforeEach
  void assets() {
    TestAssets a = TestAssets.create(dir);
    initrd = AssetConfigs.initrdConfig(a);
    image = AssetConfigs.imageConfig(a);
  }

  private String file(String name, long bytes) {
    return sparse(dir.resolve(name), bytes).toString();
  }

  private static void accepted(HypervisorConfig c) {
    assertThatCode(() -> ConfigLoader.validate(c, 2)).doesNotThrowAnyException();
  }

  private static void refused(HypervisorConfig c, String field, String... text) {
    assertThatThrownBy(() -> ConfigLoader.validate(c, 2))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith("HypervisorConfig: " + field + "=")
        .hasMessageContainingAll(text);
  }

  @Test
  void aBiosIsAWholeNumberOf64KiBUnits() {
    for (long ok : new long[] {64 * 1024, 256 * 1024, 64L * 1024 * 1024}) {
      String bios = file("bios-" + ok, ok);
      accepted(initrd.editKata(k -> k.firmwarePath(bios)));
    }
    for (long bad : new long[] {0, 4096, 100 * 1024, 64 * 1024 + 1}) {
      String bios = file("bios-" + bad, bad);
      refused(
          initrd.editKata(k -> k.firmwarePath(bios)),
          "FirmwarePath",
          bios + " (" + bad + " bytes) is not a non-zero multiple of 64 KiB");
    }
  }

  @Test
  void pflashFilesAreWholeNumbersOf4KiBInSectors() {
    accepted(initrd.editLive(l -> l.pflash(List.of(file("f4095", 4095)))));
    accepted(initrd.editLive(l -> l.pflash(List.of(file("f3585", 3585)))));
    String small = file("f3584", 3584);
    refused(
        initrd.editLive(l -> l.pflash(List.of(small))),
        "PFlash",
        small + " (3584 bytes in 512-byte sectors) is not a non-zero multiple of 4 KiB");
    refused(initrd.editLive(l -> l.pflash(List.of(file("f100", 100)))), "PFlash", "(512 bytes");
    refused(initrd.editLive(l -> l.pflash(List.of(file("f0", 0)))), "PFlash", "(0 bytes");
  }

  @Test
  void atMostTwoPflashFilesOf8MiBTogether() {
    String four = file("f4m", 4L << 20);
    String more = file("f4m4k", (4L << 20) + 4096);
    accepted(initrd.editLive(l -> l.pflash(List.of(four, four))));
    refused(
        initrd.editLive(l -> l.pflash(List.of(four, more))),
        "PFlash",
        "totals 8392704 bytes: QEMU 7.2 takes at most 8388608 bytes");
    accepted(
        initrd
            .editKata(k -> k.machineAccelerators("max-fw-size=16M"))
            .editLive(l -> l.pflash(List.of(four, more))));
    String small = file("f4k", 4096);
    refused(
        initrd.editLive(l -> l.pflash(List.of(small, small, small))),
        "PFlash",
        "has 3 files: QEMU 7.2 takes at most 2");
    refused(
        initrd
            .editKata(k -> k.hypervisorMachineType("microvm"))
            .editLive(l -> l.pflash(List.of(small))),
        "PFlash",
        "not supported on microvm");
  }

  @Test
  void aNvdimmImageIsAWholeNumberOfPages() {
    String odd = file("odd.img", (4L << 20) + 1);
    refused(
        image.editKata(k -> k.imagePath(odd)),
        "ImagePath",
        odd + " (4194305 bytes) is not a multiple of 4096 bytes",
        "DisableImageNvdimm=true");
    accepted(image.editKata(k -> k.imagePath(odd).disableImageNvdimm(true)));
    String pages = file("pages.img", (4L << 20) + 4096);
    accepted(image.editKata(k -> k.imagePath(pages)));
  }
}
