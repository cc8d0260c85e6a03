package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.testing.files.SpecialFiles;
import org.vmm4j.testing.qemu.TestAssets;

/** Every validation rule fails with a message naming the field and the value. */
class HypervisorConfigValidationTest {
  @TempDir Path dir;
  TestAssets a;

  @BeforeEach
  void assets() {
    a = TestAssets.create(dir);
  }

  private void fails(UnaryOperator<HypervisorConfig> change, String field, String... fragments) {
    HypervisorConfig b = change.apply(initrdConfig(a));
    assertThatThrownBy(() -> ConfigLoader.validate(b, 2))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(field)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void aValidConfigPassesAndComesBackWithDefaults() {
    HypervisorConfig c = ConfigLoader.validate(initrdConfig(a), 2);
    assertThat(c.kata().memorySize()).isEqualTo(2048);
    assertThat(c.kata().defaultMaxVcpus()).isEqualTo(2);
  }

  @Test
  void missingKernel() {
    fails(b -> b.editKata(k -> k.kernelPath("")), "KernelPath", "missing");
  }

  @Test
  void imageAndInitrdBothSet() {
    fails(
        b -> b.editKata(k -> k.imagePath(a.image().toString())),
        "ImagePath",
        a.image().toString(),
        a.initrd().toString(),
        "both set");
  }

  @Test
  void neitherImageNorInitrd() {
    fails(b -> b.editKata(k -> k.initrdPath("")), "ImagePath", "both empty");
  }

  @Test
  void vcpusAboveTheMaximum() {
    fails(
        b -> b.editKata(k -> k.numVcpus(8).defaultMaxVcpus(4)),
        "NumVCPUs",
        "NumVCPUs=8",
        "DefaultMaxVCPUs=4");
  }

  @Test
  void vcpusAboveTheDefaultMaximumOfASmallHost() {
    fails(b -> b.editKata(k -> k.numVcpus(3)), "NumVCPUs", "NumVCPUs=3", "DefaultMaxVCPUs=2");
  }

  @Test
  void maxVcpusAboveTheMachineLimit() {
    fails(b -> b.editKata(k -> k.defaultMaxVcpus(256)), "DefaultMaxVCPUs", "256", "pc", "255");
    ConfigLoader.validate(
        initrdConfig(a).editKata(k -> k.hypervisorMachineType("q35").defaultMaxVcpus(288)), 2);
    fails(
        b -> b.editKata(k -> k.hypervisorMachineType("q35").defaultMaxVcpus(289)),
        "DefaultMaxVCPUs",
        "289",
        "288");
  }

  @Test
  void memoryBelow128MiB() {
    fails(b -> b.editKata(k -> k.memorySize(127)), "MemorySize", "MemorySize=127", "128 MiB");
    ConfigLoader.validate(initrdConfig(a).editKata(k -> k.memorySize(128)), 2);
  }

  @Test
  void unknownMachineType() {
    fails(
        b -> b.editKata(k -> k.hypervisorMachineType("virt")),
        "HypervisorMachineType",
        "virt",
        "pc, q35, microvm");
    fails(
        b -> b.editKata(k -> k.hypervisorMachineType("pc-lite")),
        "HypervisorMachineType",
        "pc-lite");
  }

  @Test
  void pathsThatDoNotExist() {
    String missing = dir.resolve("missing").toString();
    fails(b -> b.editKata(k -> k.kernelPath(missing)), "KernelPath", missing, "does not exist");
    fails(b -> b.editKata(k -> k.initrdPath(missing)), "InitrdPath", missing, "does not exist");
    fails(
        b -> b.editKata(k -> k.initrdPath("").imagePath(missing)),
        "ImagePath",
        missing,
        "does not exist");
    fails(
        b -> b.editKata(k -> k.hypervisorPath(missing)),
        "HypervisorPath",
        missing,
        "does not exist");
    fails(b -> b.editKata(k -> k.firmwarePath(missing)), "FirmwarePath", missing);
    fails(b -> b.editKata(k -> k.entropySource(missing)), "EntropySource", missing);
    fails(b -> b.editLive(l -> l.pflash(List.of(missing))), "PFlash", missing);
    fails(b -> b.editKata(k -> k.fileBackedMemRootDir(missing)), "FileBackedMemRootDir", missing);
  }

  @Test
  void wrongKindsOfFile() throws Exception {
    fails(b -> b.editKata(k -> k.kernelPath(dir.toString())), "KernelPath", "not a regular file");
    fails(
        b -> b.editKata(k -> k.hypervisorPath(a.initrd().toString())),
        "HypervisorPath",
        "not executable");
    fails(
        b -> b.editKata(k -> k.fileBackedMemRootDir(a.initrd().toString())),
        "FileBackedMemRootDir",
        "directory");
    Path empty = Files.createFile(dir.resolve("empty.img"));
    fails(b -> b.editKata(k -> k.initrdPath(empty.toString())), "InitrdPath", "empty");
  }

  @Test
  void aFifoOrADeviceIsNoAssetThroughALinkEither() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("vmlinuz.fifo"));
    fails(
        b -> b.editKata(k -> k.kernelPath(fifo.toString())),
        "KernelPath",
        "is not a regular file (a FIFO");
    Path zero = SpecialFiles.link(dir.resolve("zero.img"), SpecialFiles.DEV_ZERO);
    fails(
        b -> b.editKata(k -> k.initrdPath(zero.toString())),
        "InitrdPath",
        "is not a regular file (a character device, /dev/zero)");
    fails(
        b -> b.editKata(k -> k.firmwarePath(fifo.toString())),
        "FirmwarePath",
        "is not a regular file (a FIFO");
  }

  @Test
  void initrdAsLargeAsMemory() throws Exception {
    Path big = dir.resolve("big.initrd");
    Files.write(big, new byte[129 * 1024 * 1024]);
    fails(
        b -> b.editKata(k -> k.initrdPath(big.toString()).memorySize(128)),
        "InitrdPath",
        "129 MiB",
        "128");
  }

  @Test
  void templateRules() {
    fails(
        b -> b.editKata(k -> k.bootToBeTemplate(true).bootFromTemplate(true)),
        "BootToBeTemplate",
        "both set");
    fails(b -> b.editKata(k -> k.bootToBeTemplate(true)), "MemoryPath", "BootToBeTemplate");
    fails(
        b -> b.editKata(k -> k.bootFromTemplate(true).memoryPath(a.initrd().toString())),
        "DevicesStatePath",
        "missing");
    fails(
        b ->
            b.editKata(
                k ->
                    k.bootToBeTemplate(true)
                        .memoryPath(a.dir("template").resolve("m").toString())
                        .fileBackedMemRootDir(a.dir("shm").toString())),
        "BootToBeTemplate",
        "FileBackedMemRootDir");
  }

  @Test
  void virtioFsRules() {
    fails(b -> b.editKata(k -> k.sharedFs("nfs")), "SharedFS", "nfs");
    fails(b -> b.editKata(k -> k.sharedFs("virtio-fs")), "VirtioFSDaemon", "missing");
    fails(
        b -> b.editKata(k -> k.sharedFs("virtio-fs").virtioFsDaemon(a.initrd().toString())),
        "VirtioFSDaemon",
        "not executable");
    fails(
        b ->
            b.editKata(
                k ->
                    k.sharedFs("virtio-fs")
                        .virtioFsDaemon(a.virtiofsd().toString())
                        .virtioFsCacheSize(1024)),
        "VirtioFSCacheSize",
        "1024",
        "DAX");
  }

  @Test
  void vhostUserStoreNeedsSharedMemory() {
    UnaryOperator<HypervisorConfig> store =
        b ->
            b.editKata(
                k ->
                    k.enableVhostUserStore(true)
                        .vhostUserStorePath(a.dir("vhost-user").toString()));
    fails(store, "EnableVhostUserStore", "shared guest memory");
    ConfigLoader.validate(store.apply(initrdConfig(a)).editKata(k -> k.hugePages(true)), 2);
    ConfigLoader.validate(store.apply(initrdConfig(a)).editLive(l -> l.sharedMemory(true)), 2);
    ConfigLoader.validate(
        store.apply(initrdConfig(a)).editKata(k -> k.fileBackedMemRootDir(a.dir("shm").toString())),
        2);
    fails(
        b ->
            b.editKata(k -> k.enableVhostUserStore(true).vhostUserStorePath("/nonexistent"))
                .editLive(l -> l.sharedMemory(true)),
        "VhostUserStorePath",
        "/nonexistent");
  }

  @Test
  void limitsAndRanges() {
    fails(b -> b.editKata(k -> k.memSlots(256)), "MemSlots", "256");
    fails(b -> b.editKata(k -> k.defaultBridges(6)), "DefaultBridges", "6");
    fails(b -> b.editKata(k -> k.numVcpus(-1)), "NumVCPUs", "-1");
    fails(b -> b.editKata(k -> k.memOffset(4_294_967_296L)), "MemOffset", "4294967296");
    fails(
        b -> b.editKata(k -> k.blockDeviceDriver("virtio-blk-ccw")),
        "BlockDeviceDriver",
        "virtio-blk-ccw");
  }

  @Test
  void machineSpecificFeatures() {
    fails(b -> b.editLive(l -> l.iommu(true)), "IOMMU", "q35", "pc");
    fails(b -> b.editLive(l -> l.nativePcieHotplug(true)), "NativePCIeHotplug", "q35");
    fails(
        b ->
            b.editKata(
                k ->
                    k.hypervisorMachineType("microvm")
                        .initrdPath("")
                        .imagePath(a.image().toString())),
        "DisableImageNvdimm",
        "microvm");
    fails(
        b -> b.editKata(k -> k.hypervisorMachineType("microvm").useVsock(true)),
        "UseVSock",
        "microvm");
  }

  @Test
  void kernelParamsWithAnEmptyKey() {
    fails(
        b -> b.editLive(l -> l.kernelParams(List.of(new KernelParam("", "x")))),
        "KernelParams",
        "=x",
        "empty key");
    fails(
        b -> b.editLive(l -> l.kernelParams(List.of(new KernelParam("a", "b c")))),
        "KernelParams",
        "whitespace");
  }
}
