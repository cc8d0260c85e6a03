package org.vmm4j.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.KernelFiles.anywhereInitrd;
import static org.vmm4j.core.KernelFiles.bzImage;
import static org.vmm4j.core.KernelFiles.sparse;
import static org.vmm4j.core.KernelFiles.withCmdlineSize;
import static org.vmm4j.core.KernelFiles.withProtocol;
import static org.vmm4j.core.KernelFiles.withSetupSectors;
import static org.vmm4j.core.KernelFiles.write;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.AssetConfigs;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.KernelFiles;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.testing.qemu.TestAssets;

/** The kernel, initrd and command-line rules, each at its limit and one past it. */
class BootChecksTest {
  @TempDir Path dir;
  TestAssets a;
  HypervisorConfig initrd;
  HypervisorConfig image;

  @BeforeEach
  void assets() {
    a = TestAssets.create(dir);
    initrd = AssetConfigs.initrdConfig(a);
    image = AssetConfigs.imageConfig(a);
  }

  private HypervisorConfig kernel(HypervisorConfig c, ByteBuffer file) {
    Path k = write(dir.resolve("kernel-" + System.nanoTime()), file);
    return c.editKata(b -> b.kernelPath(k.toString()));
  }

  private static void accepted(HypervisorConfig c) {
    assertThatCode(() -> ConfigLoader.validate(c, 2)).doesNotThrowAnyException();
  }

  private static void refused(HypervisorConfig c, String field, String... text) {
    assertThatThrownBy(() -> ConfigLoader.validate(c, 2))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith("HypervisorConfig: " + field)
        .satisfies(e -> List.of(text).forEach(t -> assertThat(e.getMessage()).contains(t)));
  }

  @Test
  void anElfKernelNeedsAPvhEntryNote() {
    accepted(kernel(initrd, KernelFiles.elf(true)));
    refused(
        kernel(initrd, KernelFiles.elf(false)),
        "KernelPath",
        "is an ELF file without a PVH entry note");
  }

  @Test
  void anInitrdNeedsALinuxSetupHeader() {
    refused(
        kernel(initrd, KernelFiles.headerless(64 * 1024)),
        "KernelPath",
        "no HdrS setup header",
        "QEMU 7.2 loads an initrd (InitrdPath) only with boot protocol 2.00 or later");
    accepted(kernel(image, KernelFiles.headerless(64 * 1024)));
    accepted(kernel(initrd, KernelFiles.multiboot()));
  }

  @Test
  void theFileMustHoldItsSetupCode() {
    // 16 KiB: 31 setup sectors + the boot sector fit, 32 do not
    accepted(kernel(initrd, withSetupSectors(bzImage(), 31)));
    refused(
        kernel(initrd, withSetupSectors(bzImage(), 32)),
        "KernelPath",
        "(16384 bytes) is shorter than its 16896 bytes of setup code");
    accepted(kernel(image, KernelFiles.headerless(2560)));
    refused(kernel(image, KernelFiles.headerless(2559)), "KernelPath", "2560 bytes of setup");
  }

  @Test
  void theInitrdMustStayBelowQemusInitrdMax() {
    // pc, 2048 MiB: RAM below 4 GiB less 160 KiB of ACPI data, less 1; this kernel allows 2 GiB
    long max = 2048L * 1024 * 1024 - 0x28000 - 1;
    accepted(initrdOf(initrd, max - 1));
    refused(
        initrdOf(initrd, max),
        "InitrdPath",
        "(" + max + " bytes) does not fit: with MemorySize=2048 MiB on pc",
        "at most " + (max - 1) + " bytes");
    // pc, 4096 MiB: 3072 MiB below 4 GiB, but this kernel's initrd_addr_max is 0x7fffffff
    HypervisorConfig big = initrd.editKata(k -> k.memorySize(4096));
    accepted(initrdOf(big, 0x7fffffffL - 1));
    refused(initrdOf(big, 0x7fffffffL), "InitrdPath", "at most 2147483646 bytes");
    // a kernel that takes its initrd anywhere: RAM decides (3072 MiB below 4 GiB)
    HypervisorConfig anywhere = kernel(big, anywhereInitrd(bzImage()));
    long pcMax = 3072L * 1024 * 1024 - 0x28000 - 1;
    accepted(initrdOf(anywhere, pcMax - 1));
    refused(initrdOf(anywhere, pcMax), "InitrdPath");
    // q35 from 2816 MiB on: 2048 MiB below 4 GiB
    HypervisorConfig q35 = anywhere.editKata(k -> k.hypervisorMachineType("q35"));
    refused(initrdOf(q35, max), "InitrdPath", "on q35");
    accepted(initrdOf(q35, max - 1));
  }

  private HypervisorConfig initrdOf(HypervisorConfig c, long bytes) {
    Path f = sparse(dir.resolve("initrd-" + bytes), bytes);
    return c.editKata(k -> k.initrdPath(f.toString()));
  }

  @Test
  void theCommandLineMayBeAsLongAsTheKernelsCmdlineSize() {
    accepted(padded(initrd, 2047));
    refused(
        padded(initrd, 2048),
        "KernelParams",
        "(vmm4j's parameters and 1 from KernelParams) is 2048 bytes long",
        "above the 2047 that the kernel " + a.kernel(),
        "cmdline_size of its boot protocol 2.15 header");
    HypervisorConfig small = kernel(initrd, withCmdlineSize(bzImage(), 600));
    accepted(padded(small, 600));
    refused(padded(small, 601), "KernelParams", "above the 600");
  }

  @Test
  void beforeProtocol206TheCommandLineHas255Bytes() {
    // vmm4j's own parameters already take more than 255 bytes: such a kernel never boots here
    int own = QemuCommandLine.kernelCommandLine(ConfigLoader.validate(initrd, 2)).length();
    assertThat(own).isGreaterThan(255);
    refused(
        kernel(initrd, withProtocol(bzImage(), 0x0205)),
        "KernelParams",
        "(vmm4j's parameters and 0 from KernelParams) is " + own + " bytes long",
        "above the 255",
        "boot protocol 2.05");
  }

  @Test
  void aKernelWithoutHeaderGets2047Bytes() {
    HypervisorConfig elf = kernel(initrd, KernelFiles.elf(true));
    accepted(padded(elf, 2047));
    refused(padded(elf, 2048), "KernelParams", "above the 2047", "COMMAND_LINE_SIZE");
  }

  @Test
  void multibyteCharactersCountAsTheirBytes() {
    HypervisorConfig c = padded(initrd, 2047);
    List<KernelParam> wider = withLastByte(c.live().kernelParams());
    refused(c.editLive(l -> l.kernelParams(wider)), "KernelParams", "is 2048 bytes long");
  }

  /** {@code c} with a {@code pad=xxx...} parameter making its command line {@code total} bytes. */
  static HypervisorConfig padded(HypervisorConfig c, int total) {
    int now = QemuCommandLine.kernelCommandLine(ConfigLoader.validate(c, 2)).length();
    int pad = total - now - " pad=".length();
    List<KernelParam> params = List.of(new KernelParam("pad", "x".repeat(pad)));
    return c.editLive(l -> l.kernelParams(params));
  }

  /** The last parameter's last character as a two-byte one. */
  private static List<KernelParam> withLastByte(List<KernelParam> params) {
    KernelParam p = params.get(params.size() - 1);
    String v = p.value();
    return List.of(new KernelParam(p.key(), v.substring(0, v.length() - 1) + "é"));
  }
}
